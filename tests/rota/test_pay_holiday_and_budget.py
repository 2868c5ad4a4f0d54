"""Holiday balances (12.07% accrual for irregular hours over a leave year, 5.6 weeks for regular)
and the budget page's actual spend against the plan."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from rota.payroll import actual_against_plan, holiday_balances, leave_year
from tests.employment.factories import absence, terms, worked
from tests.factories import BudgetFactory

from .factories import YEAR, ShiftFactory, at

pytestmark = pytest.mark.django_db


def test_irregular_hours_accrue_12_07_percent_of_hours_worked_over_the_leave_year(family, parent, pa):
    terms(family, pa, contract="irregular", leave_year_start=datetime.date(2024, 4, 1))
    # Ten 10-hour days across the leave year April YEAR - March YEAR+1: 100 hours worked.
    for n in range(10):
        day = datetime.date(YEAR, 4, 5) + datetime.timedelta(days=33 * n)
        worked(ShiftFactory(recipient=family, pa=pa, start=at(day, 8), end=at(day, 18)), approver=parent)
    # A shift before the leave year does not count towards it.
    worked(ShiftFactory(recipient=family, pa=pa, start=at(datetime.date(YEAR, 3, 30), 8),
                        end=at(datetime.date(YEAR, 3, 30), 18)), approver=parent)
    absence(family, pa, datetime.date(YEAR, 8, 2), hours=Decimal("5"))
    absence(family, pa, datetime.date(YEAR, 9, 6), hours=Decimal("5"), status="requested")  # not approved: not taken
    [balance] = holiday_balances(family, datetime.date(YEAR, 6, 1))
    assert (balance.first, balance.last) == (datetime.date(YEAR, 4, 1), datetime.date(YEAR + 1, 3, 31))
    assert balance.earned == Decimal("12.07")  # 100 h x 12.07%
    assert balance.taken == Decimal("5.00")
    assert balance.left == Decimal("7.07")


def test_regular_hours_are_entitled_to_5_6_weeks_of_their_week(family, parent, pa):
    terms(family, pa, contract="regular", weekly_hours=Decimal("30"), leave_year_start=datetime.date(2025, 1, 1))
    absence(family, pa, datetime.date(YEAR, 2, 1), datetime.date(YEAR, 2, 5), hours=Decimal("30"))
    [balance] = holiday_balances(family, datetime.date(YEAR, 6, 1))
    assert (balance.first, balance.last) == (datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))
    assert (balance.earned, balance.taken, balance.left) == (Decimal("168.00"), Decimal("30.00"), Decimal("138.00"))


def test_a_leave_year_starting_29_february_falls_back_to_the_28th(family, pa):
    saved = terms(family, pa, leave_year_start=datetime.date(2024, 2, 29))
    assert leave_year(saved, datetime.date(2027, 3, 10)) == (datetime.date(2027, 2, 28), datetime.date(2028, 2, 28))


def test_the_pa_sees_their_balance_on_the_timesheets_page(client, family, parent, pa, pa2):
    terms(family, pa, contract="irregular")
    terms(family, pa2, contract="regular", weekly_hours=Decimal("20"))
    client.force_login(pa)
    body = client.get(reverse("timesheets:list", args=[family.pk])).content.decode()
    assert "12.07% of hours worked" in body and "Entitled to" not in body  # only their own
    client.force_login(parent)
    body = client.get(reverse("timesheets:list", args=[family.pk])).content.decode()
    assert "12.07% of hours worked" in body and "Entitled to 112 h" in body


def test_actual_spend_month_by_month_and_by_pa_beside_the_plan(family, parent, pa, pa2, settings):
    settings.ROTA_EMPLOYER_ONCOST_PERCENT = "20"
    budget = BudgetFactory(recipient=family, period_start=datetime.date(YEAR - 1, 4, 1),
                           period_end=datetime.date(YEAR, 4, 1), amount=Decimal("400.00"))
    march = datetime.date(YEAR, 3, 1)
    # Approved: pa, 8 h x 13.50 = 108.00 + 20% = 129.60
    worked(ShiftFactory(recipient=family, pa=pa, start=at(march, 9), end=at(march, 17)), approver=parent)
    # Worked, not approved: pa2, 129.60 at plan
    worked(ShiftFactory(recipient=family, pa=pa2, start=at(march.replace(day=2), 9), end=at(march.replace(day=2), 17)),
           approver=parent, approve=False)
    # Holiday: pa, 6 h x 13.50 = 81.00 + 20% = 97.20
    absence(family, pa, march.replace(day=3), hours=Decimal("6"))
    # Still to come: 129.60 at plan, and a day's approved holiday for pa2, 4 h x 13.50 = 54.00 + 20% = 64.80
    ShiftFactory(recipient=family, pa=pa2, start=at(march.replace(day=20), 9), end=at(march.replace(day=20), 17))
    absence(family, pa2, march.replace(day=25), hours=Decimal("4"))
    report = actual_against_plan(budget, now=at(march.replace(day=15), 12))
    assert len(report.months) == 12 and report.months[0].first == datetime.date(YEAR - 1, 4, 1)
    last = report.months[-1]
    assert (last.actual, last.awaiting, last.planned) == (Decimal("226.80"), Decimal("129.60"), Decimal("194.40"))
    assert report.by_pa == [(pa.get_full_name(), Decimal("226.80"))]
    assert report.forecast == Decimal("550.80") and report.overspend == Decimal("150.80")


def test_the_actual_against_plan_queries_do_not_grow_with_shifts_pas_or_months(family, parent, pa,
                                                                            django_assert_max_num_queries):
    from care.models import Role
    from tests.factories import member

    budget = BudgetFactory(recipient=family, period_start=datetime.date(YEAR - 1, 4, 1),
                           period_end=datetime.date(YEAR, 4, 1), amount=Decimal("400.00"))
    now = at(datetime.date(YEAR, 3, 15), 12)
    with django_assert_max_num_queries(15):  # two collects of six, the terms, the shifts, the PA profiles joined
        actual_against_plan(budget, now=now)
    for n in range(3):
        extra = member(family, Role.PA, username=f"extra-{n}")
        terms(family, extra)
        for month in range(1, 4):
            day = datetime.date(YEAR, month, 2 + n)
            worked(ShiftFactory(recipient=family, pa=extra, start=at(day, 9), end=at(day, 12)), approver=parent)
            ShiftFactory(recipient=family, pa=extra, start=at(day.replace(day=20), 9), end=at(day.replace(day=20), 12))
        absence(family, extra, datetime.date(YEAR, 3, 28), hours=Decimal("3"))
    with django_assert_max_num_queries(15):
        report = actual_against_plan(budget, now=now)
    assert sum(1 for m in report.months if m.actual) == 3


def test_the_budget_page_shows_actual_spend_and_warns_of_an_overspend(client, family, parent, pa):
    today = timezone.localdate()
    BudgetFactory(recipient=family, period_start=today - datetime.timedelta(days=60),
                  period_end=today + datetime.timedelta(days=300), amount=Decimal("50.00"))
    yesterday = today - datetime.timedelta(days=1)
    worked(ShiftFactory(recipient=family, pa=pa, start=at(yesterday, 9), end=at(yesterday, 13)), approver=parent)
    client.force_login(parent)
    body = client.get(reverse("rota:budget", args=[family.pk])).content.decode()
    assert "Actual spend against the plan" in body
    assert "£64.80" in body  # 4 h x 13.50 = 54.00 + 20%
    assert "will be overspent by £14.80" in body
