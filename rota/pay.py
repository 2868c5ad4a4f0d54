"""Pay arithmetic for worked time, by kind, at the terms in force: uplifts for nights, weekends and
bank holidays, sleep-ins as the law has it, across clock changes.

Rules (docs/employment.md):
- Hours are elapsed time (UTC), so a night across a clock change is 7 or 9 hours.
- Uplifts do not stack: an hour gets the largest uplift that applies to it (bank holiday, weekend,
  night 22:00-06:00), on the local date and time the hour falls in.
- Unpaid breaks come off the hours with no uplift first, then the least uplifted.
- A sleep-in is the flat allowance for the time asleep plus time woken to work at the hourly rate
  (Royal Mencap Society v Tomlinson-Blake, 2021): the minimum wage is due for the time woken only.
- A rate is never below the National Living Wage on its date unless the terms record why.
"""
import datetime
import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from care.kernel.clock import london
from employment.models import Terms
from employment.queries import terms_on
from employment.wages import is_bank_holiday, minimum_wage_on

PENNY = Decimal("0.01")
HUNDREDTH = Decimal("0.01")
HOUR = Decimal(3600)
NIGHT_FROM, NIGHT_UNTIL = datetime.time(22), datetime.time(6)
UTC = datetime.timezone.utc

# Uplift buckets, least to most (the order breaks come off in).
PLAIN, NIGHT, WEEKEND, BANK_HOLIDAY = "plain", "night", "weekend", "bank_holiday"
BUCKETS = (PLAIN, NIGHT, WEEKEND, BANK_HOLIDAY)


@dataclass(frozen=True)
class Rates:
    """The rates one shift is paid at: from the terms in force on its local start date, or the PA's
    profile rates (no uplifts) when the family has recorded no terms yet."""

    hourly: Decimal
    sleep_in: Decimal
    night: Decimal = Decimal("0")
    weekend: Decimal = Decimal("0")
    bank_holiday: Decimal = Decimal("0")
    # The terms record why a rate below the National Living Wage is lawful (an apprentice rate).
    below_minimum_lawful: bool = False

    @classmethod
    def from_terms(cls, terms):
        return cls(terms.hourly_rate, terms.sleep_in_allowance, terms.night_uplift_percent,
                   terms.weekend_uplift_percent, terms.bank_holiday_uplift_percent,
                   bool(terms.below_minimum_reason))

    @classmethod
    def from_profile(cls, profile):
        return cls(profile.hourly_rate, profile.sleep_in_rate)

    def on(self, day):
        """These rates on `day`: an hourly rate below the National Living Wage is lifted to it unless
        the terms say why it is lawful."""
        floor = minimum_wage_on(day)
        if self.hourly >= floor or self.below_minimum_lawful:
            return self
        return Rates(floor, self.sleep_in, self.night, self.weekend, self.bank_holiday)

    def percent(self, bucket):
        return {PLAIN: Decimal("0"), NIGHT: self.night, WEEKEND: self.weekend, BANK_HOLIDAY: self.bank_holiday}[bucket]


def rates_for(shift, terms_by_pa=None):
    """The rates for a shift's PA on its local start date: the family's terms in force then, else the
    PA's profile rates; None for an open shift (or a PA with no rates at all).

    `terms_by_pa` ({pa_id: versions in effective order}, from Terms.objects.for_family) saves the
    query per shift on pages that cost many.
    """
    if shift.pa_id is None:
        return None
    day = timezone.localdate(shift.start)
    if terms_by_pa is not None:
        terms = terms_on(terms_by_pa.get(shift.pa_id, ()), day)
    else:
        terms = Terms.objects.in_force(shift.recipient_id, shift.pa_id, day)
    if terms is not None:
        return Rates.from_terms(terms)
    profile = getattr(shift.pa, "pa_profile", None)
    return Rates.from_profile(profile) if profile is not None else None


def terms_by_pa(recipient, until):
    """{pa_id: [terms versions in effective order]} for the family, in one query."""
    found = {}
    for terms in Terms.objects.for_family(recipient, until).select_related("pa"):
        found.setdefault(terms.pa_id, []).append(terms)
    return found


