"""Timesheets: every finished shift becomes one; the PA confirms or corrects it (on the page, or
"OK <code>" by text), the budget holder approves or queries it with a reason; nothing unapproved
is paid. A shift that already happened can be recorded afterwards by the budget holder and
confirmed by the PA.

One transaction each, the timesheet row locked first, an audit row each; texts through the outbox.
"""
import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

import notifications
from care.kernel.names import person_name
from care.permissions import can
from care.services import record_audit
from employment.models import Absence
from employment.permissions import is_employer

from . import live
from .models import Shift, Timesheet, TimesheetVersion
from .rules import check_day

REASON_MAX = 200


def timesheet_link(timesheet):
    return settings.PUBLIC_BASE_URL + reverse("timesheets:detail", args=[timesheet.pk])


def _when(start, end):
    start, end = timezone.localtime(start), timezone.localtime(end)
    days = (end.date() - start.date()).days
    return f"{start:%a %d %b %H:%M}-{end:%H:%M}" + (f" (+{days})" if days else "")


def _lock(timesheet, expected_version=None):
    locked = Timesheet.objects.select_for_update(of=("self",)).select_related(
        "shift__recipient", "pa", "current_version", "approved_by").get(pk=timesheet.pk)
    if expected_version not in (None, ""):
        try:
            same = int(expected_version) == locked.version
        except (TypeError, ValueError):
            same = False
        if not same:
            raise ValidationError("This timesheet was changed by someone else meanwhile; look at it again.")
    return locked


def _save(timesheet, fields):
    timesheet.version += 1
    timesheet.save(update_fields=[*fields, "version"])


def check_worked_times(*, shift, start, end, break_minutes, woken_minutes, planned=None):
    """Refuse times that cannot be right: see docs/employment.md ("Timesheets")."""
    if start is None or end is None:
        raise ValidationError("Give the start and end times worked.")
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError("Times must carry their time zone.")
    if end <= start:
        raise ValidationError("The end must be after the start.")
    if break_minutes is None or woken_minutes is None or break_minutes < 0 or woken_minutes < 0:
        raise ValidationError("Breaks and time woken cannot be negative.")
    minutes = (end - start).total_seconds() / 60
    if end - start > datetime.timedelta(hours=24):
        raise ValidationError("A shift can be at most 24 hours long.")
    if break_minutes >= minutes:
        raise ValidationError("The break is as long as the shift; check it.")
    if woken_minutes and shift.kind != Shift.Kind.SLEEP_IN:
        raise ValidationError("Time woken is recorded on sleep-ins only.")
    if woken_minutes > minutes:
        raise ValidationError("Time woken cannot be longer than the sleep-in.")
    if planned is not None:
        plan_start, plan_end = planned
        length = plan_end - plan_start
        if start < plan_start - length or end > plan_end + length:
            raise ValidationError(
                f"Those times are further from the shift ({_when(plan_start, plan_end)}) than the shift's own "
                "length; record separate work as its own shift.")


def _new_version(timesheet, *, start, end, break_minutes, woken_minutes, source, by, reason=""):
    number = (timesheet.current_version.number + 1) if timesheet.current_version_id else 1
    version = TimesheetVersion.objects.create(
        timesheet=timesheet, number=number, start=start, end=end, break_minutes=break_minutes,
        woken_minutes=woken_minutes, source=source, by=by, reason=reason[:REASON_MAX],
    )
    timesheet.current_version = version
    return version


def _create(shift, pa, *, status=Timesheet.Status.TO_CONFIRM):
    for _attempt in range(5):
        try:
            with transaction.atomic():  # a savepoint: a clashing random code is simply drawn again
                return Timesheet.objects.create(shift=shift, pa=pa, status=status)
        except IntegrityError:
            if Timesheet.objects.filter(shift=shift).exists():
                raise ValidationError("This shift already has a timesheet.") from None
    raise RuntimeError("Could not draw a free timesheet code")


def _text_pa(timesheet, body, purpose):
    return notifications.send_sms(
        user=timesheet.pa,
        body=f"paworkflow: {body}",
        purpose=f"timesheet-{purpose}",
        idempotency_key=f"timesheet-{purpose}-{timesheet.pk}-v{timesheet.version}",
        recipient=timesheet.shift.recipient,
    )


def open_timesheet(*, shift):
    """Inside complete_shift's transaction: the worked shift's timesheet, as planned, and the
    end-of-shift text asking the PA to confirm it."""
    timesheet = _create(shift, shift.pa)
    _new_version(timesheet, start=shift.start, end=shift.end, break_minutes=0, woken_minutes=0,
                 source=TimesheetVersion.Source.PLAN, by=None)
    timesheet.save(update_fields=["current_version"])
    _text_pa(timesheet, f"your shift {_when(shift.start, shift.end)} is over. Reply OK {timesheet.code} if the "
             f"times were right, or change them: {timesheet_link(timesheet)}", "ended")
    return timesheet


