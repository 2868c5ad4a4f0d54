"""Signing-in fixtures: the same clean outbox, fresh throttle counters and `committed` as the
tests of bringing people in (tests/care/conftest.py)."""
from tests.care.conftest import _clean_outboxes_and_throttles, committed, texts_to  # noqa: F401
