"""Sends through Twilio's Programmable Messaging API with the official client.

The client does not retry, so every failure comes back here and is sorted into
"try again later" (429, 5xx, the network) or "give up now" (a 4xx that cannot succeed).
"""
import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from ..webhooks import status_callback_url
from . import BaseBackend, SendError

UNSUBSCRIBED = 21610  # the recipient texted STOP to this sender
# 4xx answers that a retry might fix: bad credentials (rotated token), and rate limits.
RETRYABLE_4XX = {401, 408, 429}


class TwilioBackend(BaseBackend):
    def __init__(self, http_client=None):
        if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
            raise ImproperlyConfigured("SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.")
        if not (settings.TWILIO_MESSAGING_SERVICE_SID or settings.TWILIO_FROM_NUMBER):
            raise ImproperlyConfigured("SMS_BACKEND=twilio needs TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER.")
        self.client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=http_client or TwilioHttpClient(timeout=15),
        )
        self.messaging_service_sid = settings.TWILIO_MESSAGING_SERVICE_SID
        self.from_number = settings.TWILIO_FROM_NUMBER
        self.sender = self.messaging_service_sid or self.from_number

    def send(self, message):
        sender = (
            {"messaging_service_sid": self.messaging_service_sid}
            if self.messaging_service_sid
            else {"from_": self.from_number}
        )
        try:
            created = self.client.messages.create(
                to=message.to, body=message.body, status_callback=status_callback_url(message), **sender
            )
        except TwilioException as exc:
            raise classify(exc) from exc
        except (requests.RequestException, OSError) as exc:
            raise SendError(f"Network error talking to Twilio: {exc.__class__.__name__}") from exc
        return created.sid


def classify(exc):
    status = getattr(exc, "status", None)
    code = getattr(exc, "code", None)
    detail = getattr(exc, "msg", None) or getattr(exc, "detail", None) or getattr(exc, "title", "") or str(exc)
    reason = f"Twilio {status or '?'} (code {code}): {detail}"
    if code == UNSUBSCRIBED:
        return SendError(reason, opted_out=True)
    if status is None or status >= 500 or status in RETRYABLE_4XX:
        return SendError(reason)
    return SendError(reason, permanent=True)
