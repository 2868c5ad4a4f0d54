"""Everything that changes a PA's employment: terms, holiday requests and decisions, sickness.

One transaction each, an audit row each; texts go through the notifications outbox in the
same transaction. Decisions that take a PA off the rota are told to it by signal.
"""
import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

import notifications
from care.kernel.names import person_name
from care.permissions import can
from care.services import record_audit

from .models import Absence, Contract, PayPeriod, Terms
from .permissions import is_employer, may_act_for
from .signals import absence_approved
from .wages import below_minimum

# Terms may be recorded from a year back (to put a past period right) to a year ahead.
TERMS_BACK_DAYS = 366
TERMS_AHEAD_DAYS = 366
# Leave is asked for up to 18 months ahead; sickness is recorded up to a year back.
LEAVE_AHEAD_DAYS = 548
ABSENCE_BACK_DAYS = 366
LONGEST_ABSENCE_DAYS = 366


def _decimal(value, name, *, places="0.01"):
    try:
        number = Decimal(str(value)).quantize(Decimal(places))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(f"{name} must be a number.") from None
    if not number.is_finite() or number < 0:
        raise ValidationError(f"{name} cannot be negative.")
    return number


def _lock_pa(pa):
    """Serialise one PA's absences, so two overlapping requests at once cannot both be saved."""
    return get_user_model().objects.select_for_update().get(pk=pa.pk)


def _check_pa(recipient, pa):
    if not can(pa, "work_shifts", recipient):
        raise ValidationError(f"{person_name(pa)} is not a PA in {recipient}'s circle.")


@transaction.atomic
def set_terms(*, recipient, pa, actor, effective_from, hourly_rate, sleep_in_allowance, leave_year_start,
              pay_period=PayPeriod.MONTHLY, contract=Contract.REGULAR, weekly_hours=None, days_per_week=None,
              night_uplift_percent=0, weekend_uplift_percent=0, bank_holiday_uplift_percent=0,
              below_minimum_reason=""):
    """A new version of the PA's terms from `effective_from`. A rate below the National Living Wage
    is refused unless the employer records why it is lawful (an apprentice or under-21 rate)."""
    if not is_employer(actor, recipient):
        raise PermissionDenied("Only the budget holder sets a PA's terms.")
    _check_pa(recipient, pa)
    today = timezone.localdate()
    if effective_from is None or not (
        today - datetime.timedelta(days=TERMS_BACK_DAYS) <= effective_from <= today + datetime.timedelta(days=TERMS_AHEAD_DAYS)
    ):
        raise ValidationError("Terms can start from a year back to a year ahead; check the date.")
    if leave_year_start is None:
        raise ValidationError("Give the first day of the leave year.")
    hourly_rate = _decimal(hourly_rate, "The hourly rate")
    if hourly_rate <= 0:
        raise ValidationError("The hourly rate must be more than £0.")
    sleep_in_allowance = _decimal(sleep_in_allowance, "The sleep-in allowance")
    uplifts = [_decimal(u, "An uplift") for u in (night_uplift_percent, weekend_uplift_percent,
                                                     bank_holiday_uplift_percent)]
    if any(u > 200 for u in uplifts):
        raise ValidationError("An uplift over 200% is surely a slip; check it.")
    if pay_period not in PayPeriod.values or contract not in Contract.values:
        raise ValidationError("Choose a pay period and a kind of contract from the list.")
    if contract == Contract.REGULAR:
        if weekly_hours in (None, ""):
            raise ValidationError("Give the contracted hours a week for a regular-hours PA.")
        weekly_hours = _decimal(weekly_hours, "Weekly hours")
        if not Decimal("0") < weekly_hours <= Decimal("78"):
            raise ValidationError("Weekly hours must be more than 0 and at most 78.")
        if days_per_week in (None, ""):
            raise ValidationError("Give the days worked a week for a regular-hours PA: holiday is counted in them.")
        days_per_week = _decimal(days_per_week, "Days a week", places="0.1")
        if not Decimal("0") < days_per_week <= Decimal("7"):
            raise ValidationError("Days a week must be more than 0 and at most 7.")
        if weekly_hours > 24 * days_per_week:
            raise ValidationError("More hours a week than there are in those days; check the hours and days.")
    else:
        weekly_hours = days_per_week = None
    reason = (below_minimum_reason or "").strip()[:200]
    warning = below_minimum(hourly_rate, effective_from)
    if warning and not reason:
        raise ValidationError(warning + " Record why this rate is lawful (an apprentice or under-21 rate) to save it.")
    if not warning:
        reason = ""
    terms = Terms.objects.create(
        recipient=recipient, pa=pa, effective_from=effective_from, hourly_rate=hourly_rate,
        sleep_in_allowance=sleep_in_allowance, night_uplift_percent=uplifts[0], weekend_uplift_percent=uplifts[1],
        bank_holiday_uplift_percent=uplifts[2], pay_period=pay_period, leave_year_start=leave_year_start,
        contract=contract, weekly_hours=weekly_hours, days_per_week=days_per_week, below_minimum_reason=reason, set_by=actor,
    )
    summary = f"{person_name(pa)}'s terms from {effective_from:%d %b %Y}: £{hourly_rate}/h, sleep-in £{sleep_in_allowance}"
    if reason:
        summary += f" (below the National Living Wage: {reason})"
    record_audit(actor=actor, recipient=recipient, action="employment.terms_set", summary=summary)
    return terms


