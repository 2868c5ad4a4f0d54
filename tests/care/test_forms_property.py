"""Every form in care, posted by its rightful user with hostile input (tests/hostile.py): the page
never fails (no 500: the test client re-raises any exception a view lets escape) and nothing
invalid reaches the database. Care has no separate person-record, budget or profile form: the
person and the budget are typed on the set-up page, profiles come from invitations and adding a PA.
Accepting an invitation with an existing account posts no fields, so its only form is the sign-up."""
import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from care.models import (
    CareRecipient,
    ClinicianProfile,
    Invitation,
    Membership,
    PAProfile,
    PersonalHealthBudget,
    Profile,
    Role,
)
from tests.care.test_caseload import family_form
from tests.hostile import FORM_PROPERTY, assert_no_invalid_rows, hostile_form_data

EVERY_CARE_ROW = (CareRecipient, PersonalHealthBudget, Invitation, Membership, Profile, PAProfile, ClinicianProfile,
                  get_user_model())
FAMILY = family_form(holder_mobile="07700 900777")
INVITE = {"first_name": "Kit", "last_name": "Ash", "role": "carer", "mobile": "07700 900778",
          "email": "kit@example.org", "register": "nmc", "registration_number": "12A3456E",
          "organisation": "Community Nursing", "hourly_rate": "13.50", "sleep_in_rate": "95"}
ADD_PA = {"first_name": "Dee", "last_name": "Oak", "mobile": "07700 900601", "sms_consent": "on",
          "hourly_rate": "14.25", "sleep_in_rate": "100"}
ACCOUNT = {"username": "kit-new", "password1": "Kettle-Harbour-Ribbon-27", "password2": "Kettle-Harbour-Ribbon-27",
           "sms_consent": "on"}


def answered(response):
    assert response.status_code < 500, response.status_code
    return response


def test_setting_up_a_family_survives_hostile_input(client, coordinator):
    client.force_login(coordinator)

    @FORM_PROPERTY
    @given(data=hostile_form_data(list(FAMILY), valid=FAMILY))
    def post(data):
        answered(client.post(reverse("family_create"), data))
        assert_no_invalid_rows(*EVERY_CARE_ROW)

    post()


def test_inviting_survives_hostile_input(client, family, parent, coordinator):
    client.force_login(coordinator)  # the coordinator may invite into every role, the budget holder too

    @FORM_PROPERTY
    @given(data=hostile_form_data(list(INVITE), valid=INVITE),
           role=st.sampled_from(["carer", "pa", "clinician", "budget_holder", "ward_manager", "coordinator"]))
    def post(data, role):
        answered(client.post(reverse("invite", args=[family.pk]), {**data, "role": data["role"] and role}))
        assert_no_invalid_rows(*EVERY_CARE_ROW)

    post()


def test_adding_a_pa_by_mobile_survives_hostile_input(client, family, parent):
    client.force_login(parent)

    @FORM_PROPERTY
    @given(data=hostile_form_data(list(ADD_PA), valid=ADD_PA))
    def post(data):
        answered(client.post(reverse("add_pa", args=[family.pk]), data))
        assert_no_invalid_rows(*EVERY_CARE_ROW)

    post()


def test_ending_a_place_survives_hostile_input(client, family, parent, pa):
    client.force_login(parent)
    url = reverse("membership_end", args=[Membership.objects.get(user=pa, recipient=family, role=Role.PA).pk])
    valid = {"ended_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(), "reason": "Contract ends"}

    @FORM_PROPERTY
    @given(data=hostile_form_data(list(valid), valid=valid))
    def post(data):
        answered(client.post(url, data))
        assert_no_invalid_rows(*EVERY_CARE_ROW)
        ended_on = Membership.objects.get(user=pa, recipient=family, role=Role.PA).ended_on
        assert ended_on is None or ended_on <= timezone.localdate() + datetime.timedelta(days=366)

    post()


def test_signing_up_from_an_invitation_survives_hostile_input(client, family, parent):
    made = iter(range(10_000))

    @FORM_PROPERTY
    @given(data=hostile_form_data(list(ACCOUNT), valid=ACCOUNT))
    def post(data):
        client.logout()
        n = next(made)
        invitation = Invitation(recipient=family, role=Role.CARER, first_name="Kit", mobile=f"+4477009007{n % 100:02d}",
                                expires_at=timezone.now() + datetime.timedelta(days=7), created_by=parent)
        token = invitation.new_token()
        Invitation.objects.filter(recipient=family, mobile=invitation.mobile, status="pending").update(
            status="revoked", revoked_at=timezone.now())
        invitation.save()
        answered(client.post(reverse("join", args=[token]), data))
        assert_no_invalid_rows(*EVERY_CARE_ROW)

    post()
