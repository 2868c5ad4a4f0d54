"""Everything people do to respite hours: opening an account, a coordinator's adjustment, booking,
approval and cancellation (what time does to them is in `settlement`). One transaction each; the account row is locked
before any balance is read, so two bookings can never both spend the same hours."""
import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

import notifications
from care.kernel.names import person_name
from care.models import Membership, Role
from care.permissions import can
from care.services import record_audit
from rota import rules as rota_rules
from rota import services as rota_services
from rota.models import Shift

from . import ledger, settlement
from .access import rights
from .assessments import allowance_problems
from .models import (
    LIVE_BOOKING_STATUSES, BookingDecision, BookingStatus, PeriodUnit, RespiteAccount,
    RespiteBooking, hours_problem, hours_text,
)
from .periods import PERIODS_START_WITHIN, first_valid_expiry
from .settlement import account_link

SECONDS_PER_HOUR = Decimal(3600)
MAX_PERIOD_LENGTH = 52
MAX_EXPIRY_MONTHS = 120


def _when(moment):
    return f"{timezone.localtime(moment):%a %d %b %H:%M}"


# --- accounts -------------------------------------------------------------------------------


@transaction.atomic
def open_account(
    *, recipient, carer, assessment, allowance_hours, period_length, period_unit, periods_start_on, actor,
    cap_hours=None, carry_over_hours=None, expiry_months=None,
):
    """A carer's respite account for one person, its allowance resting on the carer's current
    assessment (no more hours than it agreed, for the same period); periods already begun are
    credited at once."""
    if not rights(actor, recipient).is_coordinator:
        raise PermissionDenied("Only the person's PHB coordinator opens respite accounts.")
    errors = {}
    if not can(carer, "use_respite", recipient):
        errors["carer"] = f"{person_name(carer)} is not a carer in {recipient}'s circle."
    elif RespiteAccount.objects.filter(recipient=recipient, carer=carer).exists():
        errors["carer"] = f"{person_name(carer)} already has a respite account for {recipient}."
    if allowance_hours is None or allowance_hours <= 0:
        errors["allowance_hours"] = "The allowance must be more than 0 hours."
    if not period_length or period_length <= 0:
        errors["period_length"] = "A period is at least 1 week, month or year."
    elif period_length > MAX_PERIOD_LENGTH:
        errors["period_length"] = f"A period is at most {MAX_PERIOD_LENGTH} weeks, months or years."
    if period_unit not in PeriodUnit.values:
        errors["period_unit"] = "Choose weeks, months or years."
    if cap_hours is not None and allowance_hours and cap_hours < allowance_hours:
        errors["cap_hours"] = "The cap cannot be less than one period's allowance."
    if carry_over_hours is not None and carry_over_hours < 0:
        errors["carry_over_hours"] = "The carry-over limit cannot be negative."
    amounts = {"allowance_hours": (allowance_hours, "The allowance"), "cap_hours": (cap_hours, "The cap"),
               "carry_over_hours": (carry_over_hours, "The carry-over limit")}
    for field, (hours, what) in amounts.items():
        problem = hours_problem(hours, what) if hours is not None else None
        if problem and field not in errors:
            errors[field] = problem
    if expiry_months is not None and expiry_months <= 0:
        errors["expiry_months"] = "Hours expire at least 1 month after they are credited (or leave it blank)."
    elif expiry_months is not None and expiry_months > MAX_EXPIRY_MONTHS:
        errors["expiry_months"] = f"Hours expire at most {MAX_EXPIRY_MONTHS} months after they are credited."
    today = timezone.localdate()
    if periods_start_on is None or periods_start_on < today - PERIODS_START_WITHIN:
        errors["periods_start_on"] = "The first period starts at most a year ago."
    elif periods_start_on > today + PERIODS_START_WITHIN:
        errors["periods_start_on"] = "The first period starts at most a year ahead."
    if "carer" not in errors and not errors.keys() & {"period_length", "period_unit"}:
        for field, message in allowance_problems(
            assessment=assessment, recipient=recipient, carer=carer, allowance_hours=allowance_hours,
            period_length=period_length, period_unit=period_unit,
        ).items():
            errors.setdefault(field, message)
    if errors:
        raise ValidationError(errors)
    account = RespiteAccount.objects.create(
        recipient=recipient, carer=carer, assessment=assessment, allowance_hours=allowance_hours, period_length=period_length,
        period_unit=period_unit, periods_start_on=periods_start_on, cap_hours=cap_hours,
        carry_over_hours=carry_over_hours, expiry_months=expiry_months, opened_by=actor,
    )
    record_audit(
        actor=actor, recipient=recipient, action="respite.account_opened",
        summary=f"Respite account for {person_name(carer)}: {account.allowance_display}, as agreed in "
        f"{assessment.reference}",
    )
    settlement.settle_account(account=account)
    return account


