"""The whole delegation driven through its pages as the people who do it."""
import pytest
from django.utils import timezone
from viewflow.workflow.status import PROCESS, STATUS

from competencies.models import Competency, Status
from workflows.delegation.flow import DelegationFlow
from workflows.delegation.models import DelegationAgreement, DelegationOutcome, DelegationProcess

from .steps import (
    RISK_OK, SIGN_OFF, YES, assessment, catalogue, latest, open_task, request_delegation, take, through_to_assessment, training,
)

pytestmark = pytest.mark.django_db


def test_budget_holder_request_ends_in_a_signed_off_competency(client, family, parent, nurse, pa):
    task = catalogue("tracheostomy-suction")
    response = request_delegation(client, parent, recipient=family, pa=pa, task=task)
    assert response.status_code == 302
    process = latest(family)
    assert process.requested_by == parent and process.pa == pa

    assert take(client, nurse, process, DelegationFlow.assess_risk, RISK_OK).status_code == 302
    assert take(client, parent, process, DelegationFlow.consent, YES).status_code == 302
    assert take(client, pa, process, DelegationFlow.accept, YES).status_code == 302

    # one short session is not enough: the flow asks for more training before the assessment
    assert take(client, nurse, process, DelegationFlow.train, training(1)).status_code == 302
    assert open_task(process, DelegationFlow.train)
    assert take(client, nurse, process, DelegationFlow.train, training(task.supervised_practices_required)).status_code == 302
    assert take(client, nurse, process, DelegationFlow.assess, assessment(task)).status_code == 302
    assert take(client, nurse, process, DelegationFlow.sign_off, SIGN_OFF).status_code == 302

    process.refresh_from_db()
    competency = process.competency
    assert competency.status == Status.SIGNED_OFF and competency.signed_off_by == nurse
    # nothing chosen: the most allowed (the PA has been in the circle for years: the catalogue's maximum)
    days = (timezone.localtime(competency.valid_until).date() - timezone.localtime(competency.valid_from).date()).days
    assert days == task.review_interval_days  # local days: a clock change makes one 23 or 25 hours
    assert Competency.objects.valid_for(family, task, competency.valid_from).get() == competency
    assert process.outcome == DelegationOutcome.SIGNED_OFF
    # the agreement is joint and recorded with who and when
    answers = {a.party: a.given_by for a in process.agreements.all()}
    assert answers == {DelegationAgreement.Party.PERSON: parent, DelegationAgreement.Party.PA: pa,
                       DelegationAgreement.Party.PRACTITIONER: nurse}
    # the process now waits for its review timer
    assert process.task_set.get(flow_task=DelegationFlow.wait_for_review).status == STATUS.SCHEDULED


def test_three_failed_assessments_end_as_not_competent(client, family, parent, nurse, pa):
    task = catalogue("peg-feed")
    process = through_to_assessment(client, parent=parent, nurse=nurse, pa=pa, recipient=family, task=task)
    for attempt in range(3):
        assert take(client, nurse, process, DelegationFlow.assess, assessment(task, passed=False)).status_code == 302
        if attempt < 2:  # a fail returns to training
            assert take(client, nurse, process, DelegationFlow.train, training(1)).status_code == 302
    process.refresh_from_db()
    assert process.status == PROCESS.DONE
    assert process.outcome == DelegationOutcome.NOT_COMPETENT
    assert process.competency.status == Status.REVOKED
    assert process.competency.assessments.count() == 3
    assert not process.task_set.filter(flow_task=DelegationFlow.sign_off).exists()


def test_declined_risk_assessment_ends_with_a_reason_the_requester_sees(client, family, parent, nurse, pa):
    request_delegation(client, parent, recipient=family, pa=pa, task=catalogue("tracheostomy-tube-change"))
    process = latest(family)
    response = take(client, nurse, process, DelegationFlow.assess_risk, {
        "hazards": "Unstable airway", "decision": "decline", "reason": "Tube changes stay with the nursing team for now",
    })
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.status == PROCESS.DONE and process.outcome == DelegationOutcome.DECLINED

    client.force_login(parent)
    page = client.get(DelegationFlow.instance.reverse("process_detail", args=[process.pk])).content.decode()
    assert "Tube changes stay with the nursing team for now" in page
    home = client.get("/").content.decode()
    assert "Tube changes stay with the nursing team for now" in home


def test_declining_without_a_reason_is_refused_and_saves_nothing(client, family, parent, nurse, pa):
    request_delegation(client, parent, recipient=family, pa=pa, task=catalogue("nebuliser"))
    process = latest(family)
    response = take(client, nurse, process, DelegationFlow.assess_risk, {"hazards": "x", "decision": "decline"})
    assert response.status_code == 200
    assert "Give the reason for declining" in response.content.decode()
    assert not process.risk_assessments.exists()
    assert open_task(process, DelegationFlow.assess_risk)


def test_non_delegable_task_is_refused_with_a_clear_message(client, family, parent, pa):
    response = request_delegation(client, parent, recipient=family, pa=pa, task=catalogue("iv-medication"))
    assert response.status_code == 200
    assert "cannot be delegated to a PA" in response.content.decode()
    assert not DelegationProcess.objects.exists()


def test_pa_who_declines_ends_the_request_as_not_agreed(client, family, parent, nurse, pa):
    request_delegation(client, parent, recipient=family, pa=pa, task=catalogue("nebuliser"))
    process = latest(family)
    take(client, nurse, process, DelegationFlow.assess_risk, RISK_OK)
    take(client, parent, process, DelegationFlow.consent, YES)
    take(client, pa, process, DelegationFlow.accept, {"agreed": "no", "notes": "Not confident yet"})
    process.refresh_from_db()
    assert process.outcome == DelegationOutcome.NOT_AGREED and process.status == PROCESS.DONE
    assert process.competency is None


def test_a_second_request_for_the_same_pa_and_task_is_refused(client, family, parent, pa):
    task = catalogue("nebuliser")
    request_delegation(client, parent, recipient=family, pa=pa, task=task)
    response = request_delegation(client, parent, recipient=family, pa=pa, task=task)
    assert response.status_code == 200 and "already under way" in response.content.decode()
    assert DelegationProcess.objects.count() == 1


def test_a_pa_from_another_circle_cannot_be_named(client, family, parent, other_pa):
    response = request_delegation(client, parent, recipient=family, pa=other_pa, task=catalogue("nebuliser"))
    assert response.status_code == 200
    assert not DelegationProcess.objects.exists()
