"""The record of care given on shifts: each time a PA carries out a delegated task (or does not),
and the concerns they raise from a shift. Each function is one transaction; a send retried from
a phone on a weak signal carries the same `client_key` and records once.

Supervision rests on these rows (NMC Code 11.2/11.3): the practitioner reads them per person and
per PA, missed records included (queries.care_log). They are append-only: a correction is a new
row pointing at the one it corrects.
"""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from care.kernel.names import person_name
from care.models import Membership, Role
from care.permissions import PA_RECORD_READERS, can
from care.queries import budget_holders
from care.services import record_audit
from competencies.models import Competency
from competencies.observations import for_task
from rota.models import Shift

from . import texts
from .models import CareGiven, Concern, ConcernResponse, DelegationProcess

# A PA records during the shift or soon after it; a little either side allows for a task done
# just before handover. Later than this is a late entry and goes through the practitioner.
SLACK = datetime.timedelta(hours=2)
RECORDABLE = (Shift.Status.CONFIRMED, Shift.Status.COMPLETED)


def _own_shift(actor, shift):
    shift = Shift.objects.select_related("recipient").get(pk=shift.pk)
    if shift.pa_id != actor.pk:
        raise PermissionDenied("Only the PA working this shift records the care given on it.")
    if shift.status not in RECORDABLE:
        raise ValidationError(f"This shift is {shift.get_status_display().lower()}: nothing can be recorded on it.")
    return shift


def clean_observations(task, result, raw):
    """The catalogue's observations for the task, each checked; required only when it was done."""
    values, errors = {}, {}
    for field in for_task(task):
        if result != CareGiven.Result.DONE and not (raw.get(field.key) or "").strip():
            continue
        try:
            values[field.key] = field.clean(raw.get(field.key))
        except ValueError as error:
            errors[f"obs_{field.key}"] = str(error)
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def record_care_given(*, actor, shift, healthcare_task, done_at, result, observations, note="", client_key,
                      corrects=None):
    """One entry by the shift's PA. Refused: a task not on the shift, a time outside it, a missing
    observation, no reason when it was not done. A retried send returns the first entry."""
    existing = CareGiven.objects.filter(client_key=client_key).first()
    if existing is not None:
        if existing.pa_id != actor.pk:
            raise PermissionDenied("Only the PA working this shift records the care given on it.")
        return existing
    shift = _own_shift(actor, shift)
    if not shift.tasks.filter(pk=healthcare_task.pk).exists():
        raise ValidationError({"healthcare_task": "This task is not on this shift."})
    if result not in CareGiven.Result.values:
        raise ValidationError({"result": "Say whether it was done, not done, or refused."})
    if not (shift.start - SLACK <= done_at <= min(shift.end + SLACK, timezone.now() + datetime.timedelta(minutes=5))):
        raise ValidationError({"done_at": f"A time during this shift ({timezone.localtime(shift.start):%H:%M}–"
                                          f"{timezone.localtime(shift.end):%H:%M}), not in the future."})
    note = (note or "").strip()
    if result != CareGiven.Result.DONE and not note:
        raise ValidationError({"note": "Say why it was not done, and who you told."})
    values = clean_observations(healthcare_task, result, observations)
    if corrects is not None and (corrects.shift_id, corrects.pa_id, corrects.healthcare_task_id) != (
            shift.pk, actor.pk, healthcare_task.pk):
        raise ValidationError("A correction is for one of your own entries for this task on this shift.")
    competency = Competency.objects.valid_for(shift.recipient, healthcare_task, done_at).filter(pa=actor).first()
    entry = CareGiven.objects.create(
        shift=shift, recipient=shift.recipient, pa=actor, healthcare_task=healthcare_task, competency=competency,
        done_at=done_at, result=result, observations=values, note=note[:500], corrects=corrects,
        client_key=client_key,
    )
    record_audit(actor=actor, recipient=shift.recipient, action="care_given.recorded",
                 summary=f"{entry.reference}: {healthcare_task.name} {entry.get_result_display().lower()} "
                         f"by {person_name(actor)}" + (f", correcting {corrects.reference}" if corrects else ""))
    return entry