def _audit(timesheet, actor, action, summary):
    record_audit(actor=actor, recipient=timesheet.shift.recipient, action=f"rota.timesheet_{action}",
                 summary=f"{summary} ({timesheet.shift})")


@transaction.atomic
def confirm_timesheet(*, timesheet, pa, expected_version=None):
    """The PA says the times stand as they are."""
    timesheet = _lock(timesheet, expected_version)
    if pa.pk != timesheet.pa_id:
        raise PermissionDenied("Only the PA who worked the shift confirms it.")
    if timesheet.status not in (Timesheet.Status.TO_CONFIRM, Timesheet.Status.QUERIED):
        raise ValidationError(f"This timesheet is already {timesheet.get_status_display().lower()}.")
    timesheet.status = Timesheet.Status.CONFIRMED
    _save(timesheet, ["status"])
    _audit(timesheet, pa, "confirmed", f"{person_name(pa)} confirmed {_times(timesheet.current_version)}")
    return timesheet


def _times(version):
    text = _when(version.start, version.end)
    if version.break_minutes:
        text += f", {version.break_minutes} min break"
    if version.woken_minutes:
        text += f", {version.woken_minutes} min woken"
    return text


@transaction.atomic
def correct_timesheet(*, timesheet, actor, start, end, break_minutes=0, woken_minutes=0, reason,
                      expected_version=None):
    """New times, with why. The PA's correction waits for approval; the budget holder's waits for
    the PA to confirm it. An approved timesheet keeps paying its approved version until the
    correction is approved in turn."""
    timesheet = _lock(timesheet, expected_version)
    recipient = timesheet.shift.recipient
    by_pa = actor.pk == timesheet.pa_id
    if not (by_pa or is_employer(actor, recipient)):
        raise PermissionDenied("Only the PA who worked the shift or the budget holder corrects it.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the times changed (stayed late, a break, woken at night).")
    shift = timesheet.shift
    check_worked_times(shift=shift, start=start, end=end, break_minutes=break_minutes, woken_minutes=woken_minutes,
                       planned=(shift.start, shift.end))
    version = _new_version(timesheet, start=start, end=end, break_minutes=break_minutes,
                           woken_minutes=woken_minutes, by=actor, reason=reason,
                           source=TimesheetVersion.Source.PA if by_pa else TimesheetVersion.Source.EMPLOYER)
    timesheet.status = Timesheet.Status.CONFIRMED if by_pa else Timesheet.Status.TO_CONFIRM
    if timesheet.status == Timesheet.Status.TO_CONFIRM:
        timesheet.code = _fresh_code(timesheet)
    _save(timesheet, ["status", "current_version", "code"])
    _audit(timesheet, actor, "corrected", f"{person_name(actor)} corrected to {_times(version)}: {reason}")
    if not by_pa:
        _text_pa(timesheet, f"your timesheet for {_when(shift.start, shift.end)} was changed. Reply OK "
                 f"{timesheet.code} to confirm it, or see {timesheet_link(timesheet)}", "changed")
    return timesheet


def _fresh_code(timesheet):
    for _attempt in range(20):
        code = Timesheet._meta.get_field("code").default()
        if not Timesheet.objects.filter(code=code, status__in=["to_confirm", "queried"]).exclude(
                pk=timesheet.pk).exists():
            return code
    raise RuntimeError("Could not draw a free timesheet code")


def _decider(timesheet, actor):
    if not is_employer(actor, timesheet.shift.recipient):
        raise PermissionDenied("Only the budget holder approves or queries timesheets.")


@transaction.atomic
def approve_timesheet(*, timesheet, actor, expected_version=None):
    """The budget holder approves the confirmed times for pay. Two approvals at once: the row lock
    makes the first win and the second is told who approved it."""
    timesheet = _lock(timesheet)
    _decider(timesheet, actor)
    if timesheet.status == Timesheet.Status.APPROVED:
        raise ValidationError(f"Already approved by {person_name(timesheet.approved_by)}.")
    if expected_version not in (None, "") and str(expected_version) != str(timesheet.version):
        raise ValidationError("This timesheet was changed by someone else meanwhile; look at it again.")
    if timesheet.status != Timesheet.Status.CONFIRMED:
        raise ValidationError("The PA has not confirmed these times yet.")
    timesheet.status = Timesheet.Status.APPROVED
    timesheet.approved_version = timesheet.current_version
    timesheet.approved_by, timesheet.approved_at = actor, timezone.now()
    timesheet.query_reason = ""
    _save(timesheet, ["status", "approved_version", "approved_by", "approved_at", "query_reason"])
    _audit(timesheet, actor, "approved", f"{person_name(actor)} approved {_times(timesheet.current_version)}")
    return timesheet