@transaction.atomic
def close_accounts(*, recipient, carer, closed_on):
    """The carer has left the circle: their accounts earn no allowance for periods after `closed_on`."""
    return RespiteAccount.objects.filter(recipient=recipient, carer=carer, closed_on__isnull=True).update(
        closed_on=closed_on
    )


@transaction.atomic
def adjust_hours(*, account, hours, reason, actor):
    """A coordinator's correction with a reason: a new entry, never an edit."""
    if not rights(actor, account.recipient).is_coordinator:
        raise PermissionDenied("Only the person's PHB coordinator adjusts respite hours.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the hours are being adjusted."})
    if hours is None or hours == 0:
        raise ValidationError({"hours": "Adjust by a number of hours other than 0."})
    problem = hours_problem(hours, "An adjustment")
    if problem:
        raise ValidationError({"hours": problem})
    account = ledger.lock_account(account)
    entry = ledger.adjust(account, hours=hours, reason=reason, actor=actor, now=timezone.now())
    record_audit(
        actor=actor, recipient=account.recipient, action="respite.adjusted",
        summary=f"Respite hours of {person_name(account.carer)} adjusted by {hours:+} h: {reason}",
    )
    return entry


# --- booking ----------------------------------------------------------------------------------


def booking_hours(start, end):
    """Elapsed hours, so cover across a clock change is an hour more or less than the clock suggests.

    Both ends go to UTC first: Python subtracts two datetimes sharing one tzinfo as wall-clock times.
    """
    elapsed = end.astimezone(datetime.timezone.utc) - start.astimezone(datetime.timezone.utc)
    return (Decimal(elapsed.total_seconds()) / SECONDS_PER_HOUR).quantize(Decimal("0.01"))


def _check_times(start, end, now):
    if start is None or end is None:
        raise ValidationError("Choose when the respite starts and ends.")
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError("Respite times must carry their time zone.")
    if end <= start:
        raise ValidationError("The respite must end after it starts.")
    if start <= now:
        raise ValidationError("Respite can only be booked for a time that has not started yet.")
    _first, last = rota_rules.shift_window()
    if timezone.localdate(start) > last:  # before any date arithmetic: 31 Dec 9999 has no next day
        raise ValidationError(f"Respite can be booked up to {last:%d %b %Y}, as far ahead as the rota plans.")
    for moment in (start, end):
        if moment.second or moment.microsecond or moment.minute % 15:
            raise ValidationError("Book respite in quarter hours (e.g. 10:00, 10:15, 10:30).")


@transaction.atomic
def book_respite(*, account, start, end, actor, notes=""):
    """Debit the hours and put a respite shift on the rota, in one transaction.

    Only hours still valid when the shift ends count. When the carer is not the budget holder
    the shift waits for the budget holder's approval before it is offered to PAs.
    """
    allowed = rights(actor, account.recipient)
    if not allowed.may_book(account):
        raise PermissionDenied("Only the carer books respite from their own account.")
    now = timezone.now()
    _check_times(start, end, now)
    hours = booking_hours(start, end)
    account = ledger.lock_account(account)
    if account.closed_on is not None:
        raise ValidationError("This respite account is closed.")
    lots, usable = ledger.usable_hours(account, valid_on=first_valid_expiry(end))
    if usable < hours:
        balance = account.balance()
        if balance >= hours:
            raise ValidationError(
                f"This needs {hours_text(hours)}. Your balance is {hours_text(balance)}, but only "
                f"{hours_text(usable)} will still be valid on {timezone.localtime(end):%d %b %Y}."
            )
        raise ValidationError(f"Not enough respite hours: this needs {hours_text(hours)} and your balance is "
                              f"{hours_text(balance)}.")
    needs_approval = not allowed.is_budget_holder
    shift = rota_services.create_shift(
        recipient=account.recipient, start=start, end=end, kind=Shift.Kind.RESPITE, actor=actor,
        notes=" ".join(filter(None, [f"Respite cover booked by {person_name(actor)}.", notes.strip()])),
    )
    booking = RespiteBooking.objects.create(
        account=account, shift=shift, start=start, end=end, hours=hours, notes=notes.strip()[:300],
        status=BookingStatus.AWAITING_APPROVAL if needs_approval else BookingStatus.BOOKED, booked_by=actor,
    )
    ledger.debit_booking(account, booking=booking, lots=lots, now=now, actor=actor)
    booking.offer_problem = ""
    if needs_approval:
        _ask_budget_holders(booking)
    else:
        booking.offer_problem = _offer(booking, actor)
    record_audit(
        actor=actor, recipient=account.recipient, action="respite.booked",
        summary=f"{person_name(actor)} booked {hours_text(hours)} of respite from {_when(start)} ({booking.reference})",
    )
    return booking


