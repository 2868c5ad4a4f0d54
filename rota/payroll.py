"""The pay-period summary: per PA, what approved timesheets, holiday and sickness come to between
two local dates, at the terms in force on each shift's date. The page and the CSV export read it.

A fixed number of queries whatever the number of shifts or PAs: the approved timesheets (with
shift, PA and approved version), the family's terms, its absences, and the PA profiles.
"""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from care.kernel.clock import local_midnight
from care.kernel.names import person_name
from employment.models import Absence, Contract
from employment.queries import terms_on
from employment import wages
from employment.wages import IRREGULAR_ACCRUAL, regular_entitlement, ssp_days

from . import pay
from .models import Shift, Timesheet
from .queries import shift_cost, with_oncosts

ZERO = Decimal("0")
HOURS = Decimal("0.01")
# The longest range one summary or export covers.
LONGEST_RANGE_DAYS = 2 * 366
KINDS = [k for k, _label in Shift.Kind.choices]


@dataclass
class PayLine:
    pa: object
    terms: object = None  # in force on the last day of the range
    hours: dict = field(default_factory=lambda: dict.fromkeys(KINDS, ZERO))  # paid hours by kind
    night_hours: Decimal = ZERO
    weekend_hours: Decimal = ZERO  # hours paid at the weekend uplift
    bank_holiday_hours: Decimal = ZERO  # hours paid at the bank-holiday uplift
    sleep_ins: int = 0
    woken_hours: Decimal = ZERO
    basic: Decimal = ZERO
    uplift: Decimal = ZERO
    sleep_in_pay: Decimal = ZERO
    holiday_hours: Decimal = ZERO
    holiday_pay: Decimal = ZERO
    accrued_hours: Decimal = ZERO
    sickness_days: int = 0
    ssp_days: int = 0
    shifts: int = 0

    @property
    def name(self):
        return person_name(self.pa)

    @property
    def hours_by_label(self):
        """Hourly-paid hours by kind (a sleep-in's woken time shows with its sleep-ins)."""
        return [(Shift.Kind(kind).label, hours) for kind, hours in self.hours.items()
                if hours and kind != Shift.Kind.SLEEP_IN]

    @property
    def worked_hours(self):
        return sum(self.hours.values(), ZERO)

    @property
    def gross(self):
        return self.basic + self.uplift + self.sleep_in_pay + self.holiday_pay


@dataclass
class PaySummary:
    recipient: object
    first: datetime.date
    last: datetime.date
    lines: list
    waiting: int  # timesheets in the range not yet approved: not paid

    def total(self, name):
        return sum((getattr(line, name) for line in self.lines), ZERO)

    @property
    def gross(self):
        return self.total("gross")


def check_range(first, last):
    """Refuse a reversed range or one over two years (a slip, and a runaway export)."""
    if first is None or last is None:
        raise ValidationError("Give both dates as YYYY-MM-DD.")
    if last < first:
        raise ValidationError("The range is reversed: 'to' is before 'from'.")
    if (last - first).days + 1 > LONGEST_RANGE_DAYS:
        raise ValidationError("A range can be at most two years long.")


def _days(first, last):
    return [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]


def _rates_on(line, versions, day):
    in_force = terms_on(versions, day)
    if in_force is not None:
        return pay.Rates.from_terms(in_force).on(day)
    profile = getattr(line.pa, "pa_profile", None)
    return pay.Rates.from_profile(profile).on(day) if profile is not None else pay.Rates(ZERO, ZERO)


