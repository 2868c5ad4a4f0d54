"""The rota's periodic jobs (Celery beat in production, the embedded scheduler otherwise). Both are idempotent."""
import datetime

from django.utils import timezone

from paworkflow.periodic import every

from . import services
from .models import RotaChange, Shift

# Pages further behind than the kept log get a snapshot instead of a replay.
CHANGE_LOG_KEPT = datetime.timedelta(days=2)


@every(600)
def complete_past_shifts():
    """Booked shifts that have ended become "completed"; the service re-checks under the row lock."""
    due = Shift.objects.filter(status=Shift.Status.CONFIRMED, end__lte=timezone.now()).order_by("pk")
    return sum(services.complete_shift(shift=shift) for shift in due[:500])


@every(3600)
def prune_change_log():
    deleted, _ = RotaChange.objects.filter(at__lt=timezone.now() - CHANGE_LOG_KEPT).delete()
    return deleted
