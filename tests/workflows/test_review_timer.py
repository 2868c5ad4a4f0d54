"""Time moves on: the review opens 28 days before expiry, reminders go once at 28 and 7 days,
and without a renewal the competency expires on its date."""
import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time
from viewflow.workflow.status import PROCESS, STATUS

from competencies.models import Competency, SignOff, Status
from notifications.models import Message
from tests.factories import ProfileFactory, log_in_with_second_factor
from workflows.delegation.flow import DelegationFlow
from workflows.delegation.jobs import delegation_sweep
from workflows.delegation.models import DelegationOutcome

from .steps import catalogue, open_task, signed_off_delegation, take

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def process(family, parent, nurse, pa):
    ProfileFactory(user=parent)
    return signed_off_delegation(parent=parent, nurse=nurse, pa=pa, recipient=family,
                                 task=catalogue("tracheostomy-stoma-care"))


def reviews(process):
    return process.task_set.filter(flow_task=DelegationFlow.review)


def texts(purpose):
    return Message.objects.filter(purpose=purpose).count()


def test_review_opens_28_days_before_expiry_and_unrenewed_competency_expires(process, parent, pa):
    until = process.competency.valid_until
    with freeze_time(until - 29 * DAY):
        delegation_sweep()
        assert not reviews(process).exists()
        assert texts("competency_reminder") == 0

    with freeze_time(until - 27 * DAY):
        assert delegation_sweep()["timers_fired"] == 1
        assert reviews(process).get().status == STATUS.NEW
        assert texts("competency_reminder") == 2  # the PA and the budget holder
        delegation_sweep()  # running twice sends nothing twice
        assert reviews(process).count() == 1 and texts("competency_reminder") == 2

    with freeze_time(until - 6 * DAY):
        delegation_sweep()
        delegation_sweep()
        assert texts("competency_reminder") == 4

    with freeze_time(until + datetime.timedelta(minutes=1)):
        delegation_sweep()
        competency = Competency.objects.get(pk=process.competency_id)
        assert competency.status == Status.EXPIRED
        process.refresh_from_db()
        assert process.status == PROCESS.DONE and process.outcome == DelegationOutcome.EXPIRED
        assert reviews(process).get().status == STATUS.CANCELED
        assert texts("competency_change") == 2
        delegation_sweep()
        assert texts("competency_change") == 2
        assert competency.events.filter(status=Status.EXPIRED).count() == 1


def test_nurse_renews_at_review_and_the_next_review_is_scheduled(client, process, nurse):
    until = process.competency.valid_until
    with freeze_time(until - 20 * DAY):
        delegation_sweep()
        observed = {f"criterion_{i}": "yes" for i, _ in enumerate(process.healthcare_task.criteria)}
        response = take(client, nurse, process, DelegationFlow.review,
                        {"decision": "renew", "notes": "Observed again", **observed})
        assert response.status_code == 302
        competency = Competency.objects.get(pk=process.competency_id)
        assert competency.status == Status.SIGNED_OFF and competency.valid_until > until
        assert competency.sign_offs.filter(kind=SignOff.Kind.RENEWAL).count() == 1
        assert competency.sign_offs.count() == 2  # the first sign-off is kept, not edited
        timer = process.task_set.filter(flow_task=DelegationFlow.wait_for_review, status=STATUS.SCHEDULED).get()
        assert timer.scheduled == competency.valid_until - 28 * DAY
    with freeze_time(until + DAY):
        delegation_sweep()
        assert Competency.objects.get(pk=process.competency_id).status == Status.SIGNED_OFF


def test_nurse_revokes_at_review_with_a_reason(client, process, nurse):
    with freeze_time(process.competency.valid_until - 10 * DAY):
        delegation_sweep()
        take(client, nurse, process, DelegationFlow.review, {"decision": "revoke", "reason": "No longer needed"})
        process.refresh_from_db()
        assert process.outcome == DelegationOutcome.REVOKED and process.status == PROCESS.DONE
        assert Competency.objects.get(pk=process.competency_id).status == Status.REVOKED


def test_revoking_from_the_competency_page_closes_the_waiting_delegation(client, process, nurse):
    log_in_with_second_factor(client, nurse)
    client.post(reverse("competencies:revoke", args=[process.competency_id]), {"reason": "Unsafe practice seen", "confirm": "yes"})
    process.refresh_from_db()
    assert process.status == PROCESS.CANCELED and process.outcome == DelegationOutcome.REVOKED
    assert not process.task_set.filter(status=STATUS.SCHEDULED).exists()


def test_an_open_review_of_a_competency_revoked_elsewhere_can_only_be_closed(client, process, nurse):
    with freeze_time(process.competency.valid_until - 10 * DAY):
        delegation_sweep()
        log_in_with_second_factor(client, nurse)
        client.post(reverse("competencies:revoke", args=[process.competency_id]), {"reason": "Unsafe practice seen", "confirm": "yes"})
        assert open_task(process, DelegationFlow.review)
        refused = take(client, nurse, process, DelegationFlow.review, {"decision": "renew"})
        assert refused.status_code == 200
        assert take(client, nurse, process, DelegationFlow.review, {"decision": "close"}).status_code == 302
        process.refresh_from_db()
        assert process.status == PROCESS.DONE and process.outcome == DelegationOutcome.REVOKED


def test_the_accountable_practitioner_is_texted_once_when_the_review_opens(process, nurse):
    ProfileFactory(user=nurse)
    with freeze_time(process.competency.valid_until - 27 * DAY):
        delegation_sweep()
        delegation_sweep()
    sent = Message.objects.filter(purpose="delegation-review")
    assert [m.user_id for m in sent] == [nurse.pk]
    assert process.reference in sent.get().body and "tracheostomy" not in sent.get().body.lower()
