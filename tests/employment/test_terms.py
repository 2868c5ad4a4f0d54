"""Terms with effective dates, the National Living Wage table and the bank holidays."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from care.models import AuditEvent
from employment import services, wages
from employment.models import Terms

from .factories import terms

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def values(**overrides):
    base = {"effective_from": TODAY, "hourly_rate": "13.50", "sleep_in_allowance": "85.00",
            "leave_year_start": datetime.date(2026, 4, 1), "contract": "regular", "weekly_hours": "30",
            "days_per_week": "5", "pay_period": "monthly"}
    base.update(overrides)
    return base


def test_the_national_living_wage_changes_on_1_april():
    assert wages.minimum_wage_on(datetime.date(2026, 3, 31)) == Decimal("12.21")
    assert wages.minimum_wage_on(datetime.date(2026, 4, 1)) == Decimal("12.71")
    assert wages.minimum_wage_on(datetime.date(2025, 4, 1)) == Decimal("12.21")


def test_bank_holidays_of_england_and_wales_come_from_the_package():
    assert wages.is_bank_holiday(datetime.date(2026, 8, 31))  # late summer
    assert wages.is_bank_holiday(datetime.date(2026, 12, 28))  # Boxing Day observed (26th is a Saturday)
    assert not wages.is_bank_holiday(datetime.date(2026, 3, 17))  # St Patrick's: Northern Ireland only
    assert not wages.is_bank_holiday(datetime.date(2026, 11, 30))  # St Andrew's: Scotland only


def test_a_rate_below_the_living_wage_is_refused_unless_the_employer_says_why(family, parent, pa):
    low = values(hourly_rate="10.00", effective_from=max(TODAY, datetime.date(2026, 4, 1)))
    with pytest.raises(ValidationError, match="below the National Living Wage"):
        services.set_terms(recipient=family, pa=pa, actor=parent, **low)
    assert not Terms.objects.exists()
    saved = services.set_terms(recipient=family, pa=pa, actor=parent, below_minimum_reason="Apprentice, first year", **low)
    assert saved.below_minimum_reason == "Apprentice, first year"
    assert "below the National Living Wage" in AuditEvent.objects.get(action="employment.terms_set").summary


def test_terms_in_force_are_the_latest_effective_on_the_day(family, pa):
    terms(family, pa, effective_from=datetime.date(2025, 4, 1), hourly_rate=Decimal("12.50"))
    terms(family, pa, effective_from=datetime.date(2026, 4, 1), hourly_rate=Decimal("13.00"))
    assert Terms.objects.in_force(family, pa, datetime.date(2026, 3, 31)).hourly_rate == Decimal("12.50")
    assert Terms.objects.in_force(family, pa, datetime.date(2026, 4, 1)).hourly_rate == Decimal("13.00")
    assert Terms.objects.in_force(family, pa, datetime.date(2025, 3, 31)) is None


def test_regular_terms_need_their_weekly_hours(family, parent, pa):
    with pytest.raises(ValidationError, match="contracted hours"):
        services.set_terms(recipient=family, pa=pa, actor=parent, **values(weekly_hours=None))


def test_terms_are_for_pas_of_the_family_only(family, parent, other_pa):
    with pytest.raises(ValidationError, match="not a PA"):
        services.set_terms(recipient=family, pa=other_pa, actor=parent, **values())


def test_the_coordinator_sees_terms_but_only_the_budget_holder_sets_them(client, family, parent, coordinator, pa):
    url = reverse("employment:terms", args=[family.pk])
    form = {**values(), "pa": pa.pk, "effective_from": TODAY.isoformat(), "leave_year_start": "2026-04-01",
            "night_uplift_percent": "10", "weekend_uplift_percent": "0", "bank_holiday_uplift_percent": "50"}
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    assert client.post(url, form).status_code == 403
    with pytest.raises(PermissionDenied):
        services.set_terms(recipient=family, pa=pa, actor=coordinator, **values())
    client.force_login(parent)
    assert client.post(url, form).status_code == 302
    saved = Terms.objects.get()
    assert (saved.hourly_rate, saved.bank_holiday_uplift_percent, saved.set_by) == (Decimal("13.50"), 50, parent)


def test_terms_page_is_404_outside_the_circle_and_403_for_a_pa(client, family, pa, other_parent):
    url = reverse("employment:terms", args=[family.pk])
    client.force_login(other_parent)
    assert client.get(url).status_code == 404
    client.force_login(pa)
    assert client.get(url).status_code == 403


def test_terms_are_append_only(family, pa):
    saved = terms(family, pa)
    saved.hourly_rate = Decimal("20")
    with pytest.raises(ValueError, match="append-only"):
        saved.save()


def test_the_terms_page_refuses_a_rate_below_the_living_wage_with_its_figure_until_a_reason_is_given(
        client, family, parent, pa):
    day = max(TODAY, datetime.date(2026, 4, 1))
    since, floor = wages.minimum_wage_row(day)
    url = reverse("employment:terms", args=[family.pk])
    form = {**values(hourly_rate="10.00"), "pa": pa.pk, "effective_from": day.isoformat(),
            "leave_year_start": "2026-04-01", "night_uplift_percent": "0", "weekend_uplift_percent": "0",
            "bank_holiday_uplift_percent": "0"}
    client.force_login(parent)
    body = client.post(url, form).content.decode()
    assert f"below the National Living Wage: £{floor} an hour from {since.day} {since:%B %Y}" in body
    assert "Record why this rate is lawful" in body and not Terms.objects.exists()
    assert client.post(url, {**form, "below_minimum_reason": "Apprentice, first year"}).status_code == 302
    assert Terms.objects.get().below_minimum_reason == "Apprentice, first year"
    assert "Regular hours (30 h a week over 5 days)" in client.get(url).content.decode()
