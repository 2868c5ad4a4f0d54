"""The rota's refusals, in one place: times that make sense, no double booking, the competency gate.

Only `rota.services` calls these (inside its transaction, after taking its locks), so the
page, the admin and an SMS reply all meet exactly the same rules.
"""
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from care.kernel.names import person_name
from care.permissions import can
from competencies.models import Competency
from employment.models import Absence

from .models import NOTES_MAX_LENGTH, Shift

MAX_SHIFT = datetime.timedelta(hours=24)

# The dates a shift may have: recorded up to a year after it was worked, planned up to two years
# ahead. Anything outside is a slip of the thumb (0001, 9999) and would only break the sums and
# the calendar arithmetic downstream. The planning horizon is `settings.ROTA_SHIFTS_AHEAD_DAYS`.
SHIFTS_BACK_DAYS = 366
# The rota page also shows history older than anything that can still be recorded: pay and care
# records are kept six years.
HISTORY_DAYS = 6 * 366

LOCATION_MAX_LENGTH = Shift._meta.get_field("location").max_length


def shift_window(today=None):
    """(first, last): the local dates a shift may start on."""
    today = today or timezone.localdate()
    ahead = datetime.timedelta(days=settings.ROTA_SHIFTS_AHEAD_DAYS)
    return today - datetime.timedelta(days=SHIFTS_BACK_DAYS), today + ahead


def rota_weeks(today=None):
    """(first, last): the Mondays of the weeks the rota page shows."""
    today = today or timezone.localdate()
    _first, last = shift_window(today)
    first = today - datetime.timedelta(days=HISTORY_DAYS)
    return first - datetime.timedelta(days=first.weekday()), last - datetime.timedelta(days=last.weekday())


def window_message(first, last):
    return (f"Shifts can be recorded from {first:%d %b %Y} (a year back) and planned until {last:%d %b %Y}; "
            "check the date.")


def check_day(day):
    """Refuse a shift starting on a local date outside `shift_window`."""
    first, last = shift_window()
    if day is None or not first <= day <= last:
        raise ValidationError(window_message(first, last), code="outside_window")


def check_text(*, notes="", location=""):
    errors = []
    if len(notes or "") > NOTES_MAX_LENGTH:
        errors.append(f"Notes can be at most {NOTES_MAX_LENGTH} characters (they have {len(notes)}).")
    if len(location or "") > LOCATION_MAX_LENGTH:
        errors.append(f"The location can be at most {LOCATION_MAX_LENGTH} characters.")
    if errors:
        raise ValidationError(errors)


def check_times(start, end):
    """Refuse impossible times; return them in UTC, where differences are real elapsed time."""
    if start is None or end is None:
        raise ValidationError("A shift needs a start and an end.")
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError("Shift times must carry their time zone.")
    try:
        check_day(timezone.localdate(start))
        start, end = start.astimezone(datetime.timezone.utc), end.astimezone(datetime.timezone.utc)
    except OverflowError:  # a moment at the very edge of the calendar (year 1 or 9999)
        raise ValidationError(window_message(*shift_window()), code="outside_window") from None
    if end <= start:
        raise ValidationError("The shift must end after it starts.")
    if end - start > MAX_SHIFT:
        raise ValidationError("A shift can be at most 24 hours long; split longer cover into shifts.")
    return start, end


def check_assignable(*, shift, pa, start, end, tasks):
    """Raise ValidationError (every reason at once) unless `pa` may work this shift at these times."""
    errors = []
    if not can(pa, "work_shifts", shift.recipient):
        raise ValidationError(f"{person_name(pa)} is not a PA in {shift.recipient}'s circle.")
    clash = Shift.objects.booked_for(pa).overlapping(start, end).exclude(pk=shift.pk).first()
    if clash is not None:
        # Another family's shift may be the clash: say when, never whose.
        local = timezone.localtime(clash.start)
        errors.append(
            f"{person_name(pa)} already has a shift then ({local:%a %d %b %H:%M}–{timezone.localtime(clash.end):%H:%M})."
        )
    away = Absence.objects.keeping_out(recipient=shift.recipient, pa=pa, start=start, end=end).first()
    if away is not None:
        errors.append(f"{person_name(pa)} is {away.describe} (approved).")
    for task in tasks:
        if not Competency.objects.valid_for(shift.recipient, task, start, until=end).filter(pa=pa).exists():
            errors.append(
                f"{person_name(pa)} has no signed-off competency in {task.name} for {shift.recipient} "
                "that covers the whole shift."
            )
    if errors:
        raise ValidationError(errors)
