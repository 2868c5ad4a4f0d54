"""A PA's hourly rate below the National Living Wage is warned at the invitation (and when adding a
PA by mobile): the page comes back with the figure and the date it applies from, nothing is sent,
and it goes through only once the budget holder ticks that the rate is lawful. Care reaches the
wage table through settings.CARE_RATE_WARNING (care may not import employment)."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time

from care import rates
from care.models import AuditEvent, Invitation, PAProfile
from employment import wages

pytestmark = pytest.mark.django_db
KIT = {"first_name": "Kit", "last_name": "Ash", "role": "pa", "mobile": "07700 900555", "hourly_rate": "12.00",
       "sleep_in_rate": "80"}
DEE = {"first_name": "Dee", "last_name": "Oak", "mobile": "07700 900601", "sms_consent": "on",
       "hourly_rate": "11.50", "sleep_in_rate": "100"}
SUMMER_2026 = "2026-06-01 12:00:00"


@freeze_time(SUMMER_2026)
def test_inviting_a_pa_below_the_living_wage_shows_the_figure_and_date_and_sends_nothing(client, family, parent):
    client.force_login(parent)
    url = reverse("invite", args=[family.pk])
    response = client.post(url, KIT)
    body = response.content.decode()
    assert response.status_code == 200
    assert "£12.00 an hour is below the National Living Wage: £12.71 an hour from 1 April 2026" in body
    assert 'type="checkbox" name="rate_checked"' in body
    assert not Invitation.objects.exists()

    response = client.post(url, {**KIT, "rate_checked": "on"})
    assert response.status_code == 302
    assert Invitation.objects.get().hourly_rate == Decimal("12.00")
    # who confirmed the rate as lawful, and the figure, is in the audit log once
    confirmed = AuditEvent.objects.filter(action="invitation.rate_below_minimum_confirmed", actor=parent)
    assert confirmed.count() == 1 and "£12.00 an hour confirmed as lawful" in confirmed.get().summary


@freeze_time(SUMMER_2026)
def test_a_rate_at_the_living_wage_goes_straight_through_without_the_box(client, family, parent):
    client.force_login(parent)
    url = reverse("invite", args=[family.pk])
    assert 'type="checkbox" name="rate_checked"' not in client.get(url).content.decode()
    assert client.post(url, {**KIT, "hourly_rate": "12.71"}).status_code == 302
    assert Invitation.objects.get().hourly_rate == Decimal("12.71")


@freeze_time(SUMMER_2026)
def test_a_carer_invitation_is_not_warned_about_a_rate_it_does_not_take(client, family, parent):
    client.force_login(parent)
    response = client.post(reverse("invite", args=[family.pk]), {**KIT, "role": "carer"})
    assert response.status_code == 302
    assert Invitation.objects.get().hourly_rate is None


@freeze_time(SUMMER_2026)
def test_adding_a_pa_by_mobile_below_the_living_wage_is_warned_too(client, family, parent):
    client.force_login(parent)
    url = reverse("add_pa", args=[family.pk])
    body = client.post(url, DEE).content.decode()
    assert "£11.50 an hour is below the National Living Wage: £12.71 an hour from 1 April 2026" in body
    assert not PAProfile.objects.filter(user__first_name="Dee").exists()
    assert client.post(url, {**DEE, "rate_checked": "on"}).status_code == 302
    assert PAProfile.objects.get(user__first_name="Dee").hourly_rate == Decimal("11.50")
    assert AuditEvent.objects.filter(action="invitation.rate_below_minimum_confirmed").count() == 1


@freeze_time("2026-03-02 12:00:00")
def test_in_march_a_rate_under_aprils_rise_is_warned_with_the_day_it_rises(client, family, parent):
    client.force_login(parent)
    body = client.post(reverse("invite", args=[family.pk]), {**KIT, "hourly_rate": "12.50"}).content.decode()
    assert "£12.50 an hour will be below the National Living Wage: it rises to £12.71 an hour on 1 April 2026" in body
    assert not Invitation.objects.exists()


def test_the_hook_is_the_setting_and_without_it_care_warns_of_nothing(settings):
    assert settings.CARE_RATE_WARNING == "employment.wages.rate_warning"
    assert rates.rate_warning(Decimal("10.00")) == wages.rate_warning(Decimal("10.00"))
    settings.CARE_RATE_WARNING = ""
    assert rates.rate_warning(Decimal("10.00")) is None


def test_the_warning_reads_the_table_row_in_force_on_the_day():
    assert wages.rate_warning(Decimal("12.00"), datetime.date(2025, 4, 1)) == (
        "£12.00 an hour is below the National Living Wage: £12.21 an hour from 1 April 2025 for workers aged 21 "
        "and over.")
    assert wages.rate_warning(Decimal("12.71"), datetime.date(2025, 6, 1)) is None  # at the next rise already
    assert wages.rate_warning(Decimal("12.71"), datetime.date(2026, 4, 1)) is None
