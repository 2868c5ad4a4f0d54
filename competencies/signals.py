"""Signals other apps (rota) listen to, so competencies never imports them."""
from django.dispatch import Signal

# Sent inside the transaction that ends a competency's validity
# (sender=Competency, competency=..., reason="revoked" | "suspended" | "expired"):
# rota flags the future shifts it leaves uncovered and tells the budget holder.
# A receiver that has texted the person's budget holders about this lapse returns a true value
# (rota: the shifts it flagged); competencies then texts only the PA, so each lapse reaches the
# budget holder in one text.
competency_lapsed = Signal()
