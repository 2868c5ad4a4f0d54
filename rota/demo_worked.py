"""Demo: the last four weeks of family one worked, through the timesheet services: approved
timesheets, one queried, one corrected by the PA (stayed late), a sleep-in with time woken, and the
last two days still waiting for the PA or the budget holder. Idempotent."""
import datetime

from django.db import transaction
from django.utils import timezone

from employment.demo import sick_day

from . import timesheets
from .models import Shift, Timesheet
from .queries import local_instant

WORKED_DAYS = 28


def _at(day, hour):
    return local_instant(day, datetime.time(hour))


def _worked(recipient, parent, pa, day, start_hour, end_hour, kind):
    start = _at(day, start_hour)
    end = _at(day + datetime.timedelta(days=1) if end_hour <= start_hour else day, end_hour)
    if start is None or end is None or Shift.objects.filter(recipient=recipient, start=start, kind=kind).exists():
        return None
    with transaction.atomic():
        shift = Shift.objects.create(recipient=recipient, start=start, end=end, kind=kind, pa=pa,
                                     status=Shift.Status.COMPLETED, created_by=parent)
        return timesheets.open_timesheet(shift=shift)


def seed(cast):
    one, users = cast["family_one"], cast["users"]
    parent, pa1, pa2, pa3 = users["parent"], users["pa1"], users["pa2"], users["pa3"]
    if Timesheet.objects.filter(shift__recipient=one).exists():
        return
    today = timezone.localdate()
    made = []
    for n in range(WORKED_DAYS, 0, -1):
        day = today - datetime.timedelta(days=n)
        weekday = day.weekday()
        if weekday < 5:
            made.append(_worked(one, parent, pa1 if weekday % 2 == 0 else pa2, day, 8, 15, Shift.Kind.DAY))
            if weekday in (1, 3) and day != sick_day():
                made.append(_worked(one, parent, pa3, day, 22, 8, Shift.Kind.WAKING_NIGHT))
        elif weekday == 5:
            made.append(_worked(one, parent, pa3, day, 9, 17, Shift.Kind.DAY))
            made.append(_worked(one, parent, pa2, day, 22, 7, Shift.Kind.SLEEP_IN))
    made = [t for t in made if t is not None]
    recent = [t for t in made if t.shift.start >= _at(today - datetime.timedelta(days=2), 0)]
    older = [t for t in made if t not in recent]
    corrected = next(t for t in older if t.shift.kind == Shift.Kind.DAY)
    woken = next(t for t in older if t.shift.kind == Shift.Kind.SLEEP_IN)
    queried = next(t for t in reversed(older) if t.shift.kind == Shift.Kind.DAY)
    for timesheet in older:
        shift = timesheet.shift
        if timesheet == corrected:
            timesheets.correct_timesheet(timesheet=timesheet, actor=shift.pa, start=shift.start,
                                         end=shift.end + datetime.timedelta(minutes=30),
                                         reason="Stayed late: the nurse visit ran over")
        elif timesheet == woken:
            timesheets.correct_timesheet(timesheet=timesheet, actor=shift.pa, start=shift.start, end=shift.end,
                                         woken_minutes=45, reason="Woken at 03:10 for suction, 45 minutes")
        else:
            timesheets.confirm_timesheet(timesheet=timesheet, pa=shift.pa)
        if timesheet == queried:
            timesheets.query_timesheet(timesheet=timesheet, actor=parent, reason="Did you leave at 14:30 that day?")
        else:
            timesheets.approve_timesheet(timesheet=timesheet, actor=parent)
    for timesheet in recent[::2]:
        timesheets.confirm_timesheet(timesheet=timesheet, pa=timesheet.shift.pa)
