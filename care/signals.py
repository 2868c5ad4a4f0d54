"""Signals other apps listen to, so care never imports them."""
from django.dispatch import Signal

# Sent after a membership ends (sender=Membership, membership=..., actor=...):
# rota flags future shifts, competencies revokes delegations.
membership_ended = Signal()