def _practitioners(shift, pa):
    """Who is accountable for what this PA does for this person: the practitioners of their open or
    signed-off delegations; failing any, every clinician of the person."""
    named = list(
        DelegationProcess.objects.filter(recipient=shift.recipient, pa=pa, practitioner__isnull=False)
        .filter(Q(status="NEW") | Q(competency__status__in=("signed_off", "suspended")))
        .select_related("practitioner").values_list("practitioner", flat=True).distinct()
    )
    rows = Membership.objects.active().filter(recipient=shift.recipient).select_related("user")
    rows = rows.filter(user__in=named) if named else rows.filter(role=Role.CLINICIAN)
    return {m.user for m in rows}


@transaction.atomic
def raise_concern(*, actor, shift, what_happened, what_they_did, who_they_told="", client_key):
    """A concern or incident from the shift: the accountable practitioner and the budget holder are
    texted once (a reference and a link), and it sits on their home pages until answered."""
    existing = Concern.objects.filter(client_key=client_key).first()
    if existing is not None:
        if existing.raised_by_id != actor.pk:
            raise PermissionDenied("Only the PA working this shift raises a concern from it.")
        return existing
    shift = _own_shift(actor, shift)
    if not what_happened.strip() or not what_they_did.strip():
        raise ValidationError("Say what happened and what you did.")
    concern = Concern.objects.create(
        shift=shift, recipient=shift.recipient, raised_by=actor, what_happened=what_happened.strip(),
        what_they_did=what_they_did.strip(), who_they_told=who_they_told.strip()[:300], client_key=client_key,
    )
    record_audit(actor=actor, recipient=shift.recipient, action="care_given.concern",
                 summary=f"{concern.reference} raised by {person_name(actor)}")
    for user in sorted(_practitioners(shift, actor) | set(budget_holders(shift.recipient)), key=lambda u: u.pk):
        if user.pk != actor.pk:
            texts.concern_raised(concern, user)
    return concern


def may_respond(user, concern):
    return any(can(user, codename, concern.recipient) for codename in PA_RECORD_READERS)


@transaction.atomic
def respond_to_concern(*, actor, concern, response):
    if not may_respond(actor, concern):
        raise PermissionDenied("The person's clinicians, budget holder and coordinator respond to concerns.")
    if not response.strip():
        raise ValidationError({"response": "Say what you have done or decided."})
    answer = ConcernResponse.objects.create(concern=concern, by=actor, response=response.strip())
    record_audit(actor=actor, recipient=concern.recipient, action="care_given.concern_answered",
                 summary=f"{concern.reference} answered by {person_name(actor)}")
    return answer


# A record still missing this long after the shift ended is chased once: the PA is texted (the
# budget holder and the clinicians see it on their home pages and in the log).
MISSED_AFTER = datetime.timedelta(hours=2)
MISSED_WINDOW = datetime.timedelta(days=7)


def missed_records(recipients=None, *, now=None, since=MISSED_WINDOW):
    """Shifts that ended at least MISSED_AFTER ago (and within `since`) with a delegated task and
    no record of care given for it, as (shift, [tasks]). Three queries whatever the rows."""
    now = now or timezone.now()
    shifts = (
        Shift.objects.filter(status__in=RECORDABLE, pa__isnull=False, end__lte=now - MISSED_AFTER,
                             end__gte=now - since, pk__in=Shift.tasks.through.objects.values("shift_id"))
        .select_related("recipient", "pa").prefetch_related("tasks", "care_given").order_by("end", "pk")
    )
    if recipients is not None:
        shifts = shifts.filter(recipient__in=recipients)
    missed = []
    for shift in shifts:
        recorded = {entry.healthcare_task_id for entry in shift.care_given.all()}
        tasks = [task for task in shift.tasks.all() if task.pk not in recorded]
        if tasks:
            missed.append((shift, tasks))
    return missed


def chase_missed_records(now=None):
    """Text each PA once per shift whose record of care given is missing (the job; idempotent)."""
    chased = 0
    for shift, _tasks in missed_records(now=now, since=datetime.timedelta(days=1)):
        chased += texts.record_missing(shift) is not None
    return chased
