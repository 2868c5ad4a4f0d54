"""Only the PA the delegation names accepts it: giving the step back does not open it to another
PA of the circle, nobody but its holder gives a step back, and the service refuses a wrong PA."""
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from viewflow.workflow.status import STATUS

from care.models import Role
from competencies.models import Competency
from tests.factories import member
from workflows.delegation import services
from workflows.delegation.flow import DelegationFlow
from workflows.delegation.models import DelegationAgreement

from .steps import RISK_OK, YES, catalogue, latest, open_task, request_delegation, take

pytestmark = pytest.mark.django_db

ACCEPT = DelegationFlow.accept


@pytest.fixture
def process(client, family, parent, pa, nurse):
    request_delegation(client, parent, recipient=family, pa=pa, task=catalogue("nebuliser"))
    process = latest(family)
    take(client, nurse, process, DelegationFlow.assess_risk, RISK_OK)
    take(client, parent, process, DelegationFlow.consent, YES)
    return process


@pytest.fixture
def pa_two(family):
    """Another PA of the same circle: may work shifts, is not the PA this delegation names."""
    return member(family, Role.PA, username="pa-two")


def url(process, name):
    return ACCEPT.reverse(name, args=[process.pk, open_task(process, ACCEPT).pk])


def test_another_pa_cannot_claim_the_accept_step_the_named_pa_gave_back(client, process, pa, pa_two):
    client.force_login(pa)
    assert client.post(url(process, "unassign")).status_code == 302
    assert open_task(process, ACCEPT).owner_id is None

    client.force_login(pa_two)
    assert client.post(url(process, "assign")).status_code == 403
    assert client.post(url(process, "execute"), YES).status_code == 403
    assert open_task(process, ACCEPT).owner_id is None
    assert not process.agreements.filter(party=DelegationAgreement.Party.PA).exists()
    assert not Competency.objects.filter(pa=pa_two).exists()
    # the inbox offers it only to the named PA
    assert "The PA accepts the delegation" not in client.get(reverse("workflows:inbox")).content.decode()

    client.force_login(pa)
    assert "The PA accepts the delegation" in client.get(reverse("workflows:inbox")).content.decode()
    assert take(client, pa, process, ACCEPT, YES).status_code == 302
    agreement = process.agreements.get(party=DelegationAgreement.Party.PA)
    assert agreement.given_by == pa and agreement.agreed
    assert Competency.objects.filter(pa=pa, recipient=process.recipient).exists()


def test_nobody_but_the_holder_gives_a_step_back(client, process, pa, pa_two, parent, nurse):
    for user in (pa_two, parent, nurse):
        client.force_login(user)
        assert client.post(url(process, "unassign")).status_code == 403
        task = open_task(process, ACCEPT)
        assert task.owner == pa and task.status == STATUS.ASSIGNED
    client.force_login(pa)
    assert client.post(url(process, "unassign")).status_code == 302


def test_the_agreement_service_refuses_a_pa_the_delegation_does_not_name(process, pa, pa_two):
    task = open_task(process, ACCEPT)
    with task.activation() as activation:
        activation.start(None)
        with pytest.raises(PermissionDenied):
            services.agree(activation=activation, actor=pa_two, party=DelegationAgreement.Party.PA, agreed=True)
    assert not process.agreements.filter(party=DelegationAgreement.Party.PA).exists()
    assert not Competency.objects.filter(pa=pa_two).exists()