def collect(recipient, first, last, group=lambda day: None):
    """({(group(day), pa_id): PayLine}, waiting) for the local dates first..last: each shift counts
    on the day it starts, each day of holiday or sickness on its own day. Six queries."""
    start, end = local_midnight(first), local_midnight(last, days=1)
    terms = pay.terms_by_pa(recipient, last)
    timesheets = list(Timesheet.objects.for_pay(recipient, start, end))
    absences = list(Absence.objects.approved().filter(recipient=recipient).on_days(first, last))
    waiting = Timesheet.objects.filter(shift__recipient=recipient, shift__start__gte=start, shift__start__lt=end,
                                       approved_version__isnull=True).count()
    pa_ids = {t.pa_id for t in timesheets} | {a.pa_id for a in absences}
    pas = get_user_model().objects.filter(pk__in=pa_ids).select_related("pa_profile").in_bulk()
    lines = {}

    def line_for(day, pa_id):
        key = (group(day), pa_id)
        if key not in lines:
            lines[key] = PayLine(pa=pas[pa_id], terms=terms_on(terms.get(pa_id, ()), last))
        return lines[key]

    for timesheet in timesheets:
        shift, version = timesheet.shift, timesheet.approved_version
        line = line_for(timezone.localdate(shift.start), timesheet.pa_id)
        shift.pa = pas[timesheet.pa_id]
        rates = pay.rates_for(shift, terms) or pay.Rates(ZERO, ZERO)
        worked = pay.pay_for(kind=shift.kind, start=version.start, end=version.end, rates=rates,
                             break_minutes=version.break_minutes, woken_minutes=version.woken_minutes)
        line.shifts += 1
        line.hours[shift.kind] += worked.hours
        line.night_hours += worked.night_hours
        line.weekend_hours += worked.by_bucket.get(pay.WEEKEND, ZERO)
        line.bank_holiday_hours += worked.by_bucket.get(pay.BANK_HOLIDAY, ZERO)
        line.sleep_ins += worked.sleep_ins
        line.woken_hours += worked.woken_hours
        line.basic += worked.basic
        line.uplift += worked.uplift
        line.sleep_in_pay += worked.sleep_in_pay
    for absence in absences:
        due = set(ssp_days(absence.first_day, absence.last_day)) if absence.kind == Absence.Kind.SICKNESS else ()
        per_day = absence.hours / absence.days
        for day in _days(max(absence.first_day, first), min(absence.last_day, last)):
            line = line_for(day, absence.pa_id)
            if absence.kind == Absence.Kind.SICKNESS:
                line.sickness_days += 1
                line.ssp_days += day in due
            else:
                line.holiday_hours += per_day
                line.holiday_pay += per_day * _rates_on(line, terms.get(absence.pa_id, ()), day).hourly
    for line in lines.values():
        for name in ("night_hours", "weekend_hours", "bank_holiday_hours", "woken_hours", "holiday_hours"):
            setattr(line, name, getattr(line, name).quantize(HOURS))
        line.holiday_pay = pay.money(line.holiday_pay)
        line.hours = {kind: hours.quantize(HOURS) for kind, hours in line.hours.items()}
        if line.terms is not None and line.terms.contract == Contract.IRREGULAR:
            line.accrued_hours = (line.worked_hours * IRREGULAR_ACCRUAL).quantize(HOURS)
    regular = {pa_id for (_group, pa_id), line in lines.items() if line.terms and line.terms.contract == Contract.REGULAR}
    if regular:
        # Regular hours earn their 5.6 weeks day by day over the leave year: this range's share.
        spans = {}
        for day in _days(first, last):
            spans.setdefault(group(day), [day, day])[1] = day
        for (key, pa_id), line in lines.items():
            if pa_id in regular:
                span_first, span_last = spans[key]
                line.accrued_hours = regular_entitlement(terms.get(pa_id, ()), span_first, span_last)[1]
    return lines, waiting


def by_name(lines):
    return sorted(lines, key=lambda line: (line.name.lower(), line.pa.pk))


def pay_summary(recipient, first, last):
    """PaySummary for the local dates first..last (inclusive)."""
    check_range(first, last)
    lines, waiting = collect(recipient, first, last)
    return PaySummary(recipient=recipient, first=first, last=last, lines=by_name(lines.values()), waiting=waiting)


# --- Holiday balances ------------------------------------------------------------------


def leave_year(terms, day):
    """(first, last): the leave year of these terms that contains `day`."""
    return wages.leave_year(terms.leave_year_start, day)


@dataclass
class HolidayBalance:
    pa: object
    first: datetime.date
    last: datetime.date
    contract: str
    earned: Decimal  # regular: the year's entitlement (pro rata); irregular: accrued from hours worked so far
    taken: Decimal  # approved holiday in the leave year, taken or booked
    earned_days: Decimal = None  # regular hours with their days a week recorded: the entitlement in days
    days_per_week: Decimal = None
    hours_per_day: Decimal = None
    started: datetime.date = None  # employment began inside this leave year: the entitlement is pro rata

    @property
    def left(self):
        return self.earned - self.taken

    @property
    def left_days(self):
        """The hours left in the PA's own days (their contracted week over their days a week)."""
        return (self.left / self.hours_per_day).quantize(HOURS) if self.hours_per_day else None

    @property
    def name(self):
        return person_name(self.pa)


