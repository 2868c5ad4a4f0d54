"""The pay rules that change by date, in one place: the National Living Wage table and the
England and Wales bank holidays (from the maintained `holidays` package, not a typed list).

Sources: GOV.UK National Minimum Wage rates (21 and over): £11.44 from 1 April 2024,
£12.21 from 1 April 2025, £12.71 from 1 April 2026. Add next April's row when it is announced.
"""
import datetime
import functools
from decimal import Decimal

import holidays

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


def minimum_wage_on(day):
    """The National Living Wage in force on `day` (the earliest known rate before the table)."""
    rate = NATIONAL_LIVING_WAGE[0][1]
    for since, hourly in NATIONAL_LIVING_WAGE:
        if since <= day:
            rate = hourly
    return rate


@functools.lru_cache(maxsize=64)
def _bank_holidays(year):
    # England's list is England and Wales's: the two share every bank holiday.
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_bank_holiday(day):
    return day in _bank_holidays(day.year)


def bank_holiday_name(day):
    return _bank_holidays(day.year).get(day)
