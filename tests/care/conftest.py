"""Helpers for the tests of bringing people in: what was texted and emailed, and the links in it."""
import re

import pytest
from django.core import mail
from django.core.cache import cache

from notifications.backends import locmem

LINK = re.compile(r"https?://\S+/join/([\w-]+)/")


@pytest.fixture(autouse=True)
def _clean_outboxes_and_throttles(settings):
    locmem.clear()
    cache.clear()  # throttle counters live in the cache
    settings.SMS_RATE_PER_SECOND = 0  # pacing is notifications' business; here it only slows tests
    yield
    locmem.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what waits for commit (texts, emails) as a real request's commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def texts_to(number):
    return [t.body for t in locmem.outbox if t.to == number]


def emails_to(address):
    return [m for m in mail.outbox if address in m.to]


def link_in(text):
    """The path of the invitation link in a text or email body."""
    match = LINK.search(text)
    assert match, f"no invitation link in {text!r}"
    return f"/join/{match.group(1)}/"
