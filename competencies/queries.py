"""Reads with intent: the competency matrix and what needs attention on the home page."""
import datetime

from django.db.models import Q
from django.utils import timezone

from care.models import Membership, Role
from care.permissions import recipients_for

from .models import LIVE_STATUSES, Competency, Status

LAPSED = (Status.SUSPENDED, Status.REVOKED, Status.EXPIRED)
EXPIRY_WARNING = datetime.timedelta(days=28)


def matrix(recipient):
    """PAs (columns) × tasks (rows) for one person; each cell the PA's current record for the task.

    Two queries whatever the size: the active PAs, and every competency for the person
    with its task. The live record wins over ended ones; among ended ones the newest.
    """
    pas = [
        m.user
        for m in Membership.objects.active()
        .filter(recipient=recipient, role=Role.PA)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__pk")
    ]
    cells, tasks = {}, {}
    for competency in (
        Competency.objects.filter(recipient=recipient).select_related("task").order_by("task__name", "-created_at")
    ):
        key = (competency.task_id, competency.pa_id)
        current = cells.get(key)
        if current is None or (competency.status in LIVE_STATUSES and current.status not in LIVE_STATUSES):
            cells[key] = competency
        tasks[competency.task_id] = competency.task
    rows = [(task, [cells.get((task.pk, pa.pk)) for pa in pas]) for task in tasks.values()]
    return pas, rows


def needing_attention(user, recipients, now=None):
    """Competencies this user should know about: the PA's own and, for budget holders and
    clinicians, everyone's for their people — lapsed in the last fortnight or expiring soon."""
    now = now or timezone.now()
    ids = [r.pk for r in recipients]
    whose = (
        Q(pa=user)
        | Q(recipient__in=recipients_for(user, "consent_delegation"))
        | Q(recipient__in=recipients_for(user, "act_clinically"))
    )
    recent_lapse = Q(status__in=LAPSED, status_changed_at__gte=now - datetime.timedelta(days=14))
    expiring = Q(status=Status.SIGNED_OFF, valid_until__gt=now, valid_until__lte=now + EXPIRY_WARNING)
    return (
        Competency.objects.filter(whose, recipient__in=ids)
        .filter(recent_lapse | expiring)
        .select_related("task", "pa", "recipient")
        .order_by("valid_until")[:20]
    )
