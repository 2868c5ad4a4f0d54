"""What employment tells the rota, without importing it."""
from django.dispatch import Signal

# Sent inside the deciding transaction when holiday is approved or sickness is recorded
# (sender=Absence, absence=..., actor=...): the rota flags the PA's booked shifts in it as needing cover.
absence_approved = Signal()
