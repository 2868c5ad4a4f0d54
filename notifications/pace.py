"""The sending rate, shared by every worker: one row per sender holds its next free moment.

A worker takes the row lock (PostgreSQL `SELECT ... FOR UPDATE`; SQLite runs
IMMEDIATE transactions, which lock the whole file), books the next moment and moves
it on by 1/rate seconds, then waits outside the transaction until its moment comes.
The database is the one store every worker and server process already shares, so
the rate holds across machines without Redis; it costs one short transaction per text.
"""
import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import SendingPace


def per_second():
    return float(settings.SMS_RATE_PER_SECOND)


@transaction.atomic(savepoint=False)  # inside the caller's claim transaction when there is one
def book(sender, *, max_wait):
    """Book a moment to send from `sender`. Returns (moment, True), or (the earliest free moment, False)
    when that is further away than `max_wait`; then nothing is booked and the caller should come back."""
    rate = per_second()
    now = timezone.now()
    if rate <= 0:  # 0 turns the limit off
        return now, True
    pace, _ = SendingPace.objects.select_for_update().get_or_create(sender=sender[:64], defaults={"next_at": now})
    moment = max(now, pace.next_at)
    if moment - now > max_wait:
        return moment, False
    pace.next_at = moment + datetime.timedelta(seconds=1 / rate)
    pace.save(update_fields=["next_at"])
    return moment, True
