"""What the rota tells other apps, without importing them."""
from django.dispatch import Signal

# Sent inside cancel_shift's transaction, after the shift is saved as cancelled:
# shift (the Shift), actor (who cancelled it; None for the system).
shift_cancelled = Signal()
