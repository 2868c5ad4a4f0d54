"""Staff opening a step's page of a person's delegation or hospital agreement is in the audit
log, as the process pages are; the family looking at their own is not."""
import pytest

from care.audit import STAFF_VIEW
from care.models import AuditEvent
from workflows.delegation.flow import DelegationFlow
from workflows.hospital.flow import HospitalAgreementFlow

from .agreement_steps import latest as latest_agreement
from .agreement_steps import start, start_data
from .steps import RISK_OK, catalogue, latest, request_delegation, take

pytestmark = pytest.mark.django_db


def staff_views(user):
    return list(AuditEvent.objects.filter(action=STAFF_VIEW, actor=user).values_list("summary", flat=True))


def test_a_clinician_opening_a_delegation_step_page_is_audited_and_the_family_is_not(
        client, family, parent, pa, nurse, coordinator):
    request_delegation(client, parent, recipient=family, pa=pa, task=catalogue("nebuliser"))
    process = latest(family)
    take(client, nurse, process, DelegationFlow.assess_risk, RISK_OK)
    task = process.task_set.get(flow_task=DelegationFlow.assess_risk)
    url = DelegationFlow.assess_risk.reverse("detail", args=[process.pk, task.pk])
    for user in (nurse, coordinator):
        client.force_login(user)
        before = staff_views(user)
        assert client.get(url).status_code == 200
        assert staff_views(user) == before + [f"Delegation {process.reference}: Clinical risk assessment"]
    client.force_login(parent)
    assert client.get(url).status_code == 200
    assert staff_views(parent) == []


def test_a_coordinator_opening_a_hospital_step_page_is_audited(client, family, parent, pa, coordinator):
    start(client, parent, family, start_data(pas=[pa], email="ward@example.invalid"))
    agreement = latest_agreement(family)
    task = agreement.task_set.get(flow_task=HospitalAgreementFlow.start)
    url = HospitalAgreementFlow.start.reverse("detail", args=[agreement.pk, task.pk])
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    assert staff_views(coordinator) == [f"Hospital agreement {agreement.reference}: "
                                        "Admission: ask the ward for an agreement"]
    client.force_login(parent)
    client.get(url)
    assert staff_views(parent) == []
