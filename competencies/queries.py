"""Reads with intent: the competency matrix and what needs attention on the home page."""
import datetime

from django.db.models import Q
from django.utils import timezone

from care.models import Membership, Role
from care.permissions import recipients_for

from .models import LIVE_STATUSES, Competency, Status

LAPSED = (Status.SUSPENDED, Status.REVOKED, Status.EXPIRED)
EXPIRY_WARNING = datetime.timedelta(days=28)


# Delegations live above this app (workflows); it tells the matrix about them through this hook,
# as notifications learns the catalogue's words: fn(recipient) -> {(task_id, pa_id): MatrixNote}.
_delegation_notes = []


def register_delegation_notes(fn):
    _delegation_notes.append(fn)
    return fn


def delegation_notes(recipient):
    notes = {}
    for fn in _delegation_notes:
        notes.update(fn(recipient))
    return notes


def matrix(recipient):
    """PAs (columns) × tasks (rows) for one person; each cell the PA's current record for the task,
    and the delegation behind it (`cell.note`: requested, waiting for a step, who is accountable).

    Three queries whatever the size: the active PAs, every competency for the person with its
    task, and the delegations hook (one query). The live record wins over ended ones; among
    ended ones the newest. A requested delegation with no record yet gets a cell of its own.
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
    notes = delegation_notes(recipient)
    for (task_id, pa_id), note in notes.items():
        tasks.setdefault(task_id, note.task)
    rows = []
    for task in sorted(tasks.values(), key=lambda t: (t.get_category_display(), t.name)):
        row = []
        for pa in pas:
            note = notes.get((task.pk, pa.pk))
            competency = cells.get((task.pk, pa.pk))
            if competency is not None and note is not None and note.competency_id not in (None, competency.pk):
                note = None  # a note about an older record, or a newer request shown on its own below
            row.append(Cell(competency, note))
        rows.append((task, row))
    return pas, rows


class Cell:
    """One PA's standing in one task: the record (or None) and the delegation's note (or None)."""

    def __init__(self, competency, note):
        self.competency, self.note = competency, note

    @property
    def review_opens(self):
        c = self.competency
        if c is None or c.status != Status.SIGNED_OFF or c.valid_until is None:
            return None
        return c.valid_until - EXPIRY_WARNING


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
