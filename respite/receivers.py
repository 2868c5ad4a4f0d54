"""Listeners to other apps' signals."""
from django.dispatch import receiver

from care.permissions import can
from care.signals import membership_ended
from rota.signals import shift_cancelled

from . import services


@receiver(membership_ended, dispatch_uid="respite.close_accounts_of_departed_carer")
def close_accounts_of_departed_carer(sender, membership, actor=None, **kwargs):
    # A budget holder who stops being a carer still uses respite through the other role.
    if not can(membership.user, "use_respite", membership.recipient):
        services.close_accounts(recipient=membership.recipient, carer=membership.user, closed_on=membership.ended_on)


@receiver(shift_cancelled, dispatch_uid="respite.release_for_cancelled_shift")
def release_for_cancelled_shift(sender, shift, actor=None, **kwargs):
    if shift.kind == shift.Kind.RESPITE:
        services.release_for_cancelled_shift(shift=shift, actor=actor)
