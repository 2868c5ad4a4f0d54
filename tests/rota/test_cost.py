"""What shifts cost the budget: PA rates, sleep-ins, the minimum-wage floor, on-costs, the period summary."""
import datetime
from decimal import Decimal

import pytest

from rota import services
from rota.queries import budget_summary, shift_cost, shift_pay
from tests.factories import BudgetFactory

from .factories import YEAR, ShiftFactory, at


@pytest.fixture(autouse=True)
def rates(settings):
    settings.ROTA_EMPLOYER_ONCOST_PERCENT = "20"


def test_a_day_shift_costs_hours_times_rate_plus_oncosts(family, pa, monday):
    shift = ShiftFactory(recipient=family, pa=pa, start=at(monday, 9), end=at(monday, 16, 30))
    assert shift_pay(shift) == Decimal("101.25")  # 7.5 h x £13.50
    assert shift_cost(shift) == Decimal("121.50")  # + 20%


def test_a_rate_below_the_minimum_wage_is_lifted_to_it(family, pa, monday):
    pa.pa_profile.hourly_rate = Decimal("10.00")
    pa.pa_profile.save()
    shift = ShiftFactory(recipient=family, pa=pa, start=at(monday, 9), end=at(monday, 17))
    assert shift_pay(shift) == Decimal("101.68")  # 8 h x £12.71


def test_a_sleep_in_is_its_flat_allowance_not_the_minimum_wage_for_every_hour(family, pa, monday):
    # Mencap (2021): the minimum wage is due for time woken to work, not time asleep. The plan has
    # no time woken: the old costing raised this to 8 h x £12.71 = £101.68.
    shift = ShiftFactory(recipient=family, pa=pa, kind="sleep_in", start=at(monday, 23),
                         end=at(monday + datetime.timedelta(days=1), 7))
    assert shift_pay(shift) == Decimal("95.00")
    pa.pa_profile.sleep_in_rate = Decimal("120.00")
    pa.pa_profile.save()
    shift.pa.refresh_from_db()
    assert shift_pay(shift) == Decimal("120.00")


def test_settings_change_the_cost(family, pa, monday, settings):
    settings.ROTA_EMPLOYER_ONCOST_PERCENT = "0"
    shift = ShiftFactory(recipient=family, pa=pa, start=at(monday, 9), end=at(monday, 10))
    assert shift_cost(shift) == Decimal("13.50")


def test_open_shifts_are_estimated_at_the_minimum_wage(family, monday):
    shift = ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 10))
    assert shift_cost(shift) == Decimal("15.25")  # 12.71 x 1.2


def test_period_summary_counts_live_shifts_in_the_budget_period(family, pa, monday):
    BudgetFactory(recipient=family, period_start=datetime.date(YEAR - 1, 4, 1), period_end=datetime.date(YEAR, 4, 1),
                  amount=Decimal("1000.00"))
    ShiftFactory(recipient=family, pa=pa, start=at(monday, 9), end=at(monday, 17))  # 129.60
    ShiftFactory(recipient=family, start=at(monday, 18), end=at(monday, 20))  # open: 30.50
    ShiftFactory(recipient=family, pa=pa, status="cancelled", start=at(monday, 21), end=at(monday, 23))
    ShiftFactory(recipient=family, pa=pa, start=at(f"{YEAR}-04-01", 9), end=at(f"{YEAR}-04-01", 17))  # next period
    summary = budget_summary(family, monday)
    assert summary.planned == Decimal("160.10") and summary.shift_count == 2
    assert summary.open_estimate == Decimal("30.50")
    assert summary.remaining == Decimal("839.90")
    assert summary.warnings == []


def test_warns_before_the_budget_is_overspent(family, parent, pa, monday):
    BudgetFactory(recipient=family, period_start=datetime.date(YEAR - 1, 4, 1), period_end=datetime.date(YEAR, 4, 1),
                  amount=Decimal("140.00"))
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 17), kind="day",
                                  actor=parent, pa=pa)  # 129.60 of 140: over 90%
    assert any("92.6% of the budget" in w for w in shift.warnings)
    shift = services.create_shift(recipient=family, start=at(monday, 18), end=at(monday, 19), kind="day",
                                  actor=parent)  # + 15.25 open
    assert any("over the budget" in w for w in shift.warnings)
    assert budget_summary(family, monday).over
