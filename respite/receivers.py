"""Listeners to other apps' signals."""
from django.dispatch import receiver

from care.permissions import can
from care.signals import membership_ended

from . import services


@receiver(membership_ended, dispatch_uid="respite.close_accounts_of_departed_carer")
def close_accounts_of_departed_carer(sender, membership, actor=None, **kwargs):
    # A budget holder who stops being a carer still uses respite through the other role.
    if not can(membership.user, "use_respite", membership.recipient):
        services.close_accounts(recipient=membership.recipient, carer=membership.user, closed_on=membership.ended_on)
