"""Keeps sent texts in `outbox`, for tests (like django.core.mail.outbox); `clear()` empties it."""
import time
from dataclasses import dataclass, field

from . import BaseBackend


@dataclass(frozen=True)
class SentText:
    to: str
    body: str
    purpose: str
    message_pk: int
    user_pk: int | None
    provider_id: str
    at: float = field(default_factory=time.monotonic)


outbox = []


def clear():
    outbox.clear()


class LocmemBackend(BaseBackend):
    sender = "locmem"

    def send(self, message):
        provider_id = f"locmem-{message.pk}"
        outbox.append(SentText(message.to, message.body, message.purpose, message.pk, message.user_id, provider_id))
        return provider_id