def _offer(booking, actor):
    """Offer the shift to the circle's PAs. When none is free it stays on the rota unoffered (the
    refusal only rolls back rota's own savepoint) and the reason is returned for the page."""
    try:
        rota_services.offer_shift(shift=booking.shift, actor=actor)
    except ValidationError as refusal:
        return " ".join(refusal.messages)
    return ""


def _ask_budget_holders(booking):
    account = booking.account
    holders = Membership.objects.active().filter(recipient=account.recipient, role=Role.BUDGET_HOLDER)
    for membership in holders.select_related("user__profile"):
        notifications.send_sms(
            user=membership.user,
            body=f"paworkflow: respite request {booking.reference} ({_when(booking.start)}) needs your OK: "
            f"{account_link(account)}",
            purpose="respite_approval",
            idempotency_key=f"respite-approval-{booking.pk}-{membership.user_id}",
            recipient=account.recipient,
        )


def _locked_booking(booking):
    return RespiteBooking.objects.select_for_update().select_related("shift").get(pk=booking.pk)


@transaction.atomic
def approve_booking(*, booking, actor, note=""):
    """The budget holder agrees: the decision is recorded and the shift is offered to PAs."""
    if not rights(actor, booking.account.recipient).is_budget_holder:
        raise PermissionDenied("Only the person's budget holder approves respite.")
    account = booking.account
    booking = _locked_booking(booking)
    if booking.status != BookingStatus.AWAITING_APPROVAL:
        raise ValidationError(f"This booking is not waiting for approval (it is {booking.get_status_display().lower()}).")
    if booking.start <= timezone.now():
        raise ValidationError("This respite has already started; it can no longer be approved.")
    BookingDecision.objects.create(
        booking=booking, outcome=BookingDecision.Outcome.APPROVED, decided_by=actor, note=note.strip()[:300]
    )
    booking.status = BookingStatus.BOOKED
    booking.save(update_fields=["status"])
    booking.offer_problem = _offer(booking, actor)
    _tell_carer(booking, account, "was approved")
    record_audit(
        actor=actor, recipient=account.recipient, action="respite.approved",
        summary=f"{person_name(actor)} approved respite {booking.reference}",
    )
    return booking


@transaction.atomic
def decline_booking(*, booking, actor, note=""):
    """The budget holder says no: the decision is recorded, the shift cancelled, the hours given back."""
    if not rights(actor, booking.account.recipient).is_budget_holder:
        raise PermissionDenied("Only the person's budget holder approves respite.")
    account = ledger.lock_account(booking.account)
    booking = _locked_booking(booking)
    if booking.status != BookingStatus.AWAITING_APPROVAL:
        raise ValidationError(f"This booking is not waiting for approval (it is {booking.get_status_display().lower()}).")
    BookingDecision.objects.create(
        booking=booking, outcome=BookingDecision.Outcome.DECLINED, decided_by=actor, note=note.strip()[:300]
    )
    _end_booking(account, booking, status=BookingStatus.DECLINED, actor=actor,
                 reason=f"Declined by the budget holder{': ' + note.strip() if note.strip() else ''}")
    _tell_carer(booking, account, "was not approved; the hours are back in your account")
    record_audit(
        actor=actor, recipient=account.recipient, action="respite.declined",
        summary=f"{person_name(actor)} declined respite {booking.reference}",
    )
    return booking