def holiday_balances(recipient, day, pa=None):
    """Each PA's holiday in the leave year containing `day` (by the terms in force then), as a running
    balance: regular hours, 5.6 weeks of their week (28 days at most), pro rata to the part of the
    year under those terms; irregular hours, 12.07% of hours worked so far; less approved holiday in
    the year. One `collect` per distinct leave year (usually one)."""
    # Versions set for later in the leave year count towards its entitlement: look a year ahead.
    versions = pay.terms_by_pa(recipient, day + datetime.timedelta(days=366))
    by_year = {}
    for pa_id, terms in versions.items():
        in_force = terms_on(terms, day)
        if in_force is not None and (pa is None or pa_id == pa.pk):
            by_year.setdefault(leave_year(in_force, day), []).append(in_force)
    balances = []
    for (first, last), in_force in by_year.items():
        lines, _waiting = collect(recipient, first, last)
        found = {pa_id: line for (_group, pa_id), line in lines.items()}
        for terms in in_force:
            line = found.get(terms.pa_id)
            taken = line.holiday_hours if line else ZERO
            if terms.contract != Contract.REGULAR:
                balances.append(HolidayBalance(pa=terms.pa, first=first, last=last, contract=terms.contract,
                                               earned=line.accrued_hours if line else ZERO, taken=taken))
                continue
            mine = versions[terms.pa_id]
            earned_days, earned = regular_entitlement(mine, first, last)
            started = mine[0].effective_from if mine[0].effective_from > first else None
            balances.append(HolidayBalance(
                pa=terms.pa, first=first, last=last, contract=terms.contract, earned=earned, taken=taken,
                earned_days=earned_days, days_per_week=terms.days_per_week, started=started,
                hours_per_day=terms.weekly_hours / terms.days_per_week if terms.days_per_week else None,
            ))
    return sorted(balances, key=lambda b: (b.name.lower(), b.pa.pk))


# --- Actual spend against the budget ---------------------------------------------------


@dataclass
class Month:
    first: datetime.date
    actual: Decimal = ZERO  # approved timesheets and holiday pay, with on-costs
    awaiting: Decimal = ZERO  # worked but not approved yet, at the planned cost
    planned: Decimal = ZERO  # shifts still to come, at the planned cost

    @property
    def plan(self):
        return self.awaiting + self.planned

    @property
    def forecast(self):
        return self.actual + self.plan


@dataclass
class ActualAgainstPlan:
    budget: object
    months: list
    by_pa: list  # [(name, actual)]

    def total(self, name):
        return sum((getattr(m, name) for m in self.months), ZERO)

    @property
    def forecast(self):
        return self.total("forecast")

    @property
    def total_actual(self):
        return self.total("actual")

    @property
    def total_plan(self):
        return self.total("awaiting") + self.total("planned")

    @property
    def overspend(self):
        return max(ZERO, self.forecast - self.budget.amount)


def _month_of(day):
    return day.replace(day=1)


def actual_against_plan(budget, now=None):
    """Month by month over the budget period: actual spend to date (approved timesheets, holiday pay,
    on-costs), shifts worked but not approved (at plan), and the plan for the rest (shifts and approved
holiday to come). Fifteen queries whatever the number of shifts, PAs and months."""
    now = now or timezone.now()
    recipient = budget.recipient
    first, last = budget.period_start, budget.period_end - datetime.timedelta(days=1)
    months = {}
    day = _month_of(first)
    while day <= last:
        months[day] = Month(first=day)
        day = _month_of(day + datetime.timedelta(days=32))
    today = min(timezone.localdate(now), last)
    by_pa = {}
    if today >= first:
        lines, _waiting = collect(recipient, first, today, group=_month_of)
        for (month, pa_id), line in lines.items():
            spent = with_oncosts(line.gross)
            months[month].actual += spent
            by_pa.setdefault(pa_id, [line.name, ZERO])[1] += spent
    if today < last:
        # Approved holiday still to come is paid too: in the plan for its month.
        ahead, _waiting = collect(recipient, max(first, today + datetime.timedelta(days=1)), last, group=_month_of)
        for (month, _pa_id), line in ahead.items():
            months[month].planned += with_oncosts(line.holiday_pay)
    terms = pay.terms_by_pa(recipient, last)
    shifts = (
        Shift.objects.live().filter(recipient=recipient, start__gte=local_midnight(first),
                                    start__lt=local_midnight(last, days=1))
        .exclude(timesheet__approved_version__isnull=False)
        .select_related("pa__pa_profile")
    )
    for shift in shifts:
        month = months[_month_of(timezone.localdate(shift.start))]
        cost = shift_cost(shift, terms)
        if shift.end <= now:
            month.awaiting += cost if shift.status in (Shift.Status.CONFIRMED, Shift.Status.COMPLETED) else ZERO
        else:
            month.planned += cost
    ordered = sorted(by_pa.values(), key=lambda pair: pair[0].lower())
    return ActualAgainstPlan(budget=budget, months=list(months.values()), by_pa=[tuple(p) for p in ordered])
