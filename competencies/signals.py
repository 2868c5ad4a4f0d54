"""Signals other apps (rota) listen to, so competencies never imports them."""
from django.dispatch import Signal

# Sent inside the transaction that ends a competency's validity
# (sender=Competency, competency=..., reason="revoked" | "suspended" | "expired"):
# rota flags the future shifts it leaves uncovered and tells the budget holder.
competency_lapsed = Signal()
