"""Notifications fixtures: an empty locmem outbox per test, Twilio faked at its transport, signed webhooks."""
import pytest
from twilio.request_validator import RequestValidator

from notifications.backends import locmem, use_backend
from notifications.backends.twilio import TwilioBackend
from tests.notifications.fake_twilio import FakeTwilio

PUBLIC = "https://pa.example.org"
TOKEN = "twilio-test-auth-token"


@pytest.fixture(autouse=True)
def _empty_outbox(settings):
    locmem.clear()
    # Pacing is tested on its own (test_sending_rate.py); elsewhere it would only slow tests down.
    settings.SMS_RATE_PER_SECOND = 0
    settings.PUBLIC_BASE_URL = PUBLIC
    settings.TWILIO_AUTH_TOKEN = TOKEN
    yield
    locmem.clear()


@pytest.fixture
def twilio_settings(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = "AC" + "1" * 32
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "2" * 32
    settings.TWILIO_FROM_NUMBER = ""
    return settings


@pytest.fixture
def fake_twilio(twilio_settings):
    """The real twilio client and our Twilio backend, with the HTTP exchange scripted."""
    fake = FakeTwilio()
    with use_backend(TwilioBackend(http_client=fake)):
        yield fake


def signature(url, params, token=TOKEN):
    return RequestValidator(token).compute_signature(url, params)


@pytest.fixture
def twilio_post(client):
    """POST a webhook as Twilio would: form-encoded, signed over PUBLIC_BASE_URL + path."""

    def post(path, params, *, signed_url=None, **extra):
        headers = {"HTTP_X_TWILIO_SIGNATURE": signature(signed_url or PUBLIC + path, params)}
        headers.update(extra)
        return client.post(path, params, **headers)

    return post
