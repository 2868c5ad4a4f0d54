"""A coordinator's caseload (search, pages, a flat query count) and setting up a family."""
import pytest
from django.urls import reverse

from care.models import CareRecipient, Invitation, Membership, PersonalHealthBudget, Role
from tests.factories import BudgetFactory, CareRecipientFactory, UserFactory, member, nhs_number


def family_form(**changes):
    data = {
        "display_name": "Ellis Newfamily", "date_of_birth": "2016-02-29", "nhs_number": nhs_number(777),
        "address": "", "kind": "phb", "management_option": "third_party", "continuing_care": "none",
        "period_start": "2026-04-01",
        "period_end": "2027-04-01", "amount": "40000", "contingency": "0",
        "holder_first_name": "Sam", "holder_last_name": "Newfamily", "holder_email": "sam@example.org",
    }
    data.update(changes)
    return data


def nothing_saved():
    return not (CareRecipient.objects.filter(display_name="Ellis Newfamily").exists()
                or PersonalHealthBudget.objects.filter(amount=40000).exists() or Invitation.objects.exists())


def caseload_of(coordinator, n):
    for i in range(n):
        recipient = CareRecipientFactory(display_name=f"Family {i:03d}")
        member(recipient, Role.COORDINATOR, user=coordinator)
        member(recipient, Role.BUDGET_HOLDER)
        BudgetFactory(recipient=recipient, period_start="2025-04-01", period_end="2035-04-01")
        Invitation.objects.create(recipient=recipient, role=Role.CARER, first_name="Kit", mobile=f"+4477009008{i:02d}",
                                  token_hash=f"{i:064d}", expires_at="2099-01-01T00:00Z")


@pytest.mark.parametrize("families", [1, 30])
def test_the_caseload_costs_the_same_queries_for_one_family_and_many(client, db, families, django_assert_max_num_queries):
    coordinator = UserFactory(username="coord")
    caseload_of(coordinator, families)
    client.force_login(coordinator)
    # session, user, the may-create check, guardian's content type (cached after the first
    # request), the caseload's ids and names, one query for each of the seven sources of attention
    # (tests/care/test_caseload_attention.py; the seventh reads stored budget forecasts), the page,
    # its budget holders, its current budgets: 15 whatever the size
    with django_assert_max_num_queries(15):
        response = client.get(reverse("caseload"))
    body = response.content.decode()
    assert response.status_code == 200 and "Family 000" in body and "1 invitation waiting" in body
    assert ("Page 1 of 2" in body) == (families > 25)


def test_the_caseload_searches_by_name_and_nhs_number(client, coordinator, family):
    caseload_of(coordinator, 3)
    client.force_login(coordinator)
    body = client.get(reverse("caseload"), {"q": "family 001"}).content.decode()
    assert "Family 001" in body and "Family 002" not in body
    spaced = f"{family.nhs_number[:3]} {family.nhs_number[3:6]} {family.nhs_number[6:]}"
    body = client.get(reverse("caseload"), {"q": spaced}).content.decode()
    assert family.display_name in body and "Family 001" not in body


def test_the_caseload_shows_only_families_this_coordinator_coordinates(client, coordinator, family, other_family):
    member(other_family, Role.COORDINATOR, username="other-coord")
    client.force_login(coordinator)
    body = client.get(reverse("caseload")).content.decode()
    assert family.display_name in body and other_family.display_name not in body


def test_the_caseload_and_setting_up_are_for_coordinators_and_staff(client, parent, pa):
    for user in (parent, pa):
        client.force_login(user)
        assert client.get(reverse("caseload")).status_code == 403
        assert client.post(reverse("family_create"), family_form()).status_code == 403
    assert nothing_saved()
    client.force_login(UserFactory(username="staff", is_staff=True))
    assert client.get(reverse("caseload")).status_code == 200


def test_staff_who_set_up_a_family_become_its_coordinator(client, db):
    staff = UserFactory(username="staff", is_staff=True)
    client.force_login(staff)
    assert client.post(reverse("family_create"), family_form()).status_code == 302
    recipient = CareRecipient.objects.get(display_name="Ellis Newfamily")
    assert Membership.objects.active().get(recipient=recipient, user=staff).role == Role.COORDINATOR
    assert recipient.budgets.get().management_option == "third_party"
    assert Invitation.objects.get(recipient=recipient).role == Role.BUDGET_HOLDER
    assert "Ellis Newfamily" in client.get(reverse("caseload")).content.decode()


@pytest.mark.parametrize("changes, message", [
    ({"nhs_number": "943 476 5918"}, "check digit does not match"),
    ({"nhs_number": "12345"}, "An NHS number has 10 digits"),
    ({"period_end": "2026-03-01"}, "must end after it starts"),
    ({"amount": "-5"}, "greater than or equal to 0"),
    ({"holder_email": "", "holder_mobile": ""}, "Give a mobile number or an email address"),
    ({"holder_email": "", "holder_mobile": "0113 496 0000"}, "texts cannot reach a landline"),
])
def test_bad_input_when_setting_up_is_a_form_error_and_nothing_is_saved(client, coordinator, changes, message):
    client.force_login(coordinator)
    response = client.post(reverse("family_create"), family_form(**changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert nothing_saved()


def test_a_person_already_registered_is_refused_and_nothing_is_saved(client, coordinator, other_family):
    client.force_login(coordinator)
    response = client.post(reverse("family_create"), family_form(nhs_number=other_family.nhs_number))
    assert response.status_code == 200 and "already registered" in response.content.decode()
    assert nothing_saved()
