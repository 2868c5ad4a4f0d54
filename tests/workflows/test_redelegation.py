"""Re-delegation after expiry: a reassessment that reuses the risk assessment when the clinician
confirms it still stands (the PA is observed again, without starting training over), not a restart."""
import datetime

import pytest
from freezegun import freeze_time

from competencies.models import Status
from tests.factories import ProfileFactory
from workflows.delegation.flow import DelegationFlow
from workflows.delegation.jobs import delegation_sweep
from workflows.delegation.models import DelegationRiskAssessment

from .steps import (
    RISK_OK, SIGN_OFF, YES, assessment, catalogue, latest, open_task, request_delegation, signed_off_delegation, take,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def expired(family, parent, nurse, pa):
    ProfileFactory(user=parent)
    process = signed_off_delegation(parent=parent, nurse=nurse, pa=pa, recipient=family,
                                    task=catalogue("tracheostomy-stoma-care"))
    with freeze_time(process.competency.valid_until - datetime.timedelta(days=27)):
        delegation_sweep()  # the review opens, and nobody renews
    with freeze_time(process.competency.valid_until + datetime.timedelta(minutes=1)):
        delegation_sweep()
    process.refresh_from_db()
    assert process.competency.status == Status.EXPIRED
    return process


def test_a_re_delegation_confirming_the_assessment_goes_straight_to_an_observed_assessment(
    client, expired, family, parent, nurse, pa
):
    task = catalogue("tracheostomy-stoma-care")
    assert request_delegation(client, parent, recipient=family, pa=pa, task=task).status_code == 302
    again = latest(family)
    assert again.reassesses == expired

    # the risk step offers the earlier assessment, its hazards and controls filled in
    step = open_task(again, DelegationFlow.assess_risk)
    client.force_login(nurse)
    page = client.post(DelegationFlow.assess_risk.reverse("assign", args=[again.pk, step.pk]), follow=True)
    body = page.content.decode()
    assert "still stands: reuse it" in body and f"delegation {expired.reference} expired" in body
    assert page.context["form"].fields["controls"].initial == "c"

    url = DelegationFlow.assess_risk.reverse("execute", args=[again.pk, step.pk])
    assert client.post(url, {"still_stands": "on", "hazards": "", "controls": "", "decision": "proceed"}).status_code == 302
    risk = again.risk_assessments.get()
    first = expired.risk_assessments.get()
    assert (risk.reuses, risk.hazards, risk.controls, risk.assessor) == (first, first.hazards, first.controls, nurse)

    assert take(client, parent, again, DelegationFlow.consent, YES).status_code == 302
    assert take(client, pa, again, DelegationFlow.accept, YES).status_code == 302
    # no training step: the PA is observed again at once
    again.refresh_from_db()
    assert not again.task_set.filter(flow_task=DelegationFlow.train).exists()
    assert take(client, nurse, again, DelegationFlow.assess, assessment(task)).status_code == 302
    assert take(client, nurse, again, DelegationFlow.sign_off, SIGN_OFF).status_code == 302
    again.refresh_from_db()
    assert again.competency.status == Status.SIGNED_OFF and again.competency != expired.competency


def test_a_failed_reassessment_goes_back_to_training(client, expired, family, parent, nurse, pa):
    task = catalogue("tracheostomy-stoma-care")
    request_delegation(client, parent, recipient=family, pa=pa, task=task)
    again = latest(family)
    take(client, nurse, again, DelegationFlow.assess_risk, {"still_stands": "on", "decision": "proceed"})
    take(client, parent, again, DelegationFlow.consent, YES)
    take(client, pa, again, DelegationFlow.accept, YES)
    assert take(client, nurse, again, DelegationFlow.assess, assessment(task, passed=False)).status_code == 302
    assert open_task(again, DelegationFlow.train)


def test_a_clinician_who_assesses_afresh_sends_the_pa_through_training(client, expired, family, parent, nurse, pa):
    task = catalogue("tracheostomy-stoma-care")
    request_delegation(client, parent, recipient=family, pa=pa, task=task)
    again = latest(family)
    assert take(client, nurse, again, DelegationFlow.assess_risk, RISK_OK).status_code == 302
    assert again.risk_assessments.get().reuses is None
    take(client, parent, again, DelegationFlow.consent, YES)
    take(client, pa, again, DelegationFlow.accept, YES)
    assert open_task(again, DelegationFlow.train)


def test_a_revoked_delegation_is_not_reused_and_a_reuse_without_one_is_refused(
    client, family, parent, nurse, pa
):
    task = catalogue("tracheostomy-stoma-care")
    assert request_delegation(client, parent, recipient=family, pa=pa, task=task).status_code == 302
    first = latest(family)
    assert first.reassesses is None
    # a reuse posted by hand where there is nothing to reuse: told, nothing saved
    response = take(client, nurse, first, DelegationFlow.assess_risk, {"still_stands": "on", "decision": "proceed"})
    assert response.status_code == 200
    assert not DelegationRiskAssessment.objects.filter(process=first).exists()
