"""Ending a membership from the circle page: access ends at once, the person is told once,
listeners hear of it through care.signals.membership_ended."""
import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from care.models import AuditEvent, Membership, Role
from care.signals import membership_ended
from notifications.sms import CLINICAL_WORDS
from tests.care.conftest import emails_to, texts_to


@pytest.fixture
def heard():
    """What the membership_ended signal told its listeners (rota, competencies hook in here)."""
    calls = []

    def listener(sender, membership, actor, **kwargs):
        calls.append((membership.pk, actor.pk if actor else None))

    membership_ended.connect(listener)
    yield calls
    membership_ended.disconnect(listener)


def end_url(user, family, role):
    return reverse("membership_end", args=[Membership.objects.get(user=user, recipient=family, role=role).pk])


def test_ending_a_membership_removes_access_on_the_next_request_and_sends_one_text(
    client, committed, family, parent, pa, heard
):
    client.force_login(pa)
    assert client.get(reverse("recipient", args=[family.pk])).status_code == 200

    manager = Client()
    manager.force_login(parent)
    with committed():
        response = manager.post(end_url(pa, family, Role.PA),
                                {"ended_on": timezone.localdate().isoformat(), "reason": "Moved away"})
    assert response.status_code == 302

    # The PA's very next request is refused, and the circle is gone from their home page.
    assert client.get(reverse("recipient", args=[family.pk])).status_code == 404
    assert family.display_name not in client.get(reverse("home")).content.decode()

    [text] = texts_to(pa.profile.mobile)
    assert "ends today" in text and family.display_name not in text and not CLINICAL_WORDS.search(text)
    [email] = emails_to(pa.email)
    assert "Moved away" in email.body
    membership = Membership.objects.get(user=pa, recipient=family, role=Role.PA)
    assert heard == [(membership.pk, parent.pk)]
    assert AuditEvent.objects.filter(actor=parent, recipient=family, action="membership.ended").count() == 1

    # Ending it again changes nothing and sends nothing more.
    with committed():
        response = manager.post(end_url(pa, family, Role.PA),
                                {"ended_on": timezone.localdate().isoformat(), "reason": "Again"})
    assert response.status_code == 200 and "already ended" in response.content.decode()
    assert len(texts_to(pa.profile.mobile)) == 1 and len(heard) == 1


def test_a_later_last_day_keeps_access_until_then_and_says_when(client, committed, family, parent, pa, heard):
    last_day = timezone.localdate() + datetime.timedelta(days=14)
    client.force_login(parent)
    with committed():
        client.post(end_url(pa, family, Role.PA), {"ended_on": last_day.isoformat(), "reason": "Contract ends"})
    [text] = texts_to(pa.profile.mobile)
    assert f"ends on {last_day.day} {last_day:%b %Y}" in text
    assert heard == []  # listeners hear when access actually ends (end_due_memberships)
    assert f"leaves on {last_day.day} {last_day:%b %Y}" in client.get(reverse("circle", args=[family.pk])).content.decode()
    client.force_login(pa)
    assert client.get(reverse("recipient", args=[family.pk])).status_code == 200


def test_a_reason_is_required_and_nothing_changes_without_one(client, family, parent, pa):
    client.force_login(parent)
    response = client.post(end_url(pa, family, Role.PA), {"ended_on": timezone.localdate().isoformat(), "reason": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert Membership.objects.get(user=pa, recipient=family, role=Role.PA).ended_on is None
    assert texts_to(pa.profile.mobile) == []


def test_a_last_day_before_they_started_is_a_form_error(client, family, parent, pa):
    client.force_login(parent)
    response = client.post(end_url(pa, family, Role.PA), {"ended_on": "2024-12-31", "reason": "Oops"})
    assert response.status_code == 200 and "cannot be before the start date" in response.content.decode()
    assert Membership.objects.get(user=pa, recipient=family, role=Role.PA).ended_on is None


def test_ending_is_404_outside_the_circle_403_without_the_right(client, family, parent, pa, carer, other_parent):
    url = end_url(carer, family, Role.CARER)
    data = {"ended_on": timezone.localdate().isoformat(), "reason": "Test"}
    client.force_login(other_parent)
    assert client.get(url).status_code == 404 and client.post(url, data).status_code == 404
    client.force_login(pa)
    assert client.get(url).status_code == 403 and client.post(url, data).status_code == 403
    assert Membership.objects.get(user=carer, recipient=family, role=Role.CARER).ended_on is None
    client.force_login(parent)
    assert client.post(url, data).status_code == 302
    assert Membership.objects.get(user=carer, recipient=family, role=Role.CARER).ended_on is not None


def test_only_the_coordinator_ends_the_budget_holders_place(client, family, parent, coordinator):
    url = end_url(parent, family, Role.BUDGET_HOLDER)
    data = {"ended_on": timezone.localdate().isoformat(), "reason": "New budget holder"}
    client.force_login(parent)
    assert client.post(url, data).status_code == 403
    client.force_login(coordinator)
    assert client.post(url, data).status_code == 302
    assert not parent.has_perm("care.manage_circle", family)


def test_the_circle_page_lists_who_left_when_and_why(client, committed, family, parent, pa):
    client.force_login(parent)
    with committed():
        client.post(end_url(pa, family, Role.PA), {"ended_on": timezone.localdate().isoformat(),
                                                   "reason": "Moved away"})
    body = client.get(reverse("circle", args=[family.pk])).content.decode()
    left = body.split("Left the circle")[1]
    assert pa.get_full_name() in left and "Moved away" in left
