"""The rota's refusals, in one place: times that make sense, no double booking, the competency gate.

Only `rota.services` calls these (inside its transaction, after taking its locks), so the
page, the admin and an SMS reply all meet exactly the same rules.
"""
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from care.kernel.names import person_name
from care.permissions import can

from .models import Shift

MAX_SHIFT = datetime.timedelta(hours=24)


def check_times(start, end):
    """Refuse impossible times; return them in UTC, where differences are real elapsed time."""
    if start is None or end is None:
        raise ValidationError("A shift needs a start and an end.")
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError("Shift times must carry their time zone.")
    start, end = start.astimezone(datetime.timezone.utc), end.astimezone(datetime.timezone.utc)
    if end <= start:
        raise ValidationError("The shift must end after it starts.")
    if end - start > MAX_SHIFT:
        raise ValidationError("A shift can be at most 24 hours long; split longer cover into shifts.")
    return start, end


def check_assignable(*, shift, pa, start, end, tasks):
    """Raise ValidationError (every reason at once) unless `pa` may work this shift at these times."""
    from competencies.models import Competency

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
    for task in tasks:
        if not Competency.objects.valid_for(shift.recipient, task, start, until=end).filter(pa=pa).exists():
            errors.append(
                f"{person_name(pa)} has no signed-off competency in {task.name} for {shift.recipient} "
                "that covers the whole shift."
            )
    if errors:
        raise ValidationError(errors)
