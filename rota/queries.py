"""Reads with intent: local weeks, who may take a shift, what it costs, the budget for a period."""
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from care.kernel.clock import local_midnight, london
from care.kernel.names import person_name
from care.models import Membership, PersonalHealthBudget, Role
from care.queries import budget_holders  # noqa: F401  (rota.services and workflows.hospital ask it here)
from competencies.models import Competency
from employment.availability import unavailable_pas
from employment.models import Absence
from employment.wages import minimum_wage_on
from notifications.contacts import contact_for
from notifications.phones import parse_mobile
from notifications.services import is_opted_out

from . import pay
from .models import Offer, Shift, Swap
from .rules import rota_weeks

PENNY = Decimal("0.01")
REST_HOURS = 11
WEEK_HOURS_LIMIT = Decimal(48)
# Warn when the plan reaches this share of the budget, so the warning comes before the overspend.
BUDGET_WARNING_SHARE = Decimal("0.90")


# --- Local time (midnights and calendar days: care.kernel.clock) ---------------------


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


def week_in_view(value):
    """(monday, outside): the week named by an ISO date in the query string (any day of it will do),
    brought within the weeks the rota shows (`rota.rules.rota_weeks`); `outside` is then the
    (first, last) Mondays, for the page to say so, else None. Nonsense means this week."""
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        day = timezone.localdate()
    first, last = rota_weeks()
    monday = monday_of(day)
    if first <= monday <= last:
        return monday, None
    return min(max(monday, first), last), (first, last)


def parse_week(value):
    """The Monday of the week named in the query string, within the weeks the rota shows."""
    return week_in_view(value)[0]


def local_instant(day, time, fold=0):
    """An aware datetime for a wall-clock time in London, or None if the clocks skip it (spring forward).

    A time that happens twice (the autumn hour) is its first occurrence (BST) unless `fold=1`
    asks for the second (GMT); `happens_twice` tells the page to ask which.
    """
    naive = datetime.datetime.combine(day, time)
    aware = naive.replace(tzinfo=london(), fold=fold)
    round_trip = aware.astimezone(datetime.timezone.utc).astimezone(london()).replace(tzinfo=None)
    return aware if round_trip == naive else None


def happens_twice(day, time):
    """True for a wall-clock time the clocks pass twice (01:00-01:59 on the last Sunday of October)."""
    first, second = local_instant(day, time), local_instant(day, time, fold=1)
    # A time the clocks skip also has two offsets (and neither exists): that is not "twice".
    return first is not None and second is not None and first.utcoffset() != second.utcoffset()


def week_days(monday):
    return [monday + datetime.timedelta(days=i) for i in range(7)]


# --- The rota page and "my shifts" --------------------------------------------------


def rota_week(recipient, monday):
    """Days of the week, each with its shifts in start order (a shift belongs to the day it starts)."""
    shifts = Shift.objects.filter(recipient=recipient).in_week(monday).for_cards()
    by_day = {day: [] for day in week_days(monday)}
    for shift in shifts:
        by_day[timezone.localdate(shift.start)].append(shift)
    return list(by_day.items())


def my_shifts(user, recipients, now=None):
    """The PA's upcoming shifts across every person they work for (only circles they are still in)."""
    return (
        Shift.objects.upcoming(now)
        .filter(pa=user, recipient__in=recipients)
        .exclude(status=Shift.Status.CANCELLED)
        .for_cards()
    )


def offers_waiting_for(user, recipients, now=None):
    """Open offers sent to this PA that nobody has taken yet."""
    waiting = Offer.objects.filter(closed_at__isnull=True, recipients__pa=user).exclude(responses__pa=user)
    return (
        Shift.objects.open(now)
        .filter(status=Shift.Status.OFFERED, recipient__in=recipients, pk__in=waiting.values("shift"))
        .for_cards()
    )


def swaps_asked_of(user, recipients, now=None):
    """Swaps other PAs have asked this PA to take that are still waiting for their answer."""
    return (
        Swap.objects.filter(to_pa=user, status=Swap.Status.ASKED, shift__recipient__in=recipients,
                            shift__start__gt=now or timezone.now())
        .select_related("shift__recipient").order_by("shift__start")
    )


def swaps_for(recipient, now=None):
    """(waiting, recent): a family's swaps and drops still open, in shift order, and those settled in
    the last 30 days, newest first (at most 30). Each with its shift and people, in one query each."""
    now = now or timezone.now()
    rows = Swap.objects.filter(shift__recipient=recipient).select_related("shift", "from_pa", "to_pa", "decided_by")
    waiting = rows.filter(status__in=Swap.OPEN).order_by("shift__start", "pk")
    recent = rows.exclude(status__in=Swap.OPEN).filter(created_at__gte=now - datetime.timedelta(days=30)) \
        .order_by("-created_at", "-pk")[:30]
    return waiting, recent


def needs_cover_count(recipient, now=None):
    return Shift.objects.needing_cover(now).filter(recipient=recipient).count()


def circle_pas(recipient):
    """Users who are PAs in the circle today, for the "assign" choice."""
    ids = Membership.objects.active().filter(recipient=recipient, role=Role.PA).values("user")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name")


