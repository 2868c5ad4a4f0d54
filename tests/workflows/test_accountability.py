"""A named accountable practitioner on every delegation: the clinician who assessed the risk,
until a recorded handover; sign-off and renewal are theirs; when they leave the circle the
delegation waits for a new one and the coordinator is told. The interval to the review is theirs
to set, never longer than the catalogue allows (less for a PA's first sign-off for the person)."""
import pytest
from django.utils import timezone
from django.urls import reverse

from care.models import Membership, Role
from care.services import end_membership
from competencies.models import Status
from notifications.models import Message
from tests.factories import ProfileFactory, log_in_with_second_factor, member
from workflows.delegation.flow import DelegationFlow
from workflows.delegation.models import AccountabilityHandover

from .steps import SIGN_OFF, assessment, catalogue, open_task, take, through_to_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def task():
    return catalogue("tracheostomy-suction")


@pytest.fixture
def second_nurse(family):
    return member(family, Role.CLINICIAN, username="nurse2")


@pytest.fixture
def assessed(client, family, parent, nurse, pa, task):
    process = through_to_assessment(client, parent=parent, nurse=nurse, pa=pa, recipient=family, task=task)
    assert take(client, nurse, process, DelegationFlow.assess, assessment(task)).status_code == 302
    process.refresh_from_db()
    return process


def page(client, user, process):
    log_in_with_second_factor(client, user)
    return client.get(reverse("workflows:delegation:process_detail", args=[process.pk])).content.decode()


def test_the_risk_assessor_is_accountable_and_named_on_the_process_and_the_competency(client, assessed, nurse):
    nurse.first_name, nurse.last_name = "Nia", "Nurse"
    nurse.save()
    assert assessed.practitioner == nurse
    assert "Nia Nurse</strong> is accountable" in page(client, nurse, assessed)
    record = client.get(reverse("competencies:detail", args=[assessed.competency_id])).content.decode()
    assert "Accountable practitioner: <strong>Nia Nurse" in record


def test_handover_of_accountability_is_recorded_both_see_it_and_the_new_one_signs_off(
        client, assessed, nurse, second_nurse, django_capture_on_commit_callbacks):
    ProfileFactory(user=second_nurse)
    log_in_with_second_factor(client, nurse)
    url = reverse("workflows:delegation:hand_over", args=[assessed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"to": second_nurse.pk, "reason": "Moving to nights"}).status_code == 302
    assessed.refresh_from_db()
    assert assessed.practitioner == second_nurse
    handover = AccountabilityHandover.objects.get(process=assessed)
    assert (handover.from_practitioner, handover.to_practitioner, handover.by) == (nurse, second_nurse, nurse)
    texts = Message.objects.filter(purpose="delegation-handover")
    assert texts.count() == 1 and assessed.reference in texts.get().body
    for who in (nurse, second_nurse):
        assert "Moving to nights" in page(client, who, assessed)

    # the old practitioner can no longer hand over, nor sign off
    log_in_with_second_factor(client, nurse)
    assert client.post(url, {"to": nurse.pk}).status_code == 403
    refused = take(client, nurse, assessed, DelegationFlow.sign_off, SIGN_OFF)
    assert refused.status_code == 200 and "Only the accountable practitioner" in refused.content.decode()
    step = open_task(assessed, DelegationFlow.sign_off)
    client.post(DelegationFlow.sign_off.reverse("unassign", args=[assessed.pk, step.pk]))
    assert take(client, second_nurse, assessed, DelegationFlow.sign_off, SIGN_OFF).status_code == 302


def test_when_the_accountable_clinician_leaves_the_delegation_waits_and_the_coordinator_is_told(
        client, assessed, nurse, second_nurse, coordinator, parent, django_capture_on_commit_callbacks):
    ProfileFactory(user=coordinator)
    membership = Membership.objects.get(recipient=assessed.recipient, user=nurse, role=Role.CLINICIAN)
    with django_capture_on_commit_callbacks(execute=True):
        end_membership(membership=membership, actor=parent, reason="Moved trust")
    assessed.refresh_from_db()
    assert assessed.practitioner is None
    texts = Message.objects.filter(purpose="delegation-orphaned")
    assert [m.user_id for m in texts] == [coordinator.pk]
    assert "needs a new accountable practitioner" in texts.get().body
    for who in (coordinator, second_nurse):
        client.force_login(who)
        assert "has no accountable practitioner" in client.get(reverse("home")).content.decode()

    refused = take(client, second_nurse, assessed, DelegationFlow.sign_off, SIGN_OFF)
    assert "no accountable practitioner" in refused.content.decode()
    log_in_with_second_factor(client, second_nurse)
    client.post(reverse("workflows:delegation:hand_over", args=[assessed.pk]), {"to": second_nurse.pk})
    assessed.refresh_from_db()
    assert assessed.practitioner == second_nurse
    assert take(client, second_nurse, assessed, DelegationFlow.sign_off, SIGN_OFF).status_code == 302


def test_the_clinician_sets_the_interval_but_never_beyond_the_catalogue(client, assessed, nurse, task):
    too_long = take(client, nurse, assessed, DelegationFlow.sign_off,
                    {**SIGN_OFF, "review_interval_days": task.review_interval_days + 1})
    assert too_long.status_code == 200 and f"At most {task.review_interval_days} days" in too_long.content.decode()
    assessed.competency.refresh_from_db()
    assert assessed.competency.status == Status.ASSESSED

    assert take(client, nurse, assessed, DelegationFlow.sign_off,
                {**SIGN_OFF, "review_interval_days": 90}).status_code == 302
    competency = assessed.competency
    competency.refresh_from_db()
    assert (timezone.localtime(competency.valid_until).date() - timezone.localtime(competency.valid_from).date()).days == 90


def test_a_pa_new_to_the_person_gets_a_shorter_interval(client, family, parent, nurse, task):
    from care.services import add_member
    from competencies.services import max_review_days
    from tests.factories import UserFactory

    newcomer = UserFactory(username="new-pa")
    add_member(recipient=family, user=newcomer, role=Role.PA, started_on=timezone.localdate())
    process = through_to_assessment(client, parent=parent, nurse=nurse, pa=newcomer, recipient=family, task=task)
    take(client, nurse, process, DelegationFlow.assess, assessment(task))
    process.refresh_from_db()
    most = task.review_interval_days // 2
    assert max_review_days(process.competency) == most
    refused = take(client, nurse, process, DelegationFlow.sign_off, {**SIGN_OFF, "review_interval_days": most + 1})
    assert f"At most {most} days" in refused.content.decode()
    assert take(client, nurse, process, DelegationFlow.sign_off, SIGN_OFF).status_code == 302
    competency = process.competency
    competency.refresh_from_db()
    assert (timezone.localtime(competency.valid_until).date() - timezone.localtime(competency.valid_from).date()).days == most


def test_the_pa_is_texted_once_when_asked_to_accept_and_once_when_signed_off(
        client, family, parent, nurse, pa, task, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process = through_to_assessment(client, parent=parent, nurse=nurse, pa=pa, recipient=family, task=task)
        take(client, nurse, process, DelegationFlow.assess, assessment(task))
        take(client, nurse, process, DelegationFlow.sign_off, SIGN_OFF)
    to_pa = Message.objects.filter(user=pa)
    purposes = sorted(m.purpose for m in to_pa)
    assert purposes == ["delegation-accept", "delegation-signed-off"], purposes
    for message in to_pa:
        assert process.reference in message.body and "suction" not in message.body.lower()
