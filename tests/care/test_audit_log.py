"""The audit log: clinical decisions, consent and staff views of a person's record are written
once each, coordinators read them for their own caseload only, and no page can change them."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from care.audit import STAFF_VIEW
from care.models import AuditEvent, Role
from tests.factories import member
from tests.workflows.steps import SIGN_OFF, YES, assessment, catalogue, latest, take, through_to_assessment
from workflows.delegation.flow import DelegationFlow

pytestmark = pytest.mark.django_db


def views_of(recipient, user):
    return AuditEvent.objects.filter(recipient=recipient, actor=user, action=STAFF_VIEW)


def test_a_clinician_opening_the_person_page_is_recorded_once_per_view(client, family, nurse):
    client.force_login(nurse)
    client.get(reverse("recipient", args=[family.pk]))
    assert views_of(family, nurse).count() == 1
    client.get(reverse("competencies:matrix", args=[family.pk]))
    assert list(views_of(family, nurse).values_list("summary", flat=True)) == ["Competency matrix", "Person page"]


def test_the_family_looking_at_its_own_record_is_not_a_staff_view(client, family, parent, pa):
    for user in (parent, pa):
        client.force_login(user)
        assert client.get(reverse("recipient", args=[family.pk])).status_code == 200
    assert not AuditEvent.objects.filter(action=STAFF_VIEW).exists()


def test_a_refused_look_is_not_recorded_as_a_view(client, family, other_family, nurse):
    client.force_login(nurse)
    assert client.get(reverse("recipient", args=[other_family.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=STAFF_VIEW).exists()


def test_sign_off_consent_and_revocation_are_each_recorded_once(client, family, parent, nurse, pa):
    task = catalogue("tracheostomy-suction")
    process = through_to_assessment(client, parent=parent, nurse=nurse, pa=pa, recipient=family, task=task)
    assert take(client, nurse, process, DelegationFlow.assess, assessment(task)).status_code == 302
    assert take(client, nurse, process, DelegationFlow.sign_off, SIGN_OFF).status_code == 302
    competency = latest(family).competency
    response = client.post(reverse("competencies:revoke", args=[competency.pk]), {"reason": "Unsafe depth seen", "confirm": "yes"})
    assert response.status_code == 302

    decisions = AuditEvent.objects.filter(recipient=family).exclude(action=STAFF_VIEW)
    counts = {action: decisions.filter(action=action).count()
              for action in ("delegation.agreement", "competency.signed_off", "competency.revoked",
                             "delegation.risk_assessed")}
    # two agreements: the person's consent (by the budget holder) and the PA's acceptance
    assert counts == {"delegation.agreement": 2, "competency.signed_off": 1, "competency.revoked": 1,
                      "delegation.risk_assessed": 1}
    consent = decisions.filter(action="delegation.agreement", actor=parent).get()
    assert "agreed" in consent.summary


def test_coordinators_read_their_own_caseload_only(client, family, other_family, coordinator, nurse, other_parent):
    stranger = member(other_family, Role.CLINICIAN, username="other-nurse")
    client.force_login(nurse)
    client.get(reverse("recipient", args=[family.pk]))
    client.force_login(stranger)
    client.get(reverse("recipient", args=[other_family.pk]))

    client.force_login(coordinator)
    page = client.get(reverse("audit_log"))
    assert page.status_code == 200
    shown = list(page.context["page"])
    assert shown and {e.recipient_id for e in shown} == {family.pk}
    assert any(e.actor == nurse and e.action == STAFF_VIEW for e in shown)
    # another family's trail is not theirs to read
    assert client.get(reverse("audit_log"), {"person": other_family.pk}).status_code == 404
    filtered = client.get(reverse("audit_log"), {"person": family.pk, "kind": "views"}).context["page"]
    assert all(e.action == STAFF_VIEW for e in filtered)


@pytest.mark.parametrize("who", ["parent", "nurse", "pa", "outsider"])
def test_only_coordinators_open_the_audit_log(client, request, who, coordinator):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("audit_log")).status_code == 403
    client.force_login(coordinator)  # the same page, for the person it is for
    assert client.get(reverse("audit_log")).status_code == 200


def test_no_page_changes_the_audit_log(client, family, nurse, coordinator, admin_client):
    client.force_login(nurse)
    client.get(reverse("recipient", args=[family.pk]))
    event = AuditEvent.objects.get(action=STAFF_VIEW)
    client.force_login(coordinator)
    assert client.post(reverse("audit_log"), {"summary": "nothing happened"}).status_code == 405

    change = reverse("admin:care_auditevent_change", args=[event.pk])
    assert admin_client.get(change).status_code == 200  # shown read-only
    admin_client.post(change, {"action": "x", "summary": "rewritten"})
    assert admin_client.post(reverse("admin:care_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:care_auditevent_add")).status_code == 403
    event.refresh_from_db()
    assert event.summary == "Person page" and event.action == STAFF_VIEW

    event.summary = "rewritten"
    with pytest.raises(ValueError):
        event.save()


def test_the_audit_page_costs_the_same_queries_for_many_rows(client, family, coordinator, nurse,
                                                              django_assert_max_num_queries):
    def load():
        client.force_login(coordinator)
        # session, user, coordinate check for the families list, that list, count, one page of rows
        with django_assert_max_num_queries(8):
            assert client.get(reverse("audit_log")).status_code == 200

    AuditEvent.objects.create(actor=nurse, recipient=family, action=STAFF_VIEW, summary="Person page")
    load()
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=nurse, recipient=family, action=STAFF_VIEW, summary=f"Page {i}") for i in range(200)
    )
    load()


def test_admin_staff_viewing_a_record_is_recorded(client, family):
    staff = get_user_model().objects.create_user("helpdesk", password="x", is_staff=True)
    member(family, Role.COORDINATOR, user=staff)
    client.force_login(staff)
    client.get(reverse("recipient", args=[family.pk]))
    assert views_of(family, staff).count() == 1
