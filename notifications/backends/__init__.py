"""SMS backends, chosen by `SMS_BACKEND` like Django's email backends.

A backend has a `sender` (whose sending pace it shares) and one method,
`send(message) -> provider_id`, which raises `SendError(reason, permanent=...)`:
permanent errors fail the message at once, the others are retried with backoff.
"""
import threading
from contextlib import contextmanager

from django.conf import settings
from django.utils.module_loading import import_string

BACKENDS = {
    "twilio": "notifications.backends.twilio.TwilioBackend",
    "console": "notifications.backends.console.ConsoleBackend",
    "locmem": "notifications.backends.locmem.LocmemBackend",
}


class SendError(Exception):
    def __init__(self, reason, *, permanent=False, opted_out=False):
        super().__init__(reason)
        self.reason = str(reason)[:300]
        self.permanent = permanent or opted_out
        self.opted_out = opted_out


class BaseBackend:
    sender = "default"

    def send(self, message):
        raise NotImplementedError


_local = threading.local()
_pinned = []


def backend_class(name=None):
    name = name or settings.SMS_BACKEND
    return import_string(BACKENDS.get(name, name))


def get_backend():
    """The configured backend; one instance per thread, because the Twilio client keeps a connection pool."""
    if _pinned:
        return _pinned[-1]
    key = (settings.SMS_BACKEND, settings.TWILIO_ACCOUNT_SID, settings.TWILIO_MESSAGING_SERVICE_SID,
           settings.TWILIO_FROM_NUMBER)
    cached = getattr(_local, "backend", None)
    if cached is None or cached[0] != key:
        cached = _local.backend = (key, backend_class()())
    return cached[1]


@contextmanager
def use_backend(backend):
    """Send through this backend instance in every thread (tests and the benchmark fake Twilio's transport)."""
    _pinned.append(backend)
    try:
        yield backend
    finally:
        _pinned.remove(backend)
