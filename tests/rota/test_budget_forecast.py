"""Budget actual against plan on the coordinator's caseload: a periodic job stores each live
budget's forecast (rota.jobs.refresh_budget_forecasts), and the caseload reads the stored
forecasts in one query and shows an overspend as something to act on now."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from care.models import Role
from paworkflow import periodic
from rota import jobs
from rota.models import BudgetForecast
from rota.payroll import actual_against_plan
from tests.employment.factories import worked
from tests.factories import BudgetFactory, CareRecipientFactory, member

from .factories import ShiftFactory, at

pytestmark = pytest.mark.django_db


def spent(family, parent, pa, amount):
    """A live budget of `amount` with one approved 4-hour shift yesterday (4 h x 13.50 + 20% = £64.80)."""
    today = timezone.localdate()
    budget = BudgetFactory(recipient=family, period_start=today - datetime.timedelta(days=60),
                           period_end=today + datetime.timedelta(days=300), amount=Decimal(amount))
    yesterday = today - datetime.timedelta(days=1)
    worked(ShiftFactory(recipient=family, pa=pa, start=at(yesterday, 9), end=at(yesterday, 13)), approver=parent)
    return budget


@pytest.fixture(autouse=True)
def _oncost(settings):
    settings.ROTA_EMPLOYER_ONCOST_PERCENT = "20"


def test_the_job_stores_what_actual_against_plan_computes_and_running_it_again_changes_nothing(family, parent, pa):
    budget = spent(family, parent, pa, "50.00")
    ended = BudgetFactory(recipient=CareRecipientFactory(), period_start=datetime.date(2020, 4, 1),
                          period_end=datetime.date(2021, 4, 1))
    assert "rota.jobs.refresh_budget_forecasts" in periodic.JOBS
    assert jobs.refresh_budget_forecasts() == 1
    report = actual_against_plan(budget)
    forecast = BudgetForecast.objects.get()
    assert forecast.budget == budget and forecast.recipient == family
    assert (forecast.budget_total, forecast.actual_to_date, forecast.forecast_total, forecast.overspend) == (
        Decimal("50.00"), report.total_actual, report.forecast, report.overspend)
    assert (forecast.actual_to_date, forecast.overspend) == (Decimal("64.80"), Decimal("14.80"))
    assert not BudgetForecast.objects.filter(budget=ended).exists()  # only live budgets
    assert jobs.refresh_budget_forecasts() == 1
    assert BudgetForecast.objects.count() == 1


def test_a_budget_that_stops_being_live_loses_its_forecast(family, parent, pa):
    budget = spent(family, parent, pa, "50.00")
    jobs.refresh_budget_forecasts()
    budget.ended_on = timezone.localdate() - datetime.timedelta(days=1)
    budget.save()
    assert jobs.refresh_budget_forecasts() == 0
    assert not BudgetForecast.objects.exists()


def test_the_caseload_shows_a_forecast_overspend_to_act_on_with_a_link_to_the_budget(client, family, parent, pa,
                                                                                     coordinator):
    spent(family, parent, pa, "50.00")
    within = CareRecipientFactory(display_name="Wendy Within")
    member(within, Role.COORDINATOR, user=coordinator)
    spent(within, member(within, Role.BUDGET_HOLDER), member(within, Role.PA), "1000.00")
    jobs.refresh_budget_forecasts()
    client.force_login(coordinator)
    body = client.get(reverse("caseload")).content.decode()
    assert body.count("Forecast overspend") == 1
    assert "Forecast overspend £14.80" in body
    assert reverse("rota:budget", args=[family.pk]) in body
    assert reverse("rota:budget", args=[within.pk]) not in body
    assert body.find(family.display_name) < body.find("Wendy Within")  # act now comes first
    filtered = client.get(reverse("caseload"), {"what": "overspend"}).content.decode()
    assert family.display_name in filtered and "Wendy Within" not in filtered


def test_nothing_is_shown_before_the_job_has_run_or_without_an_overspend(client, family, parent, pa, coordinator):
    spent(family, parent, pa, "50.00")
    client.force_login(coordinator)
    assert "Forecast overspend" not in client.get(reverse("caseload")).content.decode()
    BudgetForecast.objects.all().delete()
    budget = family.budgets.get()
    budget.amount = Decimal("5000.00")
    budget.save()
    jobs.refresh_budget_forecasts()
    assert BudgetForecast.objects.get().overspend == Decimal("0")
    assert "Forecast overspend" not in client.get(reverse("caseload")).content.decode()