def eligible_pas(shift):
    """PAs who could take this shift now: in the circle, not on approved leave or off sick, competent
    in its tasks for all of it, and free.

    One query for the circle, one for leave, one for clashes, one per task on the shift.
    """
    candidates = set(circle_pas(shift.recipient).values_list("pk", flat=True))
    away = Absence.objects.keeping_out(recipient=shift.recipient, start=shift.start, end=shift.end)
    candidates -= set(away.values_list("pa", flat=True))
    candidates -= unavailable_pas(candidates, shift.start, shift.end)
    busy = Shift.objects.working().filter(pa__in=candidates).overlapping(shift.start, shift.end)
    candidates -= set(busy.exclude(pk=shift.pk).values_list("pa", flat=True))
    for task in shift.tasks.all():
        competent = Competency.objects.valid_for(shift.recipient, task, shift.start, until=shift.end)
        candidates &= set(competent.filter(pa__in=candidates).values_list("pa", flat=True))
    return get_user_model().objects.filter(pk__in=candidates).select_related("profile").order_by("pk")


def not_eligible(shift, eligible):
    """{pa: why} for the circle's PAs left out of an offer: busy then, or not competent for a task.

    Never names the other family or the task: the reasons are read by the person planning.
    """
    left_out = [pa for pa in circle_pas(shift.recipient) if pa not in set(eligible)]
    if not left_out:
        return {}
    away = set(Absence.objects.keeping_out(recipient=shift.recipient, start=shift.start, end=shift.end)
               .filter(pa__in=left_out).values_list("pa", flat=True))
    busy = set(
        Shift.objects.working().filter(pa__in=left_out).overlapping(shift.start, shift.end)
        .exclude(pk=shift.pk).values_list("pa", flat=True)
    )

    unavailable = unavailable_pas([pa.pk for pa in left_out], shift.start, shift.end)

    def why(pa):
        if pa.pk in away:
            return "on leave or off sick then"
        if pa.pk in unavailable:
            return "said they cannot work then"
        return "already working then" if pa.pk in busy else "not signed off for every task on it"

    return {pa: why(pa) for pa in left_out}


def text_problem(pa):
    """Why a text to this PA would not go out (None when it would): what the planner needs to know."""
    contact = contact_for(user=pa)
    if contact is None or not contact.mobile:
        return "no mobile number"
    if not contact.consents:
        return "has not agreed to texts"
    if is_opted_out(parse_mobile(contact.mobile)):
        return "has replied STOP to texts"
    return None


# --- Working time -------------------------------------------------------------------


def working_time_warnings(*, pa, start, end, exclude_pk=None):
    """Warnings, not refusals: under 11 hours' rest either side, over 48 hours in the local week. One query."""
    rest = datetime.timedelta(hours=REST_HOURS)
    monday = monday_of(timezone.localdate(start))
    week_start, week_end = local_midnight(monday), local_midnight(monday, days=7)
    window_start, window_end = min(week_start, start - rest), max(week_end, end + rest)
    others = list(
        Shift.objects.booked_for(pa).filter(start__lt=window_end, end__gt=window_start).exclude(pk=exclude_pk)
    )
    warnings = []
    name = person_name(pa)
    for other in others:
        if start - rest < other.end <= start:
            gap = (start - other.end).total_seconds() / 3600
            warnings.append(f"{name} would have only {gap:g} hours' rest after the shift before (11 are advised).")
        elif end <= other.start < end + rest:
            gap = (other.start - end).total_seconds() / 3600
            warnings.append(f"{name} would have only {gap:g} hours' rest before the next shift (11 are advised).")
    total = _hours_within([(start, end), *((o.start, o.end) for o in others)], week_start, week_end)
    if total > WEEK_HOURS_LIMIT:
        warnings.append(
            f"{name} would work {total.normalize():f} hours in the week of {monday:%d %b} (more than 48)."
        )
    return warnings


def _hours_within(spans, window_start, window_end):
    utc = datetime.timezone.utc
    window_start, window_end = window_start.astimezone(utc), window_end.astimezone(utc)
    seconds = sum(
        max(0, (min(e.astimezone(utc), window_end) - max(s.astimezone(utc), window_start)).total_seconds())
        for s, e in spans
    )
    return Decimal(seconds) / Decimal(3600)


# --- Cost ---------------------------------------------------------------------------


def national_minimum_wage(day=None):
    """The hourly National Living Wage on `day` (today by default), from employment's one table."""
    return minimum_wage_on(day or timezone.localdate())


def oncost_percent():
    """Employer on-costs (NI, pension, insurance) as a percentage of pay."""
    return Decimal(str(settings.ROTA_EMPLOYER_ONCOST_PERCENT))


def shift_pay(shift, terms=None):
    """Planned gross pay for the shift at the terms in force on its date (rota.pay has the rules).

    A sleep-in is its flat allowance (the plan has no time woken; the approved timesheet adds it).
    An open shift (or a PA without rates) is estimated at the minimum wage for every hour, a
    sleep-in included: the most it could cost until a PA is booked.
    `terms` is rota.pay.terms_by_pa(...) when costing many shifts.
    """
    rates = pay.rates_for(shift, terms)
    if rates is None:
        return pay.money(national_minimum_wage(timezone.localdate(shift.start)) * shift.hours)
    return pay.planned_gross(shift.kind, shift.start, shift.end, rates)