@dataclass
class Worked:
    """The pay for one piece of worked time."""

    kind: str
    hours: Decimal = Decimal("0")  # paid hours (sleep-ins: time woken)
    by_bucket: dict = field(default_factory=dict)  # hours in each uplift bucket
    night_hours: Decimal = Decimal("0")  # hours 22:00-06:00, whatever uplift they got
    sleep_ins: int = 0
    woken_hours: Decimal = Decimal("0")
    basic: Decimal = Decimal("0")  # hours x rate
    uplift: Decimal = Decimal("0")  # the uplifts on top
    sleep_in_pay: Decimal = Decimal("0")  # allowances plus time woken

    @property
    def gross(self):
        return self.basic + self.uplift + self.sleep_in_pay


def _boundaries(start, end):
    """Local midnights, 06:00s and 22:00s strictly inside (start, end), as UTC instants."""
    tz = london()
    day = timezone.localtime(start, tz).date()
    last = timezone.localtime(end, tz).date()
    found = []
    while day <= last:
        for at in (datetime.time(0), NIGHT_UNTIL, NIGHT_FROM):
            instant = datetime.datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
            if start < instant < end:
                found.append(instant)
        day += datetime.timedelta(days=1)
    return sorted(found)


def _segments(start, end):
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    edges = [start, *_boundaries(start, end), end]
    return zip(edges, edges[1:])


def _bucket(local, rates):
    """The bucket of the moment `local`: the largest uplift that applies (ties: bank holiday first)."""
    applies = []
    if is_bank_holiday(local.date()):
        applies.append(BANK_HOLIDAY)
    if local.weekday() >= 5:
        applies.append(WEEKEND)
    if local.time() >= NIGHT_FROM or local.time() < NIGHT_UNTIL:
        applies.append(NIGHT)
    applies.append(PLAIN)
    return max(applies, key=lambda b: (rates.percent(b), BUCKETS.index(b)))


def split_hours(start, end, rates):
    """({bucket: hours}, night hours) for [start, end)."""
    hours = dict.fromkeys(BUCKETS, Decimal("0"))
    night = Decimal("0")
    for a, b in _segments(start, end):
        local = timezone.localtime(a, london())
        length = Decimal((b - a).total_seconds()) / HOUR
        hours[_bucket(local, rates)] += length
        if local.time() >= NIGHT_FROM or local.time() < NIGHT_UNTIL:
            night += length
    return hours, night


def _take_break(hours, break_hours):
    for bucket in BUCKETS:
        taken = min(hours[bucket], break_hours)
        hours[bucket] -= taken
        break_hours -= taken
    return hours


@functools.lru_cache(maxsize=8192)
def planned_gross(kind, start, end, rates):
    """pay_for(...).gross of a planned shift (no break, no time woken). Remembered per process: it is
    arithmetic on its arguments and the fixed tables of employment.wages (bank holidays, the
    minimum wage) only, and the rota page costs every shift of the budget period on every view."""
    return pay_for(kind=kind, start=start, end=end, rates=rates).gross


def money(value):
    return value.quantize(PENNY, ROUND_HALF_UP)


def pay_for(*, kind, start, end, rates, break_minutes=0, woken_minutes=0):
    """Gross pay for worked time [start, end) of this kind at these rates."""
    worked = Worked(kind=kind)
    rates = rates.on(timezone.localdate(start))
    if kind == "sleep_in":
        worked.sleep_ins = 1
        worked.woken_hours = Decimal(woken_minutes) / 60
        worked.hours = worked.woken_hours
        worked.sleep_in_pay = money(rates.sleep_in + worked.woken_hours * rates.hourly)
        return worked
    hours, worked.night_hours = split_hours(start, end, rates)
    hours = _take_break(hours, Decimal(break_minutes or 0) / 60)
    worked.by_bucket = hours
    worked.hours = sum(hours.values(), Decimal("0"))
    worked.basic = money(worked.hours * rates.hourly)
    worked.uplift = money(sum((h * rates.hourly * rates.percent(b) / 100 for b, h in hours.items()), Decimal("0")))
    return worked
