"""Pay for each kind of shift at the terms in force: uplifts across a clock change and a bank
holiday, sleep-ins as the law has it (Mencap 2021), breaks, the National Living Wage floor.
Every figure is worked by hand in the comment beside it."""
import datetime
from decimal import Decimal

import pytest

from employment.wages import is_bank_holiday
from rota.pay import Rates, pay_for

from .factories import YEAR, at

RATES = Rates(hourly=Decimal("14.00"), sleep_in=Decimal("80.00"), night=Decimal("10"), weekend=Decimal("0"),
              bank_holiday=Decimal("50"))


def last_sunday(year, month):
    day = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    return day - datetime.timedelta(days=(day.weekday() + 1) % 7)


def last_monday(year, month):
    day = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    return day - datetime.timedelta(days=day.weekday())


SPRING = last_sunday(YEAR, 3)  # clocks go forward at 01:00
AUTUMN = last_sunday(YEAR, 10)  # clocks go back at 02:00
LATE_SUMMER = last_monday(YEAR, 8)  # the late summer bank holiday in England and Wales


@pytest.mark.parametrize("kind", ["waking_night", "day", "respite", "hospital"])
def test_a_night_across_the_spring_clock_change_is_nine_hours_seven_of_them_at_night(kind):
    eve = SPRING - datetime.timedelta(days=1)
    worked = pay_for(kind=kind, start=at(eve, 22), end=at(SPRING, 8), rates=RATES)
    assert worked.hours == 9 and worked.night_hours == 7  # 22-24 and 00-06 less the lost hour
    assert worked.basic == Decimal("126.00")  # 9 x 14
    assert worked.uplift == Decimal("9.80")  # 7 x 14 x 10%
    assert worked.gross == Decimal("135.80")


def test_a_night_across_the_autumn_clock_change_is_eleven_hours_nine_at_night():
    eve = AUTUMN - datetime.timedelta(days=1)
    worked = pay_for(kind="waking_night", start=at(eve, 22), end=at(AUTUMN, 8), rates=RATES)
    assert (worked.hours, worked.night_hours) == (11, 9)
    assert worked.gross == Decimal("166.60")  # 11 x 14 + 9 x 1.40


@pytest.mark.parametrize("kind", ["day", "waking_night", "respite", "hospital"])
def test_a_bank_holiday_pays_its_uplift_for_each_kind(kind):
    assert is_bank_holiday(LATE_SUMMER)
    worked = pay_for(kind=kind, start=at(LATE_SUMMER, 9), end=at(LATE_SUMMER, 17), rates=RATES)
    assert worked.basic == Decimal("112.00")  # 8 x 14
    assert worked.uplift == Decimal("56.00")  # 8 x 14 x 50%
    assert worked.by_bucket["bank_holiday"] == 8


def test_uplifts_do_not_stack_the_largest_applies_to_each_hour():
    rates = Rates(Decimal("14.00"), Decimal("80"), night=Decimal("10"), weekend=Decimal("20"),
                  bank_holiday=Decimal("50"))
    sunday = LATE_SUMMER - datetime.timedelta(days=1)
    worked = pay_for(kind="waking_night", start=at(sunday, 20), end=at(LATE_SUMMER, 4), rates=rates)
    # Sun 20-24 weekend (20% beats night's 10%), Mon 00-04 bank holiday (50% beats night).
    assert worked.by_bucket == {"plain": 0, "night": 0, "weekend": 4, "bank_holiday": 4}
    assert worked.uplift == Decimal("39.20")  # 4 x 14 x 20% + 4 x 14 x 50% = 11.20 + 28.00
    assert worked.night_hours == 6  # 22:00-04:00, whatever uplift the hours got


def test_a_sleep_in_without_time_woken_is_its_flat_allowance():
    monday = datetime.date(YEAR, 3, 1)
    worked = pay_for(kind="sleep_in", start=at(monday, 22), end=at(monday + datetime.timedelta(days=1), 7),
                     rates=RATES)
    assert (worked.sleep_ins, worked.hours, worked.gross) == (1, 0, Decimal("80.00"))


def test_time_woken_on_a_sleep_in_is_paid_at_the_hourly_rate_on_top():
    monday = datetime.date(YEAR, 3, 1)
    worked = pay_for(kind="sleep_in", start=at(monday, 22), end=at(monday + datetime.timedelta(days=1), 7),
                     rates=RATES, woken_minutes=90)
    assert worked.woken_hours == Decimal("1.5")
    assert worked.sleep_in_pay == Decimal("101.00")  # 80 + 1.5 x 14


def test_time_woken_is_paid_at_least_the_national_living_wage():
    monday = datetime.date(YEAR, 3, 1)
    low = Rates(hourly=Decimal("10.00"), sleep_in=Decimal("80.00"))
    worked = pay_for(kind="sleep_in", start=at(monday, 22), end=at(monday + datetime.timedelta(days=1), 7),
                     rates=low, woken_minutes=90)
    assert worked.gross == Decimal("99.07")  # 80 + 1.5 x 12.71 = 99.065


def test_a_lawful_lower_rate_recorded_on_the_terms_is_kept():
    monday = datetime.date(YEAR, 3, 1)
    apprentice = Rates(hourly=Decimal("10.00"), sleep_in=Decimal("0"), below_minimum_lawful=True)
    assert pay_for(kind="day", start=at(monday, 9), end=at(monday, 17), rates=apprentice).gross == Decimal("80.00")


def test_an_unpaid_break_comes_off_the_least_uplifted_hours_first():
    monday = datetime.date(YEAR, 3, 1)
    worked = pay_for(kind="day", start=at(monday, 18), end=at(monday, 23), rates=RATES, break_minutes=30)
    # 18-22 plain (4 h), 22-23 night (1 h); the half hour comes off the plain hours.
    assert worked.by_bucket["plain"] == Decimal("3.5") and worked.by_bucket["night"] == 1
    assert worked.gross == Decimal("64.40")  # 4.5 x 14 + 1 x 1.40