def shift_cost(shift, terms=None):
    """What the shift costs the budget: pay plus employer on-costs."""
    return with_oncosts(shift_pay(shift, terms))


def with_oncosts(amount):
    return (amount * (1 + oncost_percent() / 100)).quantize(PENNY, ROUND_HALF_UP)


@dataclass
class BudgetSummary:
    budget: PersonalHealthBudget | None
    period_start: datetime.date
    period_end: datetime.date
    planned: Decimal = Decimal("0.00")  # every shift in the period that is not cancelled
    worked: Decimal = Decimal("0.00")  # of which already ended
    open_estimate: Decimal = Decimal("0.00")  # of which shifts without a PA, at the minimum wage
    shift_count: int = 0
    warnings: list = field(default_factory=list)

    @property
    def remaining(self):
        return self.budget.amount - self.planned if self.budget else None

    @property
    def share(self):
        if not self.budget or not self.budget.amount:
            return None
        return (self.planned / self.budget.amount * 100).quantize(Decimal("0.1"))

    @property
    def over(self):
        return bool(self.budget) and self.planned > self.budget.amount


def budget_for(recipient, day):
    return (
        PersonalHealthBudget.objects.filter(recipient=recipient, period_start__lte=day, period_end__gt=day)
        .order_by("-period_start")
        .first()
    )


def budget_summary(recipient, day=None, now=None):
    """Planned cost of the rota over the budget period containing `day`, against the budget. Three queries."""
    day = day or timezone.localdate()
    budget = budget_for(recipient, day)
    if budget is None:
        return BudgetSummary(budget=None, period_start=day, period_end=day)
    return _summarise(budget, _costed(recipient, budget.period_start, budget.period_end), now)


def week_and_budget(recipient, monday, now=None, budget=...):
    """(the planned cost of the week from `monday`, budget_summary(recipient, monday)) from one pass
    over the shifts of both (three queries, not five): the rota page shows both, and the week is
    nearly always inside the budget period, so each of its shifts would be costed twice.
    `budget`: budget_for(recipient, monday), when the caller has read it already."""
    week_end = monday + datetime.timedelta(days=7)
    if budget is ...:
        budget = budget_for(recipient, monday)
    if budget is None:
        week = sum((cost for _, cost in _costed(recipient, monday, week_end)), Decimal("0.00"))
        return week, BudgetSummary(budget=None, period_start=monday, period_end=monday)
    costed = list(_costed(recipient, min(monday, budget.period_start), max(week_end, budget.period_end)))
    week = sum((cost for _, cost in _starting_within(costed, monday, week_end)), Decimal("0.00"))
    return week, _summarise(budget, _starting_within(costed, budget.period_start, budget.period_end), now)


def _starting_within(costed, first_day, end_day):
    start, end = local_midnight(first_day), local_midnight(end_day)
    return [(shift, cost) for shift, cost in costed if start <= shift.start < end]


def _costed(recipient, first_day, end_day):
    """(shift, shift_cost) of every live shift starting on the local days [first_day, end_day): the
    shifts in one query, every PA's terms in force by `end_day` in another."""
    shifts = (
        Shift.objects.live()
        .filter(recipient=recipient, start__gte=local_midnight(first_day), start__lt=local_midnight(end_day))
        .select_related("pa__pa_profile")
        # what costing reads, and no more: a budget period is hundreds of shifts, and building each
        # one's PA with every column was most of the page's time
        .only("kind", "start", "end", "pa", "pa__pa_profile__hourly_rate", "pa__pa_profile__sleep_in_rate")
    )
    terms = pay.terms_by_pa(recipient, end_day)
    return ((shift, shift_cost(shift, terms)) for shift in shifts)


def _summarise(budget, costed, now=None):
    now = now or timezone.now()
    summary = BudgetSummary(budget=budget, period_start=budget.period_start, period_end=budget.period_end)
    for shift, cost in costed:
        summary.planned += cost
        summary.shift_count += 1
        if shift.end <= now:
            summary.worked += cost
        if shift.pa_id is None:
            summary.open_estimate += cost
    summary.warnings = budget_warnings(summary)
    return summary


def budget_warnings(summary):
    budget = summary.budget
    if budget is None:
        return []
    if summary.planned > budget.amount:
        over = summary.planned - budget.amount
        text = f"The rota is planned £{over:,.2f} over the budget for {budget.period_start:%d %b %Y}–{budget.period_end:%d %b %Y}"
        if budget.contingency and over <= budget.contingency:
            text += f" (within the £{budget.contingency:,.2f} contingency)"
        return [text + "."]
    if summary.planned >= budget.amount * BUDGET_WARNING_SHARE:
        return [f"The rota uses {summary.share}% of the budget for the period: £{summary.remaining:,.2f} left."]
    return []
