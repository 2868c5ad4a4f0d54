"""The whole path through the pages: a coordinator sets up a family and invites the parent; the
parent accepts by link and invites a PA by text and a nurse by email; both accept; the nurse
then sees that person and nobody else."""
from django.contrib.auth import get_user_model
from django.urls import reverse

from care.models import AuditEvent, CareRecipient, Invitation, Membership, Role
from care.permissions import can, recipients_for
from notifications.sms import CLINICAL_WORDS
from tests.care.conftest import emails_to, link_in, texts_to
from tests.factories import CareRecipientFactory, member, nhs_number

NEW_PASSWORD = "Kettle-Harbour-Ribbon-27"


def sign_up(client, committed, link, username, **extra):
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "Choose a username" in page.content.decode()
    with committed():
        response = client.post(link, {"username": username, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                                      **extra})
    assert response.status_code == 302, response.content.decode()
    return get_user_model().objects.get(username=username)


def test_from_a_new_family_to_a_nurse_who_sees_only_that_person(client, committed, other_family, other_parent):
    coordinator = member(CareRecipientFactory(), Role.COORDINATOR, username="coord", first_name="Robin")
    number = nhs_number(4242)
    client.force_login(coordinator)

    # The coordinator sets up the family and invites the parent by text.
    with committed():
        response = client.post(reverse("family_create"), {
            "display_name": "Ellis Newfamily", "date_of_birth": "2016-02-29",
            "nhs_number": f"{number[:3]} {number[3:6]} {number[6:]}", "address": "3 New Road",
            "kind": "phb", "management_option": "direct_payment", "continuing_care": "none",
            "period_start": "2026-04-01", "period_end": "2027-04-01",
            "amount": "52000.00", "contingency": "1500.00",
            "holder_first_name": "Sam", "holder_last_name": "Newfamily", "holder_mobile": "07700 900501",
        })
    recipient = CareRecipient.objects.get(nhs_number=number)
    assert response.status_code == 302 and response["Location"] == reverse("circle", args=[recipient.pk])
    assert recipient.budgets.get().amount == 52000
    assert can(coordinator, "coordinate", recipient)
    [text] = texts_to("+447700900501")
    assert "Robin" in text and recipient.display_name not in text and not CLINICAL_WORDS.search(text)

    # The parent accepts by the link in the text and is budget holder at once.
    parent = sign_up(client, committed, link_in(text), "sam", sms_consent="on")
    assert parent.profile.mobile == "+447700900501" and parent.profile.sms_consent
    assert can(parent, "manage_circle", recipient) and can(parent, "view_budget", recipient)
    assert client.get(reverse("recipient", args=[recipient.pk])).status_code == 200

    # The parent invites a PA by text and a nurse by email.
    invite = reverse("invite", args=[recipient.pk])
    with committed():
        response = client.post(invite, {"first_name": "Jo", "last_name": "Ash", "role": "pa",
                                        "mobile": "+44 7700 900502", "hourly_rate": "13.50", "sleep_in_rate": "95"})
    assert response.status_code == 302
    with committed():
        response = client.post(invite, {"first_name": "Morgan", "last_name": "Nurse", "role": "clinician",
                                        "email": "Morgan.Nurse@example.org", "register": "nmc",
                                        "registration_number": "12a 3456 e", "organisation": "Community Nursing"})
    assert response.status_code == 302
    [pa_text] = texts_to("+447700900502")
    [nurse_email] = emails_to("morgan.nurse@example.org")
    assert recipient.display_name in nurse_email.body  # email may name the person; texts never do

    pa = sign_up(client, committed, link_in(pa_text), "jo-ash", sms_consent="on")
    assert can(pa, "work_shifts", recipient)
    assert pa.pa_profile.hourly_rate == 13.5

    nurse = sign_up(client, committed, link_in(nurse_email.body), "morgan")
    assert nurse.email == "morgan.nurse@example.org"
    assert (nurse.clinician_profile.register, nurse.clinician_profile.registration_number) == ("nmc", "12A3456E")

    # The nurse, now logged in, sees that person and only that person.
    assert list(recipients_for(nurse)) == [recipient]
    assert client.get(reverse("recipient", args=[recipient.pk])).status_code == 200
    assert client.get(reverse("recipient", args=[other_family.pk])).status_code == 404
    home = client.get(reverse("home")).content.decode()
    assert recipient.display_name in home and other_family.display_name not in home

    # Everyone is in the circle in their role, each link is spent, and every step left an audit row.
    roles = set(Membership.objects.active().filter(recipient=recipient).values_list("user__username", "role"))
    assert roles == {("coord", Role.COORDINATOR), ("sam", Role.BUDGET_HOLDER), ("jo-ash", Role.PA),
                     ("morgan", Role.CLINICIAN)}
    assert set(Invitation.objects.filter(recipient=recipient).values_list("status", flat=True)) == {"accepted"}
    audit = list(AuditEvent.objects.filter(recipient=recipient).values_list("actor__username", "action"))
    assert ("coord", "family.created") in audit
    assert ("coord", "invitation.sent") in audit and ("sam", "invitation.sent") in audit
    assert {("sam", "invitation.accepted"), ("jo-ash", "invitation.accepted"), ("morgan", "invitation.accepted")} \
        <= set(audit)


def test_the_circle_page_shows_members_and_invitations_with_their_state(client, committed, family, parent, pa):
    client.force_login(parent)
    with committed():
        client.post(reverse("invite", args=[family.pk]), {"first_name": "Kit", "role": "carer",
                                                          "mobile": "07700900555"})
    body = client.get(reverse("circle", args=[family.pk])).content.decode()
    assert pa.get_full_name() in body and "Personal assistant" in body and "since 1 Jan 2025" in body
    assert "Kit" in body and "Waiting for an answer" in body and "Withdraw" in body

    # A PA sees who is in the circle but not the invitations or the buttons that change it.
    client.force_login(pa)
    body = client.get(reverse("circle", args=[family.pk])).content.decode()
    assert parent.get_full_name() in body
    assert "Kit" not in body and "Invite someone" not in body


def test_the_circle_page_is_404_outside_the_circle(client, family, parent, other_parent):
    client.force_login(other_parent)
    assert client.get(reverse("circle", args=[family.pk])).status_code == 404
    client.force_login(parent)
    assert client.get(reverse("circle", args=[family.pk])).status_code == 200


def test_the_circle_page_costs_the_same_queries_for_a_small_and_a_large_circle(
    client, family, parent, django_assert_max_num_queries
):
    from tests.factories import ProfileFactory

    client.force_login(parent)
    # session, user, the person, view check (user + group perms), held rights (2), members,
    # invitations, ended members
    with django_assert_max_num_queries(10):
        assert client.get(reverse("circle", args=[family.pk])).status_code == 200
    for i in range(15):
        user = member(family, Role.CARER if i % 2 else Role.CLINICIAN)
        ProfileFactory(user=user)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("circle", args=[family.pk])).status_code == 200