def _check_days(first_day, last_day, *, ahead_days):
    if first_day is None or last_day is None:
        raise ValidationError("Give the first and last day.")
    if last_day < first_day:
        raise ValidationError("The last day cannot be before the first day.")
    if (last_day - first_day).days + 1 > LONGEST_ABSENCE_DAYS:
        raise ValidationError("An absence can be at most a year long; record a longer one in parts.")
    today = timezone.localdate()
    if first_day < today - datetime.timedelta(days=ABSENCE_BACK_DAYS) or last_day > today + datetime.timedelta(days=ahead_days):
        raise ValidationError("That is too far back or ahead; check the dates.")


def _check_no_overlap(recipient, pa, first_day, last_day):
    clash = Absence.objects.standing().filter(recipient=recipient, pa=pa).on_days(first_day, last_day).first()
    if clash is not None:
        raise ValidationError(
            f"{person_name(pa)} already has {clash.get_kind_display().lower()} "
            f"({clash.get_status_display().lower()}) {clash.first_day:%d %b}–{clash.last_day:%d %b %Y}, "
            "which overlaps these days."
        )


def default_leave_hours(recipient, pa, first_day, last_day):
    """The hours a holiday is paid for when nobody says. A regular-hours PA with their days a week
    recorded: in each calendar week, the weekdays asked for up to their days a week, each one of their
    days (contracted week / days), so a whole week off is their week and one day is one of their days.
    Without the days: a fifth of the week per weekday. Irregular hours: taken from what they give."""
    terms = Terms.objects.in_force(recipient, pa, first_day)
    if terms is None or terms.contract != Contract.REGULAR:
        return Decimal("0")
    weekdays = {}
    for i in range((last_day - first_day).days + 1):
        day = first_day + datetime.timedelta(days=i)
        if day.weekday() < 5:
            week = day.isocalendar()[:2]
            weekdays[week] = weekdays.get(week, 0) + 1
    if terms.days_per_week:
        days = sum(min(Decimal(n), terms.days_per_week) for n in weekdays.values())
        return (terms.weekly_hours / terms.days_per_week * days).quantize(Decimal("0.01"))
    return (terms.weekly_hours / 5 * sum(weekdays.values())).quantize(Decimal("0.01"))


def _leave_link(recipient):
    return settings.PUBLIC_BASE_URL + reverse("employment:leave", args=[recipient.pk])