@transaction.atomic
def query_timesheet(*, timesheet, actor, reason, expected_version=None):
    """The budget holder asks the PA to look again, with a reason the PA sees on the page (not in the text)."""
    timesheet = _lock(timesheet, expected_version)
    _decider(timesheet, actor)
    reason = (reason or "").strip()[:REASON_MAX]
    if not reason:
        raise ValidationError("Say what to look at again; the PA will see it.")
    if timesheet.status != Timesheet.Status.CONFIRMED:
        raise ValidationError(f"Only a confirmed timesheet can be queried; this one is "
                              f"{timesheet.get_status_display().lower()}.")
    timesheet.status, timesheet.query_reason = Timesheet.Status.QUERIED, reason
    timesheet.code = _fresh_code(timesheet)
    _save(timesheet, ["status", "query_reason", "code"])
    _audit(timesheet, actor, "queried", f"{person_name(actor)} queried it: {reason}")
    _text_pa(timesheet, f"please look again at your timesheet for {_when(timesheet.shift.start, timesheet.shift.end)}: "
             f"{timesheet_link(timesheet)}", "queried")
    return timesheet


@transaction.atomic
def record_worked_shift(*, recipient, pa, actor, kind, start, end, break_minutes=0, woken_minutes=0, reason=""):
    """A shift that already happened (cover never planned): recorded by the budget holder, then
    confirmed by the PA."""
    if not is_employer(actor, recipient):
        raise PermissionDenied("Only the budget holder records worked shifts.")
    if not can(pa, "work_shifts", recipient):
        raise ValidationError(f"{person_name(pa)} is not a PA in {recipient}'s circle.")
    if kind not in Shift.Kind.values:
        raise ValidationError(f"Unknown kind of shift: {kind!r}.")
    check_worked_times(shift=Shift(kind=kind), start=start, end=end, break_minutes=break_minutes,
                       woken_minutes=woken_minutes)
    check_day(timezone.localdate(start))
    if end > timezone.now():
        raise ValidationError("This shift has not ended yet; plan it on the rota instead.")
    # The PA's row lock, as rota.services takes it to book: two rotas cannot double-book them at once.
    get_user_model().objects.select_for_update().get(pk=pa.pk)
    if Shift.objects.booked_for(pa).overlapping(start, end).exists():
        raise ValidationError(f"{person_name(pa)} already has a shift in those times.")
    away = Absence.objects.keeping_out(recipient=recipient, pa=pa, start=start, end=end).first()
    if away is not None:
        raise ValidationError(f"{person_name(pa)} is {away.describe} (approved).")
    shift = Shift.objects.create(recipient=recipient, start=start, end=end, kind=kind, pa=pa,
                                 status=Shift.Status.COMPLETED, created_by=actor)
    live.record_change(shift)
    timesheet = _create(shift, pa)
    version = _new_version(timesheet, start=start, end=end, break_minutes=break_minutes, woken_minutes=woken_minutes,
                           source=TimesheetVersion.Source.EMPLOYER, by=actor, reason=(reason or "").strip())
    timesheet.save(update_fields=["current_version"])
    _audit(timesheet, actor, "recorded", f"{person_name(actor)} recorded {person_name(pa)} worked {_times(version)}")
    _text_pa(timesheet, f"a shift you worked {_when(start, end)} was recorded. Reply OK {timesheet.code} if the "
             f"times are right, or see {timesheet_link(timesheet)}", "recorded")
    return timesheet


def handle_ok_reply(*, user, number, keyword, args):
    """notifications' reply handler for "OK 482113"."""
    words = args.split() if isinstance(args, str) else list(args or [])
    code = next((w for w in words if w.isdigit()), None)
    if code is None:
        return "Please reply OK followed by the timesheet code, for example OK 482113."
    if user is None:
        return "Sorry, we don't recognise this number."
    timesheet = Timesheet.objects.filter(code=code, pa=user).order_by("-pk").first()
    if timesheet is None:
        return f"Sorry, no timesheet with code {code} is yours."
    try:
        confirm_timesheet(timesheet=timesheet, pa=user)
    except (ValidationError, PermissionDenied) as refusal:
        return f"Timesheet {code}: " + " ".join(getattr(refusal, "messages", [str(refusal)]))
    return f"Thanks, timesheet {code} is confirmed."