@transaction.atomic
def cancel_booking(*, booking, actor, reason=""):
    """Cancel the respite shift on the rota and give the hours back with their original expiry.

    A respite shift cancelled on the rota page comes to the same end through the rota's
    shift_cancelled signal (release_for_cancelled_shift); `release_cancelled_shifts` is the
    periodic safety net for anything that changed a shift without the rota's services.
    """
    if not rights(actor, booking.account.recipient).may_cancel(booking.account):
        raise PermissionDenied("Only the carer or the budget holder cancels respite.")
    account = ledger.lock_account(booking.account)
    booking = _locked_booking(booking)
    if booking.status not in LIVE_BOOKING_STATUSES:
        raise ValidationError(f"This booking is already {booking.get_status_display().lower()}.")
    if booking.start <= timezone.now():
        raise ValidationError("This respite has already started; it can no longer be cancelled.")
    reason = (reason or "").strip() or "Cancelled"
    _end_booking(account, booking, status=BookingStatus.CANCELLED, actor=actor, reason=reason)
    record_audit(
        actor=actor, recipient=account.recipient, action="respite.cancelled",
        summary=f"{person_name(actor)} cancelled respite {booking.reference}: {reason}",
    )
    return booking


def _end_booking(account, booking, *, status, actor, reason):
    # The booking is ended before its shift is cancelled, so the rota's shift_cancelled signal
    # (release_for_cancelled_shift) finds nothing live and the hours come back once.
    booking.status = status
    booking.cancelled_at = timezone.now()
    booking.cancelled_by = actor
    booking.cancel_reason = reason[:300]
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    if booking.shift is not None and booking.shift.status != Shift.Status.CANCELLED:
        rota_services.cancel_shift(shift=booking.shift, actor=actor, reason=reason[:200])
    ledger.release_booking(account, booking=booking, now=timezone.now(), actor=actor, reason=reason)


def _tell_carer(booking, account, outcome):
    notifications.send_sms(
        user=account.carer,
        body=f"paworkflow: your respite {booking.reference} ({_when(booking.start)}) {outcome}. "
        f"{account_link(account)}",
        purpose="respite_decision",
        idempotency_key=f"respite-decision-{booking.pk}",
        recipient=account.recipient,
    )


def release_cancelled_shifts():
    """Bookings whose respite shift was cancelled on the rota itself get their hours back (once each)."""
    released = 0
    stale = RespiteBooking.objects.live().filter(shift__status=Shift.Status.CANCELLED).values_list("pk", flat=True)
    for pk in stale:
        released += _release_cancelled_shift(pk)
    return released


@transaction.atomic
def _release_cancelled_shift(booking_pk, actor=None):
    booking = RespiteBooking.objects.select_related("account").get(pk=booking_pk)
    account = ledger.lock_account(booking.account)
    booking = _locked_booking(booking)
    if booking.status not in LIVE_BOOKING_STATUSES:  # another worker got there first
        return 0
    reason = f"Shift cancelled on the rota: {booking.shift.cancel_reason}".rstrip(": ")
    _end_booking(account, booking, status=BookingStatus.CANCELLED, actor=actor, reason=reason)
    record_audit(actor=actor, recipient=account.recipient, action="respite.cancelled",
                 summary=f"Respite {booking.reference} released: {reason}")
    return 1


def release_for_cancelled_shift(*, shift, actor=None):
    """A respite shift cancelled on the rota page gives the carer's hours back in the same
    transaction (release_cancelled_shifts remains the safety net for any path that missed it)."""
    live = RespiteBooking.objects.live().filter(shift=shift).values_list("pk", flat=True)
    return sum(_release_cancelled_shift(pk, actor) for pk in live)


def decline_stale_requests(*, now=None):
    """Requests nobody approved before they were due to start are declined, and their hours given back."""
    now = now or timezone.now()
    declined = 0
    for pk in RespiteBooking.objects.awaiting_approval().filter(start__lte=now).values_list("pk", flat=True):
        declined += _decline_stale(pk, now)
    return declined


@transaction.atomic
def _decline_stale(booking_pk, now):
    booking = RespiteBooking.objects.select_related("account").get(pk=booking_pk)
    account = ledger.lock_account(booking.account)
    booking = _locked_booking(booking)
    if booking.status != BookingStatus.AWAITING_APPROVAL or booking.start > now:
        return 0
    reason = "Not approved before it was due to start"
    _end_booking(account, booking, status=BookingStatus.DECLINED, actor=None, reason=reason)
    _tell_carer(booking, account, "was not approved in time; the hours are back in your account")
    record_audit(actor=None, recipient=account.recipient, action="respite.declined",
                 summary=f"Respite {booking.reference}: {reason}")
    return 1
