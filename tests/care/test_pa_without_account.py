"""A PA reached only by text is a full member; a login can be added later to the same user; a PA
who already works for another family joins with the account they have."""
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse

from care.models import AuditEvent, Invitation, Membership, PAProfile, Role
from care.permissions import can
from tests.care.conftest import link_in, texts_to
from tests.factories import PASSWORD

NEW_PASSWORD = "Kettle-Harbour-Ribbon-27"
DEE = {"first_name": "Dee", "last_name": "Oak", "mobile": "07700 900601", "sms_consent": "on",
       "hourly_rate": "14.25", "sleep_in_rate": "100"}


def test_a_pa_added_by_mobile_is_a_full_member_without_a_login(client, family, parent):
    client.force_login(parent)
    response = client.post(reverse("add_pa", args=[family.pk]), DEE)
    assert response.status_code == 302
    dee = get_user_model().objects.get(first_name="Dee", last_name="Oak")
    assert not dee.has_usable_password()
    assert (dee.profile.mobile, dee.profile.sms_consent) == ("+447700900601", True)
    assert (dee.pa_profile.hourly_rate, dee.pa_profile.sleep_in_rate) == (Decimal("14.25"), Decimal("100"))
    assert Membership.objects.active().get(user=dee, recipient=family).role == Role.PA
    assert can(dee, "work_shifts", family)  # rota offers and SMS replies go through this right
    assert AuditEvent.objects.filter(actor=parent, recipient=family, action="membership.added_by_mobile").exists()
    body = client.get(reverse("circle", args=[family.pk])).content.decode()
    assert "Dee Oak" in body and "texts only, no login yet" in body


def test_without_sms_consent_nothing_is_saved(client, family, parent):
    client.force_login(parent)
    response = client.post(reverse("add_pa", args=[family.pk]), {**DEE, "sms_consent": ""})
    assert response.status_code == 200 and "without it we cannot text them" in response.content.decode()
    assert not get_user_model().objects.filter(first_name="Dee").exists()


def test_a_number_already_in_the_circle_is_refused_with_the_member_named(client, family, parent, pa):
    client.force_login(parent)
    response = client.post(reverse("add_pa", args=[family.pk]), {**DEE, "mobile": pa.profile.mobile})
    assert response.status_code == 200
    assert f"{pa.get_full_name()} is already in this circle" in response.content.decode()
    assert not get_user_model().objects.filter(first_name="Dee").exists()


def test_adding_a_pa_is_404_outside_the_circle_and_403_for_a_pa(client, family, parent, pa, other_parent):
    url = reverse("add_pa", args=[family.pk])
    client.force_login(other_parent)
    assert client.post(url, DEE).status_code == 404
    client.force_login(pa)
    assert client.post(url, DEE).status_code == 403
    assert not get_user_model().objects.filter(first_name="Dee").exists()


def test_a_login_added_later_belongs_to_the_same_user(client, committed, family, parent):
    client.force_login(parent)
    client.post(reverse("add_pa", args=[family.pk]), DEE)
    dee = get_user_model().objects.get(first_name="Dee")
    membership = Membership.objects.get(user=dee, recipient=family)
    with committed():
        response = client.post(reverse("membership_account_link", args=[membership.pk]))
    assert response.status_code == 302
    [text] = texts_to("+447700900601")
    client.logout()

    page = client.get(link_in(text))
    assert page.status_code == 200 and "Your shifts and texts stay as they are" in page.content.decode()
    response = client.post(link_in(text), {"username": "dee", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    dee.refresh_from_db()
    assert dee.username == "dee" and dee.check_password(NEW_PASSWORD)
    assert Membership.objects.filter(user=dee, recipient=family).count() == 1
    assert get_user_model().objects.filter(first_name="Dee").count() == 1
    assert client.get(reverse("recipient", args=[family.pk])).status_code == 200


def test_a_login_link_is_only_for_members_without_one(client, family, parent, pa):
    client.force_login(parent)
    membership = Membership.objects.get(user=pa, recipient=family)
    client.post(reverse("membership_account_link", args=[membership.pk]))
    assert not Invitation.objects.exists()


def test_a_pa_of_family_two_joins_family_one_with_the_same_account_and_sees_both(
    client, committed, family, parent, other_family, other_pa
):
    client.force_login(parent)
    with committed():
        response = client.post(reverse("invite", args=[family.pk]),
                               {"first_name": other_pa.first_name, "role": "pa", "mobile": other_pa.profile.mobile})
    assert response.status_code == 302  # no rates asked: the PA keeps the ones they have
    [text] = texts_to(other_pa.profile.mobile)
    link = link_in(text)
    client.logout()

    page = client.get(link)
    assert page.status_code == 200 and "Log in to accept" in page.content.decode()
    response = client.post(reverse("login"), {"username": other_pa.username, "password": PASSWORD, "next": link})
    assert response["Location"] == link
    assert "Join as personal assistant" in client.get(link).content.decode()
    assert client.post(link).status_code == 302

    assert get_user_model().objects.filter(profile__mobile=other_pa.profile.mobile).count() == 1
    assert PAProfile.objects.filter(user=other_pa).count() == 1
    home = client.get(reverse("home")).content.decode()
    assert family.display_name in home and other_family.display_name in home
    assert can(other_pa, "work_shifts", family) and can(other_pa, "work_shifts", other_family)


def test_adding_by_mobile_a_pa_who_has_a_login_sends_an_invitation_instead(client, committed, family, parent,
                                                                            other_pa):
    client.force_login(parent)
    with committed():
        response = client.post(reverse("add_pa", args=[family.pk]), {**DEE, "mobile": other_pa.profile.mobile})
    assert response.status_code == 302
    assert not Membership.objects.filter(user=other_pa, recipient=family).exists()
    assert Invitation.objects.get(recipient=family).user == other_pa
    assert len(texts_to(other_pa.profile.mobile)) == 1


def test_a_pa_added_by_mobile_gets_one_welcome_text_saying_who_and_how_to_stop(client, family, parent):
    from notifications.models import Message

    client.force_login(parent)
    client.post(reverse("add_pa", args=[family.pk]), DEE)
    client.post(reverse("add_pa", args=[family.pk]), DEE)  # a second tap is refused as a duplicate
    welcome = Message.objects.filter(to="+447700900601", purpose="welcome-pa")
    assert welcome.count() == 1
    body = welcome.get().body
    assert f"{parent.first_name} added you as a PA" in body and "Reply STOP to stop texts" in body
    assert family.display_name not in body and "Alfie" not in body  # nothing about the person cared for
