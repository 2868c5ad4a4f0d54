"""A clinician of the person suspends, reinstates or revokes a competency at once, with a reason;
the PA and the budget holder are told by text (no task name) and on their home page."""
import pytest
from django.urls import reverse

from competencies.models import Competency, CompetencyEvent, Status
from competencies.signals import competency_lapsed
from notifications.backends import locmem
from tests.factories import ProfileFactory, log_in_with_second_factor

from .factories import catalogue, earn_sign_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def competency(family, parent, nurse, pa):
    return earn_sign_off(pa=pa, recipient=family, task=catalogue("tracheostomy-suction"), clinician=nurse)


@pytest.fixture(autouse=True)
def _empty_outbox():
    locmem.clear()


def post(client, user, name, competency, reason="Observed unsafe suction depth"):
    log_in_with_second_factor(client, user)
    return client.post(reverse(f"competencies:{name}", args=[competency.pk]), {"reason": reason, "confirm": "yes"})


def test_nurse_revokes_and_the_pa_and_budget_holder_are_told_without_clinical_words(
    client, competency, nurse, pa, parent, django_capture_on_commit_callbacks
):
    ProfileFactory(user=parent)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, nurse, "revoke", competency)
    assert response.status_code == 302
    competency.refresh_from_db()
    assert competency.status == Status.REVOKED
    event = competency.events.get(status=Status.REVOKED)
    assert (event.actor, event.reason) == (nurse, "Observed unsafe suction depth")

    texts = {t.to: t.body for t in locmem.outbox}
    assert set(texts) == {pa.profile.mobile, parent.profile.mobile}
    for body in texts.values():
        assert f"C{competency.pk}" in body and "revoked" in body
        assert "suction" not in body.lower() and "tracheostomy" not in body.lower()

    client.force_login(parent)
    assert "is revoked" in client.get(reverse("home")).content.decode()


def test_suspension_keeps_who_when_and_why_and_lapses_the_gate(client, competency, nurse):
    received = []
    competency_lapsed.connect(lambda **kw: received.append(kw["reason"]), weak=False, dispatch_uid="t-suspend")
    try:
        assert post(client, nurse, "suspend", competency, reason="Awaiting retraining").status_code == 302
    finally:
        competency_lapsed.disconnect(dispatch_uid="t-suspend")
    competency.refresh_from_db()
    assert competency.status == Status.SUSPENDED and received == ["suspended"]
    assert not Competency.objects.valid_for(competency.recipient, competency.task, competency.valid_from).exists()

    assert post(client, nurse, "reinstate", competency, reason="Retrained and observed").status_code == 302
    competency.refresh_from_db()
    assert competency.status == Status.SIGNED_OFF
    assert [e.status for e in competency.events.order_by("at", "pk")][-2:] == [Status.SUSPENDED, Status.SIGNED_OFF]


def test_reason_is_required_and_nothing_changes_without_one(client, competency, nurse):
    response = post(client, nurse, "revoke", competency, reason="  ")
    assert response.status_code == 302
    competency.refresh_from_db()
    assert competency.status == Status.SIGNED_OFF
    assert not CompetencyEvent.objects.filter(status=Status.REVOKED).exists()


def test_outsider_gets_404_and_the_nurse_then_succeeds(client, competency, other_parent, nurse):
    assert post(client, other_parent, "revoke", competency).status_code == 404
    assert post(client, nurse, "revoke", competency).status_code == 302


@pytest.mark.parametrize("who", ["pa", "parent"])
def test_circle_members_who_are_not_clinicians_get_403(client, competency, who, request):
    user = request.getfixturevalue(who)
    assert post(client, user, "suspend", competency).status_code == 403
    competency.refresh_from_db()
    assert competency.status == Status.SIGNED_OFF


def test_status_changes_reject_get(client, competency, nurse):
    client.force_login(nurse)
    assert client.get(reverse("competencies:revoke", args=[competency.pk])).status_code == 405


def test_everyone_in_the_circle_sees_the_record_and_outsiders_do_not(client, competency, pa, parent, other_pa):
    url = reverse("competencies:detail", args=[competency.pk])
    for user in (pa, parent):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200 and "Signed off" in page.content.decode()
    client.force_login(other_pa)
    assert client.get(url).status_code == 404


def test_revoke_asks_for_confirmation_before_anything_changes(client, competency, nurse):
    log_in_with_second_factor(client, nurse)
    url = reverse("competencies:revoke", args=[competency.pk])
    page = client.post(url, {"reason": "Observed unsafe suction depth"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Yes, revoke" in body and "Observed unsafe suction depth" in body  # the reason is carried over
    competency.refresh_from_db()
    assert competency.status == Status.SIGNED_OFF

    assert client.post(url, {"reason": "Observed unsafe suction depth", "confirm": "yes"}).status_code == 302
    competency.refresh_from_db()
    assert competency.status == Status.REVOKED


def test_a_revoked_record_no_longer_says_valid_until(client, competency, nurse):
    log_in_with_second_factor(client, nurse)
    assert "until" in client.get(reverse("competencies:detail", args=[competency.pk])).content.decode()
    post(client, nurse, "revoke", competency)
    body = client.get(reverse("competencies:detail", args=[competency.pk])).content.decode()
    assert "Valid " not in body and "Revoked on" in body
