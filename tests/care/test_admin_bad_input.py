import pytest

from care.models import CareRecipient, Membership, PersonalHealthBudget, Profile
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_invalid_nhs_number_is_a_form_error_and_nothing_is_saved(admin_client):
    response = admin_client.post(
        "/admin/care/carerecipient/add/",
        {"display_name": "X", "date_of_birth": "2010-01-01", "nhs_number": "9434765918", "address": "",
         "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert "check digit does not match" in response.content.decode()
    assert not CareRecipient.objects.exists()


def test_unparseable_mobile_is_a_form_error_and_nothing_is_saved(admin_client):
    user = UserFactory()
    response = admin_client.post("/admin/care/profile/add/", {"user": user.pk, "mobile": "call me maybe"})
    assert response.status_code == 200
    assert "Enter a mobile number" in response.content.decode()
    assert not Profile.objects.exists()


def test_budget_ending_before_it_starts_is_a_form_error(admin_client, family):
    response = admin_client.post(
        "/admin/care/personalhealthbudget/add/",
        {"recipient": family.pk, "management_option": "direct_payment", "period_start": "2026-04-01",
         "period_end": "2026-03-01", "amount": "100", "contingency": "0"},
    )
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()
    assert not PersonalHealthBudget.objects.exists()


def test_membership_ending_before_it_starts_is_a_form_error(admin_client, family):
    user = UserFactory()
    response = admin_client.post(
        "/admin/care/membership/add/",
        {"recipient": family.pk, "user": user.pk, "role": "pa", "started_on": "2026-04-01",
         "ended_on": "2026-03-01", "end_reason": ""},
    )
    assert response.status_code == 200
    assert "cannot be before the start date" in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()