@transaction.atomic
def request_leave(*, recipient, pa, actor, first_day, last_day, hours=None):
    """A PA asks for holiday (or the employer enters it for them); it waits for the budget holder."""
    if not may_act_for(actor, recipient, pa):
        raise PermissionDenied("You may ask for leave only for yourself.")
    _check_pa(recipient, pa)
    _check_days(first_day, last_day, ahead_days=LEAVE_AHEAD_DAYS)
    if first_day < timezone.localdate() - datetime.timedelta(days=31):
        raise ValidationError("Holiday can be asked for from a month back; record older leave with the budget holder.")
    _lock_pa(pa)
    _check_no_overlap(recipient, pa, first_day, last_day)
    hours = default_leave_hours(recipient, pa, first_day, last_day) if hours in (None, "") else _decimal(hours, "Hours")
    if hours > Decimal(24) * ((last_day - first_day).days + 1):
        raise ValidationError("More hours than there are in those days; check the hours.")
    absence = Absence.objects.create(
        recipient=recipient, pa=pa, kind=Absence.Kind.HOLIDAY, first_day=first_day, last_day=last_day,
        hours=hours, requested_by=actor,
    )
    record_audit(actor=actor, recipient=recipient, action="employment.leave_requested",
                 summary=f"{person_name(pa)} asked for holiday {absence.first_day:%d %b}–{absence.last_day:%d %b %Y} "
                 f"({hours} h)")
    return absence


@transaction.atomic
def decide_leave(*, absence, actor, approve, reason=""):
    """The budget holder approves or declines a holiday request (a reason is needed to decline).

    Two decisions at once: the row lock makes the first win; the second is told it was decided.
    """
    absence = Absence.objects.select_for_update().select_related("recipient", "pa").get(pk=absence.pk)
    if not is_employer(actor, absence.recipient):
        raise PermissionDenied("Only the budget holder decides leave.")
    if absence.status != Absence.Status.REQUESTED:
        who = person_name(absence.decided_by) if absence.decided_by_id else "someone"
        raise ValidationError(f"This request was already {absence.get_status_display().lower()} by {who}.")
    reason = (reason or "").strip()[:200]
    if not approve and not reason:
        raise ValidationError("Say why the leave is declined; the PA will see it.")
    absence.status = Absence.Status.APPROVED if approve else Absence.Status.DECLINED
    absence.decided_by, absence.decided_at, absence.decision_reason = actor, timezone.now(), reason
    absence.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    verb = "approved" if approve else "declined"
    record_audit(actor=actor, recipient=absence.recipient, action=f"employment.leave_{verb}",
                 summary=f"{person_name(absence.pa)}'s holiday {absence.first_day:%d %b}–{absence.last_day:%d %b %Y} "
                 f"{verb}" + (f": {reason}" if reason else ""))
    notifications.send_sms(
        user=absence.pa,
        body=f"paworkflow: your leave {absence.first_day:%d %b}-{absence.last_day:%d %b} is {verb}. "
        f"{_leave_link(absence.recipient)}",
        purpose="employment-leave",
        idempotency_key=f"employment-leave-{absence.pk}-{verb}",
        recipient=absence.recipient,
    )
    if approve:
        absence_approved.send(sender=Absence, absence=absence, actor=actor)
    return absence


@transaction.atomic
def record_sickness(*, recipient, pa, actor, first_day, last_day, category):
    """The budget holder or the PA records days off sick: a category, never clinical detail.
    The PA's booked shifts in those days then need cover."""
    if not may_act_for(actor, recipient, pa):
        raise PermissionDenied("You may record sickness only for yourself.")
    _check_pa(recipient, pa)
    if category not in Absence.Category.values:
        raise ValidationError("Choose a category from the list.")
    _check_days(first_day, last_day, ahead_days=31)
    _lock_pa(pa)
    _check_no_overlap(recipient, pa, first_day, last_day)
    now = timezone.now()
    absence = Absence.objects.create(
        recipient=recipient, pa=pa, kind=Absence.Kind.SICKNESS, first_day=first_day, last_day=last_day,
        category=category, status=Absence.Status.APPROVED, requested_by=actor, decided_by=actor, decided_at=now,
    )
    record_audit(actor=actor, recipient=recipient, action="employment.sickness_recorded",
                 summary=f"{person_name(pa)} off sick {first_day:%d %b}–{last_day:%d %b %Y} "
                 f"({absence.get_category_display().lower()})")
    absence_approved.send(sender=Absence, absence=absence, actor=actor)
    return absence
