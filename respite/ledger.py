"""The lot arithmetic behind every ledger entry.

Callers (respite.services) hold the account's row lock (`lock_account`) inside their
transaction; these functions only write entries, lots and draws, never anything else.
Debits take hours from the lots that expire soonest, so what expires is always the oldest.
"""
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from .models import ZERO, Draw, Entry, EntryKind, Lot, RespiteAccount, hours_text
from .periods import add_months


def lock_account(account):
    """The account, re-read under a row lock: every balance check and write happens after this."""
    return RespiteAccount.objects.select_for_update().get(pk=account.pk)


def lot_expiry(account, credited_on):
    return add_months(credited_on, account.expiry_months) if account.expiry_months else None


def _new_lot_entry(account, *, kind, hours, credited_on, now, **fields):
    entry = Entry.objects.create(account=account, kind=kind, hours=hours, at=now, **fields)
    if hours > 0:
        Lot.objects.create(
            account=account, entry=entry, hours=hours, credited_on=credited_on,
            expires_on=lot_expiry(account, credited_on),
        )
    return entry


def _take(account, lots, hours, *, kind, now, **fields):
    """One debit entry of `hours`, drawn from `lots` in the order given."""
    entry = Entry.objects.create(account=account, kind=kind, hours=-hours, at=now, **fields)
    needed = hours
    for lot in lots:
        if needed <= 0:
            break
        taken = min(lot.remaining, needed)
        Draw.objects.create(entry=entry, lot=lot, hours=-taken)
        needed -= taken
    if needed > 0:  # callers check first; this guards the invariant, and rolls the transaction back
        raise ValidationError("Not enough hours in the lots for this entry.")
    return entry


def credit_period(account, *, period_start, now):
    """The period's allowance, no more than the cap leaves room for. Recorded (maybe as 0) once per period."""
    hours = account.allowance_hours
    reason = ""
    if account.cap_hours is not None:
        room = max(account.cap_hours - account.balance(), ZERO)
        if room < hours:
            hours, reason = room, f"Capped: the bank holds at most {hours_text(account.cap_hours)}"
    return _new_lot_entry(
        account, kind=EntryKind.CREDIT, hours=hours, credited_on=period_start, now=now,
        period_start=period_start, reason=reason,
    )


def trim_carry_over(account, *, period_start, now):
    """At the start of a period, hours above the carry-over limit go, oldest first."""
    if account.carry_over_hours is None:
        return None
    balance = account.balance()
    excess = balance - account.carry_over_hours
    if excess <= 0:
        return None
    return _take(
        account, account.lots.holding_hours(), excess, kind=EntryKind.TRIM, now=now, period_start=period_start,
        reason=f"Only {hours_text(account.carry_over_hours)} carry over into the period from {period_start:%d %b %Y}",
    )


def expire_due(account, *, today, now):
    """Every lot whose expiry date has come gives up what it still holds: one entry per lot."""
    entries = []
    for lot in account.lots.holding_hours().filter(expires_on__lte=today):
        entries.append(
            _take(
                account, [lot], lot.remaining, kind=EntryKind.EXPIRY, now=now,
                reason=f"Credited {lot.credited_on:%d %b %Y}, expired {lot.expires_on:%d %b %Y}",
            )
        )
    return entries


def usable_hours(account, *, valid_on):
    """Lots holding hours that are still valid on the date `valid_on` (None: any), soonest-expiring first."""
    lots = account.lots.holding_hours()
    if valid_on is not None:
        lots = lots.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=valid_on))
    lots = list(lots)
    return lots, sum((lot.remaining for lot in lots), ZERO)


def debit_booking(account, *, booking, lots, now, actor):
    return _take(account, lots, booking.hours, kind=EntryKind.BOOKING, now=now, booking=booking, actor=actor)


def release_booking(account, *, booking, now, actor, reason):
    """Give a booking's hours back to the lots it drew from, with their original expiry."""
    debit = booking.entries.get(kind=EntryKind.BOOKING)
    entry = Entry.objects.create(
        account=account, kind=EntryKind.RELEASE, hours=-debit.hours, at=now, booking=booking, actor=actor,
        reason=reason[:300],
    )
    for draw in debit.draws.all():
        Draw.objects.create(entry=entry, lot_id=draw.lot_id, hours=-draw.hours)
    # Hours whose lot expired while they were booked are gone at once, as if never booked.
    expire_due(account, today=timezone.localdate(now), now=now)
    return entry


def adjust(account, *, hours, reason, actor, now):
    """A coordinator's correction: an addition is a new lot (expiring like a credit), a deduction takes oldest first."""
    if hours > 0:
        if account.cap_hours is not None and account.balance() + hours > account.cap_hours:
            raise ValidationError(
                f"That would take the balance above the {hours_text(account.cap_hours)} cap "
                f"(the balance is {hours_text(account.balance())})."
            )
        return _new_lot_entry(
            account, kind=EntryKind.ADJUSTMENT, hours=hours, credited_on=timezone.localdate(now), now=now,
            reason=reason, actor=actor,
        )
    lots, available = usable_hours(account, valid_on=None)
    if available < -hours:
        raise ValidationError(f"Only {hours_text(available)} are in the bank; cannot take {hours_text(-hours)}.")
    return _take(account, lots, -hours, kind=EntryKind.ADJUSTMENT, now=now, reason=reason, actor=actor)
