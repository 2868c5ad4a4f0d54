"""Invitation links are single use, expire after 7 days, can be resent and withdrawn; bad input
and the wrong person get a clear page and nothing is created."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from care.models import Invitation, Membership, Role
from tests.care.conftest import link_in, texts_to
from tests.factories import member

NEW_PASSWORD = "Kettle-Harbour-Ribbon-27"
KIT = "+447700900555"


@pytest.fixture
def link(client, committed, family, parent):
    """The link texted to Kit, invited by the parent as a carer."""
    client.force_login(parent)
    with committed():
        response = client.post(reverse("invite", args=[family.pk]), {"first_name": "Kit", "last_name": "Carer",
                                                                     "role": "carer", "mobile": "07700 900555"})
    assert response.status_code == 302
    client.logout()
    [text] = texts_to(KIT)
    return link_in(text)


def sign_up(client, link, username="kit"):
    return client.post(link, {"username": username, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def test_a_link_works_for_seven_days_and_then_says_it_expired(client, link, parent):
    invitation = Invitation.objects.get(mobile=KIT)
    with freeze_time(invitation.created_at + datetime.timedelta(days=6, hours=23)):
        assert client.get(link).status_code == 200
    with freeze_time(invitation.created_at + datetime.timedelta(days=7, seconds=1)):
        page = client.get(link)
        assert page.status_code == 410
        body = page.content.decode()
        assert "has expired" in body and f"ask {parent.get_full_name()} to send you a new link" in body
        assert sign_up(client, link).status_code == 410
    assert not get_user_model().objects.filter(username="kit").exists()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


def test_a_used_link_says_so_and_makes_nobody_twice(client, link, family):
    assert sign_up(client, link).status_code == 302
    client.logout()
    page = client.get(link)
    assert page.status_code == 410 and "already been used" in page.content.decode()
    assert sign_up(client, link, username="kit-again").status_code == 410
    assert Membership.objects.filter(recipient=family, user__username="kit").count() == 1
    assert not get_user_model().objects.filter(username="kit-again").exists()


def test_a_withdrawn_link_says_so(client, link, family, parent):
    invitation = Invitation.objects.get(mobile=KIT)
    client.force_login(parent)
    assert client.post(reverse("invitation_revoke", args=[invitation.pk])).status_code == 302
    client.logout()
    page = client.get(link)
    assert page.status_code == 410 and "was withdrawn" in page.content.decode()
    assert sign_up(client, link).status_code == 410
    assert not get_user_model().objects.filter(username="kit").exists()


def test_resending_gives_a_new_link_and_kills_the_old_one(client, committed, link, parent):
    invitation = Invitation.objects.get(mobile=KIT)
    client.force_login(parent)
    with committed():
        assert client.post(reverse("invitation_resend", args=[invitation.pk])).status_code == 302
    client.logout()
    first, second = texts_to(KIT)
    assert link_in(first) == link
    assert client.get(link).status_code == 404
    assert client.get(link_in(second)).status_code == 200
    assert sign_up(client, link_in(second)).status_code == 302


def test_resending_an_expired_invitation_gives_seven_more_days(client, committed, link, parent):
    invitation = Invitation.objects.get(mobile=KIT)
    later = invitation.created_at + datetime.timedelta(days=10)
    with freeze_time(later):
        client.force_login(parent)
        with committed():
            client.post(reverse("invitation_resend", args=[invitation.pk]))
        client.logout()
        new_link = link_in(texts_to(KIT)[-1])
        assert client.get(new_link).status_code == 200
    assert Invitation.objects.get(pk=invitation.pk).expires_at == later + datetime.timedelta(days=7)


def test_a_link_opened_while_logged_in_as_someone_else_asks_to_log_out_first(client, link, family, pa):
    client.force_login(pa)
    page = client.get(link)
    body = page.content.decode()
    assert page.status_code == 403 and "Log out first" in body
    assert family.display_name not in body and "Kit" not in body
    assert sign_up(client, link).status_code == 403
    assert not get_user_model().objects.filter(username="kit").exists()
    # The refusal was about who is logged in: logged out, the same link works.
    client.logout()
    assert client.get(link).status_code == 200


def test_a_guessed_link_is_404_and_creates_nothing(client, link, pa):
    assert client.get("/join/not-a-real-token/").status_code == 404
    assert client.post("/join/not-a-real-token/", {"username": "guess", "password1": NEW_PASSWORD,
                                                   "password2": NEW_PASSWORD}).status_code == 404
    client.force_login(pa)
    assert client.get("/join/not-a-real-token/").status_code == 404
    assert not get_user_model().objects.filter(username="guess").exists()


def test_the_database_holds_no_working_link(link):
    token = link.strip("/").split("/")[-1]
    invitation = Invitation.objects.get(mobile=KIT)
    assert token not in invitation.token_hash and invitation.token_hash == Invitation.hash_token(token)
    assert len(token) >= 22  # 128 random bits


def test_inviting_a_number_already_in_the_circle_names_who_has_it(client, family, parent, pa):
    client.force_login(parent)
    response = client.post(reverse("invite", args=[family.pk]), {"first_name": "Someone", "role": "carer",
                                                                 "mobile": pa.profile.mobile})
    assert response.status_code == 200
    assert f"{pa.get_full_name()} is already in this circle (Personal assistant)" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_a_number_already_invited_points_to_resend(client, link, family, parent):
    client.force_login(parent)
    response = client.post(reverse("invite", args=[family.pk]), {"first_name": "Kit", "role": "pa",
                                                                 "mobile": "+447700900555", "hourly_rate": "13",
                                                                 "sleep_in_rate": "80"})
    assert response.status_code == 200 and "Kit Carer was already invited" in response.content.decode()
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize("mobile, message", [
    ("call me maybe", "Enter a mobile number"),
    ("0113 496 0000", "texts cannot reach a landline"),
    ("07700", "not a valid phone number"),
])
def test_unparseable_numbers_are_form_errors_and_nothing_is_saved(client, family, parent, mobile, message):
    client.force_login(parent)
    response = client.post(reverse("invite", args=[family.pk]), {"first_name": "Kit", "role": "carer",
                                                                 "mobile": mobile})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("register, number, message", [
    ("nmc", "1234567", "An NMC PIN looks like 12A3456E"),
    ("hcpc", "123456", "An HCPC number looks like PA123456"),
    ("gmc", "GMC12", "A GMC number has 7 digits"),
    ("", "12A3456E", "Choose the clinician"),
])
def test_bad_register_numbers_are_form_errors_and_nothing_is_saved(client, family, parent, register, number, message):
    client.force_login(parent)
    response = client.post(reverse("invite", args=[family.pk]), {
        "first_name": "Morgan", "role": "clinician", "email": "m@example.org", "register": register,
        "registration_number": number, "organisation": "Trust"})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_clinician_needs_an_organisation(client, family, parent):
    client.force_login(parent)
    response = client.post(reverse("invite", args=[family.pk]), {
        "first_name": "Morgan", "role": "clinician", "email": "m@example.org", "register": "gmc",
        "registration_number": "1234567", "organisation": " "})
    assert response.status_code == 200 and "Give the clinician&#x27;s organisation" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_number_that_asked_for_no_texts_is_refused_unless_an_email_is_given(client, committed, family, parent):
    from notifications.services import opt_out

    opt_out(number="+447700900555", reason="replied_stop")
    client.force_login(parent)
    data = {"first_name": "Kit", "role": "carer", "mobile": "07700900555"}
    response = client.post(reverse("invite", args=[family.pk]), data)
    assert response.status_code == 200 and "Invite them by email instead" in response.content.decode()
    assert not Invitation.objects.exists()
    with committed():
        response = client.post(reverse("invite", args=[family.pk]), {**data, "email": "kit@example.org"})
    assert response.status_code == 302 and texts_to(KIT) == []
    from tests.care.conftest import emails_to

    assert len(emails_to("kit@example.org")) == 1


def test_an_invitation_needs_a_mobile_or_an_email(client, family, parent):
    client.force_login(parent)
    response = client.post(reverse("invite", args=[family.pk]), {"first_name": "Kit", "role": "carer"})
    assert response.status_code == 200 and "Give a mobile number or an email address" in response.content.decode()
    assert not Invitation.objects.exists()


def test_only_a_coordinator_invites_a_budget_holder(client, family, parent, coordinator):
    data = {"first_name": "Second", "role": "budget_holder", "mobile": "07700900556"}
    client.force_login(parent)
    response = client.post(reverse("invite", args=[family.pk]), data)
    assert response.status_code == 200 and not Invitation.objects.exists()
    client.force_login(coordinator)
    assert client.post(reverse("invite", args=[family.pk]), data).status_code == 302
    assert Invitation.objects.get().role == Role.BUDGET_HOLDER


def test_inviting_is_404_outside_the_circle_and_403_without_the_right(client, family, parent, pa, other_parent):
    url = reverse("invite", args=[family.pk])
    data = {"first_name": "Kit", "role": "carer", "mobile": "07700900555"}
    client.force_login(other_parent)
    assert client.post(url, data).status_code == 404
    client.force_login(pa)
    assert client.post(url, data).status_code == 403
    assert not Invitation.objects.exists()
    client.force_login(parent)
    assert client.post(url, data).status_code == 302


@pytest.mark.parametrize("name", ["invitation_resend", "invitation_revoke"])
def test_managing_an_invitation_checks_circle_right_and_method(client, link, family, parent, pa, other_parent, name):
    invitation = Invitation.objects.get(mobile=KIT)
    url = reverse(name, args=[invitation.pk])
    client.force_login(other_parent)
    assert client.post(url).status_code == 404
    client.force_login(pa)
    assert client.post(url).status_code == 403
    client.force_login(parent)
    assert client.get(url).status_code == 405
    assert Invitation.objects.get(pk=invitation.pk).sent_count == 1
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING
    assert client.post(url).status_code == 302


def test_sending_withdrawing_and_accepting_are_audited_with_who(client, committed, link, family, parent):
    from care.models import AuditEvent

    sign_up(client, link)
    client.force_login(parent)
    with committed():
        client.post(reverse("invite", args=[family.pk]), {"first_name": "Lou", "role": "carer",
                                                          "mobile": "07700900557"})
    client.post(reverse("invitation_revoke", args=[Invitation.objects.get(first_name="Lou").pk]))
    audit = set(AuditEvent.objects.filter(recipient=family).values_list("actor__username", "action"))
    assert {(parent.username, "invitation.sent"), ("kit", "membership.added"), ("kit", "invitation.accepted"),
            (parent.username, "invitation.revoked")} <= audit


def test_a_clinician_with_an_account_from_another_family_keeps_one_login(client, committed, family, parent,
                                                                         other_family):
    nurse = member(other_family, Role.CLINICIAN, username="shared-nurse", email="shared.nurse@example.org")
    client.force_login(parent)
    with committed():
        client.post(reverse("invite", args=[family.pk]), {"first_name": "Shared", "role": "clinician",
                                                          "email": "Shared.Nurse@example.org", "register": "nmc",
                                                          "registration_number": "12A3456E",
                                                          "organisation": "Trust"})
    from tests.care.conftest import emails_to

    link = link_in(emails_to("shared.nurse@example.org")[0].body)
    client.force_login(nurse)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    assert Membership.objects.active().filter(user=nurse).count() == 2
    assert Invitation.objects.get().accepted_by == nurse
    assert timezone.now() - Invitation.objects.get().accepted_at < datetime.timedelta(minutes=1)
