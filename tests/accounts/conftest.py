"""Signing-in fixtures: an empty text outbox and fresh throttle counters for every test."""
import pytest
from django.core.cache import cache

from notifications.backends import locmem


@pytest.fixture(autouse=True)
def _clean_outbox_and_throttles(settings):
    locmem.clear()
    cache.clear()  # throttle counters live in the cache
    settings.SMS_RATE_PER_SECOND = 0  # pacing is notifications' business; here it only slows tests
    yield
    locmem.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what waits for commit (texts) as a real request's commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def texts_to(number):
    return [t.body for t in locmem.outbox if t.to == number]
