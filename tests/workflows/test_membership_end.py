"""Ending a PA's membership revokes all their competencies for that person and ends their
open delegations; the PA and the budget holder are told."""
import pytest
from viewflow.workflow.status import PROCESS

from care.models import Membership, Role
from care.services import end_membership
from competencies.models import Competency, Status
from notifications.models import Message
from tests.factories import ProfileFactory, member
from workflows.delegation.driving import start_delegation
from workflows.delegation.models import DelegationOutcome

from .steps import catalogue, signed_off_delegation

pytestmark = pytest.mark.django_db


def test_pa_leaving_revokes_their_competencies_and_withdraws_their_delegations(family, parent, nurse, pa):
    ProfileFactory(user=parent)
    signed = signed_off_delegation(parent=parent, nurse=nurse, pa=pa, recipient=family, task=catalogue("tracheostomy-suction"))
    pending = start_delegation(actor=parent, recipient=family, pa=pa, healthcare_task=catalogue("nebuliser"), reason="r")

    end_membership(membership=Membership.objects.get(user=pa, recipient=family, role=Role.PA), actor=parent,
                   reason="Moved away")

    competency = Competency.objects.get(pk=signed.competency_id)
    assert competency.status == Status.REVOKED
    assert "left the circle" in competency.events.get(status=Status.REVOKED).reason
    assert not Competency.objects.live().filter(pa=pa, recipient=family).exists()
    pending.refresh_from_db()
    assert pending.status == PROCESS.CANCELED and pending.outcome == DelegationOutcome.WITHDRAWN
    signed.refresh_from_db()
    assert signed.status == PROCESS.CANCELED
    assert Message.objects.filter(purpose="competency_change").count() == 2


def test_another_pa_keeps_their_competencies(family, parent, nurse, pa):
    other = member(family, Role.PA, username="pa-stays")
    kept = signed_off_delegation(parent=parent, nurse=nurse, pa=other, recipient=family, task=catalogue("nebuliser"))
    end_membership(membership=Membership.objects.get(user=pa, recipient=family, role=Role.PA), actor=parent)
    assert Competency.objects.get(pk=kept.competency_id).status == Status.SIGNED_OFF
