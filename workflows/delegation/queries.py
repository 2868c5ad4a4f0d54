"""Reads with intent for delegations: a person's delegations, a user's inbox, recent declines."""
import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from care.kernel.names import person_name
from care.permissions import recipients_for
from competencies.queries import register_delegation_notes

from ..nodes import human_steps
from . import permissions
from .flow import DelegationFlow
from .models import DelegationOutcome, DelegationProcess

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED)


def delegations_for(recipient):
    return (
        DelegationProcess.objects.filter(recipient=recipient)
        .select_related("pa", "healthcare_task", "requested_by", "competency")
        .order_by("-created")
    )


def inbox(user):
    """Open human steps this user may take: one query (plus the permission subqueries inside it),
    whatever the number of people, processes or steps."""
    steps = human_steps(DelegationFlow)
    return (
        Task.objects.filter(status__in=(STATUS.NEW, STATUS.ASSIGNED), flow_task__in=steps)
        .filter(permissions.step_filter(user, steps))
        .select_related(
            "owner",
            "process__delegationprocess__recipient",
            "process__delegationprocess__pa",
            "process__delegationprocess__healthcare_task",
        )
        .order_by("created", "pk")
    )


def recently_declined(user, recipients, now=None):
    """Requests this user made that ended without a delegation in the last fortnight (they see why)."""
    now = now or timezone.now()
    return (
        DelegationProcess.objects.filter(
            requested_by=user, recipient__in=[r.pk for r in recipients],
            outcome__in=(DelegationOutcome.DECLINED, DelegationOutcome.NOT_AGREED),
            finished__gte=now - datetime.timedelta(days=14),
        )
        .select_related("healthcare_task", "recipient")
        .order_by("-finished")[:10]
    )


def without_practitioner(user, recipients):
    """Open delegations whose accountable clinician left, for the person's clinicians and
    coordinators to see until one of them takes it on."""
    ids = [r.pk for r in recipients]
    return (
        DelegationProcess.objects.filter(
            recipient__in=recipients_for(user, "act_clinically") | recipients_for(user, "coordinate"),
            status="NEW", practitioner__isnull=True, handovers__isnull=False,
        ).filter(recipient__in=ids)
        .select_related("healthcare_task", "recipient").distinct().order_by("created")[:20]
    )


@dataclass
class MatrixNote:
    """What the competency matrix shows of the delegation behind a cell."""

    task: object
    competency_id: int | None
    waiting_for: str  # the open step's title, "" when none is open
    practitioner: str
    url: str


@register_delegation_notes
def matrix_notes(recipient):
    """The latest delegation per task and PA that is open or gave a record: two queries."""
    processes = (
        DelegationProcess.objects.filter(recipient=recipient)
        .filter(Q(status="NEW") | Q(competency__isnull=False))
        .select_related("healthcare_task", "practitioner")
        .prefetch_related(Prefetch("task_set", queryset=Task.objects.filter(
            status__in=(STATUS.NEW, STATUS.ASSIGNED)).order_by("created"), to_attr="open_steps"))
        .order_by("created", "pk")
    )
    notes = {}
    for process in processes:
        step = next((t for t in process.open_steps if t.flow_task_type == "HUMAN"), None)
        notes[(process.healthcare_task_id, process.pa_id)] = MatrixNote(
            task=process.healthcare_task, competency_id=process.competency_id,
            waiting_for=step.flow_task.task_title if step else "",
            practitioner=person_name(process.practitioner) if process.practitioner_id else "",
            url=reverse("workflows:delegation:process_detail", args=[process.pk]),
        )
    return notes


@dataclass
class LogRow:
    """One delegated task on one shift, with what the PA recorded for it (`missed`: the shift is
    over and nothing was)."""

    shift: object
    task: object
    entries: list
    missed: bool


def care_log(recipient, *, pa=None, days=28, now=None):
    """The care given against the shifts that needed it, newest shift first: three queries (the
    shifts with their PA, their tasks, the entries) whatever the number of rows."""
    from rota.models import Shift

    from .care_given import RECORDABLE
    from .models import CareGiven

    now = now or timezone.now()
    shifts = (
        Shift.objects.filter(recipient=recipient, status__in=RECORDABLE, pa__isnull=False,
                             start__lte=now, start__gte=now - datetime.timedelta(days=days),
                             pk__in=Shift.tasks.through.objects.values("shift_id"))
        .select_related("pa")
        .prefetch_related("tasks", Prefetch("care_given", queryset=CareGiven.objects.order_by("done_at", "pk")))
        .order_by("-start", "pk")
    )
    if pa is not None:
        shifts = shifts.filter(pa=pa)
    rows = []
    for shift in shifts:
        for task in shift.tasks.all():
            entries = [e for e in shift.care_given.all() if e.healthcare_task_id == task.pk]
            rows.append(LogRow(shift, task, entries, missed=not entries and shift.end <= now))
    return rows


def shifts_to_record(user, recipients, now=None):
    """This PA's shifts with delegated tasks that are on now or ended in the last 12 hours."""
    from rota.models import Shift

    now = now or timezone.now()
    return (
        Shift.objects.filter(pa=user, recipient__in=[r.pk for r in recipients], status__in=("confirmed", "completed"),
                             start__lte=now + datetime.timedelta(minutes=30),
                             end__gte=now - datetime.timedelta(hours=12),
                             pk__in=Shift.tasks.through.objects.values("shift_id"))
        .select_related("recipient").order_by("start")[:5]
    )


def missed_records_for(user, recipients, now=None):
    """Missed records of care given in the last week, for the people whose PA records this user
    reads as a clinician or budget holder (the PA is asked on their own page)."""
    from .care_given import missed_records

    readers = recipients_for(user, "act_clinically") | recipients_for(user, "consent_delegation")
    ids = [r.pk for r in recipients]
    return missed_records(readers.filter(pk__in=ids), now=now)[:10]


def open_concerns(user, recipients):
    """Concerns nobody has answered, for the people this user reads PA records for."""
    from .models import Concern

    readers = recipients_for(user, "act_clinically") | recipients_for(user, "consent_delegation") | \
        recipients_for(user, "coordinate")
    return (
        Concern.objects.filter(recipient__in=readers, responses__isnull=True)
        .filter(recipient__in=[r.pk for r in recipients])
        .select_related("recipient", "raised_by").order_by("raised_at")[:20]
    )


def agreements_waiting(user, recipients):
    """Delegations in force whose agreement waits for this user: the employer's agreement (for the
    people they consent for) once the practitioner agreed, the PA's acknowledgement once the
    employer did."""
    from .models import DelegationAgreement

    party = DelegationAgreement.Party
    ids = [r.pk for r in recipients]
    in_force = DelegationProcess.objects.filter(recipient__in=ids, status="NEW", outcome=DelegationOutcome.SIGNED_OFF)
    as_employer = in_force.filter(
        recipient__in=recipients_for(user, "consent_delegation"), agreements__party=party.PRACTITIONER,
    ).exclude(agreements__party=party.EMPLOYER)
    as_pa = in_force.filter(pa=user, agreements__party=party.EMPLOYER).exclude(agreements__party=party.PA_SIGNED)
    return (as_employer | as_pa).distinct().select_related("recipient", "healthcare_task", "pa").order_by("pk")[:20]
