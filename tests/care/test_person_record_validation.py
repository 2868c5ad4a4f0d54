"""The person record and their budget refuse garbage: impossible dates, invented NHS numbers and
pasted documents get a message beside the field and nothing is saved (issue 15, item 7)."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from care.models import CareRecipient, ClinicianProfile, PersonalHealthBudget
from care.validators import validate_nhs_number
from tests.care.test_caseload import family_form, nothing_saved
from tests.factories import UserFactory


def days(n):
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def refused(client, coordinator, message, **changes):
    client.force_login(coordinator)
    response = client.post(reverse("family_create"), family_form(**changes))
    body = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert message in body, body[body.find("<main"):][:3000]
    assert nothing_saved()


@pytest.mark.parametrize("date_of_birth, message", [
    ("9999-12-31", "A date of birth cannot be in the future"),
    (days(1), "A date of birth cannot be in the future"),
    ("1800-01-01", "more than 120 years ago"),
    ("0001-01-01", "more than 120 years ago"),
])
def test_a_birth_date_in_the_future_or_over_120_years_ago_is_refused(client, coordinator, date_of_birth, message):
    refused(client, coordinator, message, date_of_birth=date_of_birth)


def test_a_birth_date_today_or_119_years_ago_is_accepted(client, coordinator):
    client.force_login(coordinator)
    old = timezone.localdate().replace(year=timezone.localdate().year - 119).isoformat()
    for n, dob in enumerate([days(0), old]):
        response = client.post(reverse("family_create"), family_form(
            date_of_birth=dob, display_name=f"Accepted {n}", nhs_number=["9434765919", "4010232137"][n],
            holder_email=f"holder{n}@example.org"))
        assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("start, end, message", [
    ("1900-01-01", "9999-12-31", "starts within 3 years of today"),
    (days(-30), "9999-12-31", "at most 5 years"),
    (days(0), days(6 * 366), "at most 5 years"),
    ("2999-01-01", "2999-12-31", "starts within 3 years of today"),
])
def test_a_budget_period_of_centuries_or_far_from_today_is_refused(client, coordinator, start, end, message):
    refused(client, coordinator, message, period_start=start, period_end=end)


@pytest.mark.parametrize("number", [str(d) * 10 for d in range(10)])
def test_an_nhs_number_of_one_repeated_digit_is_refused(number):
    # Every one of these passes the modulus-11 check (ten equal digits d weigh 54·d ≡ −d mod 11,
    # so the check digit comes out as d); none is a real number.
    with pytest.raises(ValidationError) as exc:
        validate_nhs_number(number)
    assert exc.value.code == "nhs_repeated"


def test_an_nhs_number_of_zeros_is_refused_when_setting_up_a_family(client, coordinator):
    refused(client, coordinator, "not a real NHS number", nhs_number="000 000 0000")


@pytest.mark.parametrize("field", ["address", "display_name", "holder_first_name", "holder_last_name"])
def test_a_pasted_document_in_a_text_field_is_refused(client, coordinator, field):
    refused(client, coordinator, "Ensure this value has at most", **{field: "x" * 100_000})


def test_the_address_keeps_a_sensible_length(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("family_create"), family_form(address="1 Long Road\n" + "y" * 480))
    assert response.status_code == 302
    assert CareRecipient.objects.get(display_name="Ellis Newfamily").address.startswith("1 Long Road")


def test_the_person_record_refuses_the_same_garbage_when_saved_another_way(db):
    """Services and the admin validate with full_clean: the model's own rules are the same ones."""
    person = CareRecipient(display_name="Z", date_of_birth=datetime.date(9999, 12, 31), nhs_number="0000000000",
                           address="x" * 100_000)
    with pytest.raises(ValidationError) as exc:
        person.full_clean()
    assert {"date_of_birth", "nhs_number", "address"} <= set(exc.value.message_dict)

    budget = PersonalHealthBudget(recipient=CareRecipient(pk=1), management_option="direct_payment",
                                  period_start=datetime.date(1900, 1, 1), period_end=datetime.date(9999, 12, 31),
                                  amount=1)
    with pytest.raises(ValidationError) as exc:
        budget.full_clean(exclude=["recipient"])
    assert "period_start" in exc.value.message_dict or "period_end" in exc.value.message_dict

    clinician = ClinicianProfile(user=UserFactory(), register="nmc", registration_number="12A3456E",
                                 organisation="x" * 100_000)
    with pytest.raises(ValidationError) as exc:
        clinician.full_clean()
    assert "organisation" in exc.value.message_dict


def test_an_existing_budget_can_be_corrected_after_its_period_has_passed(db):
    """The 'within 3 years of today' window is for new periods; an old budget row stays editable."""
    from tests.factories import BudgetFactory

    budget = BudgetFactory(period_start=datetime.date(2019, 4, 1), period_end=datetime.date(2020, 4, 1))
    budget.amount = 1234
    budget.full_clean()
    budget.period_start = datetime.date(1900, 1, 1)
    with pytest.raises(ValidationError):
        budget.full_clean()


@pytest.mark.parametrize("ended_on", ["9999-12-31", "2999-01-01"])
def test_a_last_day_centuries_ahead_is_refused(client, family, parent, pa, ended_on):
    from care.models import Membership, Role

    membership = Membership.objects.get(user=pa, recipient=family, role=Role.PA)
    client.force_login(parent)
    response = client.post(reverse("membership_end", args=[membership.pk]), {"ended_on": ended_on, "reason": "x"})
    assert response.status_code == 200 and "within a year" in response.content.decode()
    membership.refresh_from_db()
    assert membership.ended_on is None
