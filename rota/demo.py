"""Demo rota: four weeks for family one (days, waking nights, a sleep-in, an open shift on offer,
a shift that needs cover, a swap waiting for approval) and a few shifts for family two. Built
through rota.services; idempotent."""
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from competencies.models import Competency, HealthcareTask
from employment.availability import Unavailability, mark_unavailable

from . import demo_worked, ical, services
from .models import CalendarFeed, Shift, ShiftPattern, Swap
from .queries import local_instant

DEMO_DAYS = 28


def _at(day, hour, minute=0):
    return local_instant(day, datetime.time(hour, minute))


def _task_if_competent(recipient, pa, code, start, end):
    """The delegated task for the shift, but only if the demo PA is signed off for it (or no task)."""
    task = HealthcareTask.objects.filter(code=code).first()
    if task and Competency.objects.valid_for(recipient, task, start, until=end).filter(pa=pa).exists():
        return [task]
    return []


def _shift(recipient, actor, day, start_hour, end_hour, kind, pa=None, task_code=None, notes=""):
    """Get or create one shift, identified by person, start and kind."""
    start = _at(day, start_hour)
    end_day = day + datetime.timedelta(days=1) if end_hour <= start_hour else day
    end = _at(end_day, end_hour)
    existing = Shift.objects.filter(recipient=recipient, start=start, kind=kind).first()
    if existing:
        return existing, False
    tasks = _task_if_competent(recipient, pa, task_code, start, end) if (pa and task_code) else []
    shift = services.create_shift(
        recipient=recipient, start=start, end=end, kind=kind, actor=actor, tasks=tasks, pa=pa, notes=notes
    )
    return shift, True


def seed(cast):
    one, two, users = cast["family_one"], cast["family_two"], cast["users"]
    parent, pa1, pa2, pa3 = users["parent"], users["pa1"], users["pa2"], users["pa3"]
    today = timezone.localdate()
    first = today + datetime.timedelta(days=1)  # booking needs shifts that have not ended yet
    for n in range(DEMO_DAYS):
        day = first + datetime.timedelta(days=n)
        weekday = day.weekday()
        if weekday < 5:
            _shift(one, parent, day, 8, 15, Shift.Kind.DAY, pa=pa1 if weekday % 2 == 0 else pa2,
                   task_code="tracheostomy-suction")
            if weekday in (1, 3):
                _shift(one, parent, day, 22, 8, Shift.Kind.WAKING_NIGHT, pa=pa3, task_code="tracheostomy-suction")
        elif weekday == 5:
            _shift(one, parent, day, 9, 17, Shift.Kind.DAY, pa=pa3)
            _shift(one, parent, day, 22, 7, Shift.Kind.SLEEP_IN, pa=pa2, notes="Sleep-in: wake only if the alarm sounds")
    # An open shift on the second Sunday, offered by text to whoever is eligible.
    sunday = first + datetime.timedelta(days=(6 - first.weekday()) % 7 + 7)
    open_shift, created = _shift(one, parent, sunday, 10, 16, Shift.Kind.RESPITE, notes="Respite for Sam")
    if created:
        services.offer_shift(shift=open_shift, actor=parent)
    # A booked shift whose PA has phoned in sick: it needs cover.
    sick_day = first + datetime.timedelta(days=(2 - first.weekday()) % 7)
    sick, created = _shift(one, parent, sick_day, 16, 21, Shift.Kind.DAY, pa=pa3)
    if created:
        services.mark_needs_cover(shift=sick, actor=parent, reason="Casey is unwell.")
    _swap_to_approve(one, pa1, pa2, after=first + datetime.timedelta(days=14))

    # Family two: a few shifts, one open, so the isolation walk has an object of theirs for every URL.
    other_parent, other_pa = users["other-parent"], users["other-pa"]
    for n in range(3):
        _shift(two, other_parent, first + datetime.timedelta(days=n), 9, 13, Shift.Kind.DAY, pa=other_pa)
    _shift(two, other_parent, first + datetime.timedelta(days=4), 18, 22, Shift.Kind.DAY)
    if not CalendarFeed.objects.filter(pa=other_pa, revoked_at__isnull=True).exists():
        ical.new_feed(pa=other_pa)
    # Family two's Saturday mornings, made by a pattern (open: nobody named), three weeks ahead.
    if not ShiftPattern.objects.filter(recipient=two).exists():
        services.create_pattern(recipient=two, actor=other_parent, weekdays=[5], start_time=datetime.time(9),
                                end_time=datetime.time(12), kind=Shift.Kind.DAY, starts_on=first, weeks=3)
    # Family two's PA can't work Sunday mornings (so the isolation walk has one to try to remove).
    if not Unavailability.objects.filter(pa=other_pa).exists():
        mark_unavailable(pa=other_pa, weekday=6, from_time=datetime.time(7), until_time=datetime.time(12))
    cast["rota"] = {"family_two_shift": Shift.objects.filter(recipient=two).order_by("pk").first()}
    demo_worked.seed(cast)


def _swap_to_approve(family, from_pa, to_pa, after):
    """One swap waiting for the budget holder: `from_pa` asked `to_pa` to take one of their shifts
    from the third week on, and `to_pa` said yes. Through the swap services, so the rules hold: the
    first shift `to_pa` could be booked on (free, signed off for its tasks). Once only: a family
    that has ever had a swap (decided since, perhaps) gets no new one."""
    if Swap.objects.filter(shift__recipient=family).exists():
        return
    theirs = Shift.objects.filter(recipient=family, pa=from_pa, status=Shift.Status.CONFIRMED, needs_cover=False,
                                  start__gte=_at(after, 0)).order_by("start")
    for shift in theirs:
        try:
            swap = services.ask_swap(shift=shift, pa=from_pa, to_pa=to_pa)
        except ValidationError:
            continue  # they could not be booked on this one: try the next
        services.answer_swap(swap=swap, pa=to_pa, accept=True)
        return
