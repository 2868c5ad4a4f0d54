"""Listeners to care's signals."""
from django.dispatch import receiver

from care.models import Role
from care.signals import membership_ended

from . import services


@receiver(membership_ended, dispatch_uid="competencies.revoke_on_membership_end")
def revoke_when_pa_leaves(sender, membership, actor, **kwargs):
    """A PA who leaves a circle keeps no competency for that person."""
    if membership.role != Role.PA:
        return
    services.revoke_all_for_member(
        pa=membership.user, recipient=membership.recipient, actor=actor,
        reason="The PA left the circle" + (f": {membership.end_reason}" if membership.end_reason else ""),
    )
