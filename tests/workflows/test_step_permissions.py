"""Only clinicians of the person take clinical steps, only the budget holder consents, only the
named PA accepts — through the pages and by posting straight to the task URLs."""
import pytest
from viewflow.workflow.status import STATUS

from care.models import Membership, Role
from care.services import end_membership
from tests.factories import member
from workflows.delegation.flow import DelegationFlow

from .steps import RISK_OK, YES, catalogue, latest, open_task, request_delegation, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(client, family, parent, pa):
    request_delegation(client, parent, recipient=family, pa=pa, task=catalogue("nebuliser"))
    return latest(family)


def urls(process, node):
    task = open_task(process, node)
    return {name: node.reverse(name, args=[process.pk, task.pk]) for name in ("assign", "execute", "index")}


def test_outsider_gets_404_on_every_step_url_and_the_nurse_then_succeeds(client, process, outsider, other_parent, nurse):
    step = urls(process, DelegationFlow.assess_risk)
    for user in (outsider, other_parent):
        client.force_login(user)
        for url in step.values():
            assert client.get(url).status_code == 404
            assert client.post(url, RISK_OK).status_code == 404
    assert take(client, nurse, process, DelegationFlow.assess_risk, RISK_OK).status_code == 302


def test_pa_of_the_same_circle_cannot_take_or_do_a_clinical_step(client, process, pa, nurse):
    step = urls(process, DelegationFlow.assess_risk)
    client.force_login(pa)
    assert client.post(step["assign"]).status_code == 403
    assert client.post(step["execute"], RISK_OK).status_code == 403
    assert open_task(process, DelegationFlow.assess_risk).owner is None
    assert not process.risk_assessments.exists()
    assert take(client, nurse, process, DelegationFlow.assess_risk, RISK_OK).status_code == 302


def test_a_nurse_who_claimed_a_step_cannot_finish_it_after_leaving_the_circle(client, process, nurse, family):
    step = urls(process, DelegationFlow.assess_risk)
    client.force_login(nurse)
    assert client.post(step["assign"]).status_code == 302
    end_membership(membership=Membership.objects.get(user=nurse, recipient=family), actor=None, reason="Moved team")
    assert client.post(step["execute"], RISK_OK).status_code == 404
    assert not process.risk_assessments.exists()


def test_only_the_budget_holder_consents(client, process, nurse, carer, parent):
    take(client, nurse, process, DelegationFlow.assess_risk, RISK_OK)
    step = urls(process, DelegationFlow.consent)
    client.force_login(carer)  # a carer may ask for a delegation but does not consent as employer
    assert client.post(step["assign"]).status_code == 403
    client.force_login(nurse)  # the decision is not the clinician's alone
    assert client.post(step["assign"]).status_code == 403
    assert take(client, parent, process, DelegationFlow.consent, YES).status_code == 302


def test_only_the_named_pa_accepts(client, process, nurse, parent, pa, family):
    take(client, nurse, process, DelegationFlow.assess_risk, RISK_OK)
    take(client, parent, process, DelegationFlow.consent, YES)
    task = open_task(process, DelegationFlow.accept)
    assert task.owner == pa and task.status == STATUS.ASSIGNED
    other_pa_same_circle = member(family, Role.PA, username="pa-two")
    client.force_login(other_pa_same_circle)
    url = DelegationFlow.accept.reverse("execute", args=[process.pk, task.pk])
    assert client.post(url, YES).status_code == 403
    client.force_login(parent)
    assert client.post(url, YES).status_code == 403
    assert take(client, pa, process, DelegationFlow.accept, YES).status_code == 302


def test_everyone_in_the_circle_sees_status_and_history_and_outsiders_do_not(client, process, pa, carer, other_pa):
    url = DelegationFlow.instance.reverse("process_detail", args=[process.pk])
    for user in (pa, carer):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200
        assert "Clinical risk assessment" in page.content.decode() and "Request a delegation" in page.content.decode()
    client.force_login(other_pa)
    assert client.get(url).status_code == 404


def test_a_task_of_another_process_is_404_under_this_process(client, family, parent, pa, nurse, process):
    request_delegation(client, parent, recipient=family, pa=pa, task=catalogue("oxygen-therapy"))
    second = latest(family)
    foreign = open_task(second, DelegationFlow.assess_risk)
    client.force_login(nurse)
    url = DelegationFlow.assess_risk.reverse("assign", args=[process.pk, foreign.pk])
    assert client.post(url).status_code == 404


def test_outsider_cannot_start_a_request(client, outsider, family, pa):
    response = request_delegation(client, outsider, recipient=family, pa=pa, task=catalogue("nebuliser"))
    assert response.status_code == 403
