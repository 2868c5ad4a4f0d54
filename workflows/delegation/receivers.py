"""Delegations end when their PA leaves the circle or their competency is revoked elsewhere."""
from django.dispatch import receiver

from care.models import Role
from care.signals import membership_ended
from competencies.signals import competency_lapsed

from . import driving, services


@receiver(membership_ended, dispatch_uid="workflows.withdraw_delegations_of_departed_pa")
def withdraw_when_pa_leaves(sender, membership, actor, **kwargs):
    if membership.role == Role.PA:
        driving.withdraw_for_departed_pa(
            recipient=membership.recipient, pa=membership.user, reason="The PA left the circle"
        )


@receiver(membership_ended, dispatch_uid="workflows.delegations_wait_for_a_new_practitioner")
def wait_for_practitioner_when_clinician_leaves(sender, membership, actor, **kwargs):
    if membership.role == Role.CLINICIAN:
        services.practitioner_left(recipient=membership.recipient, clinician=membership.user)


@receiver(competency_lapsed, dispatch_uid="workflows.close_delegation_after_revocation")
def close_when_revoked(sender, competency, reason, **kwargs):
    if reason == "revoked":
        driving.close_after_revocation(competency=competency, reason="Revoked before its review")
