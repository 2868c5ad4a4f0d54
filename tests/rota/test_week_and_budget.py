"""The rota page's two money figures, the week's planned cost and the budget period's summary, come
from one pass over the shifts (rota.queries.week_and_budget): the same figures as costing the week's
shifts one by one and budget_summary, including a week that runs past the end of the budget period."""
import datetime
from decimal import Decimal

import pytest

from rota.queries import budget_summary, shift_cost, week_and_budget
from tests.factories import BudgetFactory

from .factories import ShiftFactory, at


@pytest.fixture(autouse=True)
def rates(settings):
    settings.ROTA_EMPLOYER_ONCOST_PERCENT = "20"


def shifts_around(family, pa, monday):
    """A week with a booked day, an open evening, a sleep-in and a cancelled shift; one shift the
    week before and one the week after."""
    week = [
        ShiftFactory(recipient=family, pa=pa, start=at(monday, 9), end=at(monday, 17)),
        ShiftFactory(recipient=family, start=at(monday + datetime.timedelta(days=2), 18),
                     end=at(monday + datetime.timedelta(days=2), 21)),
        ShiftFactory(recipient=family, pa=pa, kind="sleep_in", start=at(monday + datetime.timedelta(days=5), 23),
                     end=at(monday + datetime.timedelta(days=6), 7)),
    ]
    ShiftFactory(recipient=family, pa=pa, status="cancelled", start=at(monday + datetime.timedelta(days=3), 9),
                 end=at(monday + datetime.timedelta(days=3), 12))
    ShiftFactory(recipient=family, pa=pa, start=at(monday - datetime.timedelta(days=3), 9),
                 end=at(monday - datetime.timedelta(days=3), 12))
    ShiftFactory(recipient=family, pa=pa, start=at(monday + datetime.timedelta(days=8), 9),
                 end=at(monday + datetime.timedelta(days=8), 12))
    return week


def same_summary(a, b):
    fields = ("budget", "period_start", "period_end", "planned", "worked", "open_estimate", "shift_count", "warnings")
    return all(getattr(a, name) == getattr(b, name) for name in fields)


@pytest.mark.parametrize("period_ends_after_days", [300, 4])  # the whole week inside the period, or half of it
def test_the_week_and_the_budget_are_the_figures_of_each_on_its_own(family, pa, monday, period_ends_after_days):
    week = shifts_around(family, pa, monday)
    BudgetFactory(recipient=family, period_start=monday - datetime.timedelta(days=30),
                  period_end=monday + datetime.timedelta(days=period_ends_after_days), amount=Decimal("400.00"))
    week_cost, summary = week_and_budget(family, monday)
    assert week_cost == sum(shift_cost(s) for s in week) and week_cost > 0
    assert same_summary(summary, budget_summary(family, monday))
    # the shifts before and after the week are in a long period; a period ending on the Friday leaves
    # out the weekend's sleep-in and the week after
    assert summary.shift_count == (5 if period_ends_after_days == 300 else 3)


def test_without_a_budget_the_week_is_still_costed(family, pa, monday):
    week = shifts_around(family, pa, monday)
    week_cost, summary = week_and_budget(family, monday)
    assert week_cost == sum(shift_cost(s) for s in week)
    assert summary.budget is None and same_summary(summary, budget_summary(family, monday))
