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


def yearly_entitlement_hours(weekly_hours):
    """Regular hours: 5.6 weeks of the contracted week. (The 28-day cap only bites on a week of more
    than five working days, which the terms do not record.)"""
    return (STATUTORY_WEEKS * weekly_hours).quantize(Decimal("0.01"))
