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

from care.kernel.clock import local_midnight
from care.kernel.names import person_name
from employment.models import Absence, Contract
from employment.queries import terms_on
from employment.wages import IRREGULAR_ACCRUAL, ssp_days

from . import pay
from .models import Shift, Timesheet

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


def _days_within(absence, first, last):
    return max(0, (min(absence.last_day, last) - max(absence.first_day, first)).days + 1)


def pay_summary(recipient, first, last):
    """PaySummary for the local dates first..last (inclusive)."""
    check_range(first, last)
    start, end = local_midnight(first), local_midnight(last, days=1)
    terms = pay.terms_by_pa(recipient, last)
    timesheets = list(Timesheet.objects.for_pay(recipient, start, end))
    absences = list(Absence.objects.approved().filter(recipient=recipient).on_days(first, last).select_related("pa"))
    waiting = Timesheet.objects.filter(shift__recipient=recipient, shift__start__gte=start, shift__start__lt=end,
                                       approved_version__isnull=True).count()
    pa_ids = {t.pa_id for t in timesheets} | {a.pa_id for a in absences}
    pas = get_user_model().objects.filter(pk__in=pa_ids).select_related("pa_profile").in_bulk()
    lines = {pk: PayLine(pa=pas[pk], terms=terms_on(terms.get(pk, ()), last)) for pk in pa_ids}
    for timesheet in timesheets:
        shift, version, line = timesheet.shift, timesheet.approved_version, lines[timesheet.pa_id]
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
        line, days = lines[absence.pa_id], _days_within(absence, first, last)
        if absence.kind == Absence.Kind.SICKNESS:
            line.sickness_days += days
            line.ssp_days += sum(1 for d in ssp_days(absence.first_day, absence.last_day) if first <= d <= last)
            continue
        hours = absence.hours * days / absence.days
        versions = terms.get(absence.pa_id, ())
        in_force = terms_on(versions, max(absence.first_day, first))
        rates = pay.Rates.from_terms(in_force) if in_force else (
            pay.Rates.from_profile(line.pa.pa_profile) if hasattr(line.pa, "pa_profile") else pay.Rates(ZERO, ZERO))
        line.holiday_hours += hours
        line.holiday_pay += pay.money(hours * rates.on(max(absence.first_day, first)).hourly)
    for line in lines.values():
        for name in ("night_hours", "weekend_hours", "bank_holiday_hours", "woken_hours", "holiday_hours"):
            setattr(line, name, getattr(line, name).quantize(HOURS))
        line.hours = {kind: hours.quantize(HOURS) for kind, hours in line.hours.items()}
        if line.terms is not None and line.terms.contract == Contract.IRREGULAR:
            line.accrued_hours = (line.worked_hours * IRREGULAR_ACCRUAL).quantize(HOURS)
    ordered = sorted(lines.values(), key=lambda line: (line.name.lower(), line.pa.pk))
    return PaySummary(recipient=recipient, first=first, last=last, lines=ordered, waiting=waiting)
