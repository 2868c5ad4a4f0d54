"""The pay rules that change by date, in one place: the National Living Wage table and the
England and Wales bank holidays (from the maintained `holidays` package, not a typed list).

Sources: GOV.UK National Minimum Wage rates (21 and over): £11.44 from 1 April 2024,
£12.21 from 1 April 2025, £12.71 from 1 April 2026. Add next April's row when it is announced.
"""
import datetime
import functools
from decimal import Decimal

import holidays
from django.utils import timezone

from .models import Contract

# (effective from, hourly rate for workers aged 21 and over), oldest first.
NATIONAL_LIVING_WAGE = (
    (datetime.date(2024, 4, 1), Decimal("11.44")),
    (datetime.date(2025, 4, 1), Decimal("12.21")),
    (datetime.date(2026, 4, 1), Decimal("12.71")),
)

# Holiday: 5.6 weeks a year, capped at 28 days; irregular hours accrue 12.07% of hours worked
# (leave years from 1 April 2024). 12.07% is 5.6 / (52 - 5.6).
STATUTORY_WEEKS = Decimal("5.6")
STATUTORY_DAYS_CAP = 28
IRREGULAR_ACCRUAL = Decimal("0.1207")
IRREGULAR_ACCRUAL_FROM = datetime.date(2024, 4, 1)


def minimum_wage_row(day):
    """(in force since, hourly rate): the National Living Wage row in force on `day` (the earliest
    known row before the table)."""
    row = NATIONAL_LIVING_WAGE[0]
    for since, hourly in NATIONAL_LIVING_WAGE:
        if since <= day:
            row = (since, hourly)
    return row


def minimum_wage_on(day):
    """The National Living Wage in force on `day`."""
    return minimum_wage_row(day)[1]


def _long_date(day):
    return f"{day.day} {day:%B %Y}"


def below_minimum(hourly_rate, day):
    """The warning for an hourly rate paid on `day` below the National Living Wage then, or ""."""
    since, floor = minimum_wage_row(day)
    if hourly_rate is None or hourly_rate >= floor:
        return ""
    return (f"£{hourly_rate:.2f} an hour is below the National Living Wage: £{floor} an hour from "
            f"{_long_date(since)} for workers aged 21 and over.")


def rate_warning(hourly_rate, day=None):
    """The warning (or None) for an hourly rate a PA is offered from `day` (today): below the
    National Living Wage in force, or below a rise already in the table. Care's invitation pages
    reach it through settings.CARE_RATE_WARNING, since care may not import employment."""
    day = day or timezone.localdate()
    warning = below_minimum(hourly_rate, day)
    if warning or hourly_rate is None:
        return warning or None
    for since, rise in NATIONAL_LIVING_WAGE:
        if since > day and hourly_rate < rise:
            return (f"£{hourly_rate:.2f} an hour will be below the National Living Wage: it rises to £{rise} an "
                    f"hour on {_long_date(since)} for workers aged 21 and over.")
    return None


@functools.lru_cache(maxsize=64)
def _bank_holidays(year):
    """{date: name}. England's list is England and Wales's: the two share every bank holiday. A plain
    dict: the package's own lookup parses its key on every call, and pay asks once per hour worked."""
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year).items())


def is_bank_holiday(day):
    return day in _bank_holidays(day.year)


def bank_holiday_name(day):
    return _bank_holidays(day.year).get(day)


# Statutory Sick Pay: from 6 April 2026 it is payable from the first day of sickness (and the
# lower earnings limit is removed); before, from the fourth day of a period of four or more days.
SSP_FROM_DAY_ONE = datetime.date(2026, 4, 6)
SSP_WAITING_DAYS = 3


def ssp_days(first_day, last_day):
    """The days of one run of sickness on which Statutory Sick Pay is due (whether the employee
    qualifies otherwise is the payroll bureau's check)."""
    days = [first_day + datetime.timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    if first_day >= SSP_FROM_DAY_ONE:
        return days
    if len(days) <= SSP_WAITING_DAYS:
        return [d for d in days if d >= SSP_FROM_DAY_ONE]
    return [d for i, d in enumerate(days) if i >= SSP_WAITING_DAYS or d >= SSP_FROM_DAY_ONE]


def yearly_entitlement_days(days_per_week):
    """Regular hours: 5.6 weeks of the working week, capped at 28 days (5 days a week -> 28, 3 -> 16.8,
    6 -> 28)."""
    return min(STATUTORY_WEEKS * Decimal(days_per_week), Decimal(STATUTORY_DAYS_CAP)).quantize(Decimal("0.01"))


def _yearly_hours(weekly_hours, days_per_week):
    hours = STATUTORY_WEEKS * weekly_hours
    if days_per_week:  # the 28-day cap, in hours: 28 of this PA's days
        hours = min(hours, STATUTORY_DAYS_CAP * weekly_hours / days_per_week)
    return hours


def yearly_entitlement_hours(weekly_hours, days_per_week=None):
    """Regular hours: 5.6 weeks of the contracted week, capped at 28 of the PA's days when the terms
    say how many days the week is (6 days of 8 h: 224 h, not 268.8)."""
    return _yearly_hours(weekly_hours, days_per_week).quantize(Decimal("0.01"))


def _anniversary(start, year):
    try:
        return start.replace(year=year)
    except ValueError:  # a leave year starting 29 February
        return start.replace(year=year, day=28)


def leave_year(leave_year_start, day):
    """(first, last): the leave year starting on `leave_year_start`'s day and month that contains `day`."""
    first = _anniversary(leave_year_start, day.year)
    if first > day:
        first = _anniversary(leave_year_start, day.year - 1)
    return first, _anniversary(leave_year_start, first.year + 1) - datetime.timedelta(days=1)


def regular_entitlement(versions, first, last):
    """(days, hours) of holiday earned over the dates first..last under regular-hours terms.

    `versions` are one PA's terms in effective order. Each day under regular terms earns its leave
    year's share (1 / the days in that year) of those terms' yearly entitlement, so a whole leave year
    earns 5.6 weeks (28 days at most), a start half way through it half, and a change of days or hours
    counts from its date. Days are None when a version in the dates does not record its days a week.
    """
    versions = list(versions)
    days, hours, days_known = Decimal("0"), Decimal("0"), True
    day, i, terms, year = first, 0, None, None
    while day <= last:
        while i < len(versions) and versions[i].effective_from <= day:
            terms, i, year = versions[i], i + 1, None  # a new version may move the leave year
        if terms is not None and terms.contract == Contract.REGULAR and terms.weekly_hours:
            if year is None or not year[0] <= day <= year[1]:
                year = leave_year(terms.leave_year_start, day)
            length = (year[1] - year[0]).days + 1
            hours += _yearly_hours(terms.weekly_hours, terms.days_per_week) / length
            if terms.days_per_week:
                days += min(STATUTORY_WEEKS * terms.days_per_week, Decimal(STATUTORY_DAYS_CAP)) / length
            else:
                days_known = False
        day += datetime.timedelta(days=1)
    places = Decimal("0.01")
    return (days.quantize(places) if days_known else None), hours.quantize(places)
