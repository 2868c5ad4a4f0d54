"""Everything that changes a competency: training, assessment, sign-off, renewal, suspension,
revocation and expiry. Each function is one transaction that writes its record row, the
competency's new status, and an audit row; lapses send `competency_lapsed` and text the PA
and the budget holder.
"""
import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Sum
from django.urls import reverse
from django.utils import timezone

import notifications
from care.kernel.clock import add_days_local
from care.kernel.names import person_name
from care.models import Membership, Role
from care.permissions import can, remember_permissions
from care.services import record_audit, record_audits
from care.validators import validate_within_last_year

from .models import (
    LIVE_STATUSES,
    Assessment,
    Competency,
    CompetencyEvent,
    Outcome,
    Reminder,
    SignOff,
    Status,
    TrainingRecord,
)
from .signals import competency_lapsed

# A clinical rule: after the third failed observed assessment the delegation ends as
# "not competent"; a new delegation must be requested to try again.
MAX_ASSESSMENT_ATTEMPTS = 3
REMINDER_DAYS = (28, 7)
# A PA new to a person (in their circle for under six months) is reviewed sooner: at most half
# the catalogue's interval.
NEW_PA_DAYS = 182
NEW_PA_DIVISOR = 2
CLINICAL = "act_clinically"


def _service(steps):
    """`steps` as one transaction, a savepoint when called inside another (what the competencies
    pages and tests rely on: they catch a refusal and go on), and as `.in_step` without a savepoint
    of its own, for a delegation step's service: that runs in the step's transaction and lets no
    error go on (the step is undone whole), so the savepoint would only cost two queries."""
    service = transaction.atomic(steps)
    service.in_step = transaction.atomic(savepoint=False)(steps)
    return service


def _require_clinician(actor, recipient):
    if not can(actor, CLINICAL, recipient):
        raise PermissionDenied("Only a clinician in this person's circle may do this.")


def _lock(competency):
    return Competency.objects.select_for_update().select_related("task", "recipient", "pa").get(pk=competency.pk)


def check_delegable(task):
    """The catalogue's rule: some tasks stay with a registered professional and are never delegated."""
    if not task.delegable:
        raise ValidationError(
            f"“{task.name}” cannot be delegated to a PA: it must stay with a registered professional."
        )


def _on_a_recent_day(field, day):
    try:
        validate_within_last_year(day)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def _checked(record, *links):
    """The record's own field rules (lengths, choices) before it is written; `links` are the
    foreign keys this service has already loaded, so no query re-checks them."""
    record.full_clean(exclude=links, validate_constraints=False)
    record.save()
    return record


def supervised_practices_done(competency):
    total = competency.training_records.aggregate(n=Sum("supervised_practices"))["n"]
    return total or 0


def failed_attempts(competency):
    return competency.assessments.filter(outcome=Outcome.FAILED).count()


def _last_assessment_failed(competency):
    """A failed assessment with no supervised practice recorded since."""
    last_fail = competency.assessments.filter(outcome=Outcome.FAILED).order_by("-recorded_at").first()
    if last_fail is None:
        return False
    return not competency.training_records.filter(
        recorded_at__gt=last_fail.recorded_at, supervised_practices__gt=0
    ).exists()


@_service
def start_training(*, pa, recipient, task, actor):
    """The competency record a delegation trains towards (status in training); reused if already open."""
    check_delegable(task)
    existing = Competency.objects.live_one(pa=pa, recipient=recipient, task=task)
    if existing:
        if existing.status != Status.IN_TRAINING:
            raise ValidationError(
                f"{person_name(pa)} already has a {existing.get_status_display().lower()} record for this task."
            )
        return existing
    competency = Competency.objects.create(pa=pa, recipient=recipient, task=task, status=Status.IN_TRAINING)
    CompetencyEvent.objects.create(competency=competency, status=Status.IN_TRAINING, actor=actor, reason="Delegation agreed")
    record_audit(
        actor=actor, recipient=recipient, action="competency.training_started",
        summary=f"{person_name(pa)} starts training in {task.name}",
    )
    return competency


@_service
def record_training(
    *, competency, trainer, trained_on, method, materials="", supervised_practices=0, notes="", not_before=None
):
    """One training session. `not_before` is the day the delegation was requested: training
    for it cannot have happened earlier. After a failed assessment the PA goes back to
    practise, so a session without a supervised practice does not count as that training."""
    competency = _lock(competency)
    _require_clinician(trainer, competency.recipient)
    if competency.status != Status.IN_TRAINING:
        raise ValidationError("Training can only be recorded while the PA is in training for this task.")
    _on_a_recent_day("trained_on", trained_on)
    if not_before is not None and trained_on < not_before:
        raise ValidationError({"trained_on": f"The delegation was requested on {not_before:%d %b %Y}: "
                                             "training for it cannot be dated earlier."})
    if supervised_practices < 0:
        raise ValidationError({"supervised_practices": "Cannot be negative."})
    if supervised_practices == 0 and _last_assessment_failed(competency):
        raise ValidationError({"supervised_practices": "After a failed assessment the PA needs at least one "
                                                       "more supervised practice before trying again."})
    record = _checked(TrainingRecord(
        competency=competency, trainer=trainer, trained_on=trained_on, method=method,
        materials=materials, supervised_practices=supervised_practices, notes=notes,
    ), "competency", "trainer")
    record_audit(
        actor=trainer, recipient=competency.recipient, action="competency.training_recorded",
        summary=f"Training of {person_name(competency.pa)} in {competency.task.name} on {trained_on:%d %b %Y}",
    )
    return record


@_service
def record_assessment(*, competency, assessor, assessed_on, results, notes="", reassessment=False):
    """`results` maps each of the task's criteria to True (met) or False. The outcome follows:
    competent only when every criterion is met. The third failure ends the training.
    A `reassessment` (a re-delegation after expiry) observes a PA who was competent until then:
    its first attempt needs no new supervised practices; after a fail, training counts again."""
    competency = _lock(competency)
    _require_clinician(assessor, competency.recipient)
    task = competency.task
    if competency.status != Status.IN_TRAINING:
        raise ValidationError("Only a PA in training can be assessed.")
    done = supervised_practices_done(competency)
    first_reassessment = reassessment and failed_attempts(competency) == 0
    if done < task.supervised_practices_required and not first_reassessment:
        raise ValidationError(
            f"{done} of {task.supervised_practices_required} supervised practices recorded: "
            "record more training before the assessment."
        )
    if set(results) != set(task.criteria):
        raise ValidationError("Every assessment criterion must be marked met or not met.")
    _on_a_recent_day("assessed_on", assessed_on)
    passed = all(results[c] for c in task.criteria)
    assessment = _checked(Assessment(
        competency=competency, assessor=assessor, assessed_on=assessed_on,
        results=[{"criterion": c, "passed": bool(results[c])} for c in task.criteria],
        outcome=Outcome.PASSED if passed else Outcome.FAILED, notes=notes,
    ), "competency", "assessor")
    if passed:
        _set_status(competency, Status.ASSESSED, actor=assessor, reason="Assessed as competent")
    elif failed_attempts(competency) >= MAX_ASSESSMENT_ATTEMPTS:
        _set_status(
            competency, Status.REVOKED, actor=assessor,
            reason=f"Not competent after {MAX_ASSESSMENT_ATTEMPTS} assessments",
        )
    record_audit(
        actor=assessor, recipient=competency.recipient, action="competency.assessed",
        summary=f"{person_name(competency.pa)} assessed in {task.name}: {assessment.get_outcome_display()}",
    )
    return assessment


def max_review_days(competency, at=None):
    """The longest interval to the review a clinician may set: the catalogue's maximum for the
    task, halved for a PA new to this person (in their circle for less than NEW_PA_DAYS)."""
    longest = competency.task.review_interval_days
    since = timezone.localdate(at) - datetime.timedelta(days=NEW_PA_DAYS)
    new = not Membership.objects.filter(recipient_id=competency.recipient_id, user_id=competency.pa_id, role=Role.PA,
                                        started_on__lte=since).exists()
    return max(1, longest // NEW_PA_DIVISOR) if new else longest


def _review_days(competency, asked, at):
    cap = max_review_days(competency, at)
    if asked is None:
        return cap
    if asked < 1 or asked > cap:
        why = "the most for a PA new to this person" if cap < competency.task.review_interval_days \
            else "the catalogue's maximum for this task"
        raise ValidationError({"review_interval_days": f"Between 1 and {cap} days ({why})."})
    return asked


@_service
def sign_off(*, competency, actor, notes="", at=None, review_interval_days=None):
    """The clinician's sign-off: the competency becomes valid for the interval the clinician
    sets, never longer than max_review_days (which is also the default)."""
    competency = _lock(competency)
    _require_clinician(actor, competency.recipient)
    if competency.status != Status.ASSESSED:
        raise ValidationError("Only a competency assessed as competent can be signed off.")
    at = at or timezone.now()
    days = _review_days(competency, review_interval_days, at)
    assessment = competency.assessments.filter(outcome=Outcome.PASSED).order_by("-recorded_at").first()
    record = _write_sign_off(competency, SignOff.Kind.INITIAL, actor, at, notes, assessment, days)
    record_audit(
        actor=actor, recipient=competency.recipient, action="competency.signed_off",
        summary=f"{person_name(competency.pa)} signed off for {competency.task.name} "
        f"until {timezone.localtime(record.valid_until):%d %b %Y}",
    )
    return record


@transaction.atomic
def renew(*, competency, actor, notes="", at=None):
    """Renewal after review: a new sign-off row; the validity starts again from now."""
    competency = _lock(competency)
    _require_clinician(actor, competency.recipient)
    at = at or timezone.now()
    if competency.status != Status.SIGNED_OFF or competency.valid_until <= at:
        raise ValidationError("Only a signed-off, unexpired competency can be renewed.")
    record = _write_sign_off(competency, SignOff.Kind.RENEWAL, actor, at, notes, None,
                             competency.task.review_interval_days)
    record_audit(
        actor=actor, recipient=competency.recipient, action="competency.renewed",
        summary=f"{person_name(competency.pa)} renewed for {competency.task.name} "
        f"until {timezone.localtime(record.valid_until):%d %b %Y}",
    )
    return record


def _write_sign_off(competency, kind, actor, at, notes, assessment, days):
    valid_until = add_days_local(at, days)
    record = _checked(SignOff(
        competency=competency, kind=kind, signed_off_by=actor, signed_off_at=at,
        assessment=assessment, valid_from=at, valid_until=valid_until, notes=notes,
    ), "competency", "signed_off_by", "assessment")
    competency.signed_off_by = actor
    competency.signed_off_at = at
    competency.valid_from = at
    competency.valid_until = valid_until
    competency.status = Status.SIGNED_OFF
    competency.status_changed_at = at
    competency.save(update_fields=[
        "signed_off_by", "signed_off_at", "valid_from", "valid_until", "status", "status_changed_at",
    ])
    CompetencyEvent.objects.create(
        competency=competency, status=Status.SIGNED_OFF, actor=actor, at=at, reason=record.get_kind_display()
    )
    return record


def _reason_required(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give a reason: it is kept with the record."})
    limit = CompetencyEvent._meta.get_field("reason").max_length
    if len(reason) > limit:
        raise ValidationError({"reason": f"Keep the reason to {limit} characters."})
    return reason


@transaction.atomic
def suspend(*, competency, actor, reason):
    competency = _lock(competency)
    _require_clinician(actor, competency.recipient)
    reason = _reason_required(reason)
    if competency.status != Status.SIGNED_OFF:
        raise ValidationError("Only a signed-off competency can be suspended.")
    return _lapse(competency, Status.SUSPENDED, actor=actor, reason=reason)


@transaction.atomic
def reinstate(*, competency, actor, reason):
    """Lift a suspension. The original validity still applies; an expired one cannot come back."""
    competency = _lock(competency)
    _require_clinician(actor, competency.recipient)
    reason = _reason_required(reason)
    if competency.status != Status.SUSPENDED:
        raise ValidationError("Only a suspended competency can be reinstated.")
    if competency.valid_until <= timezone.now():
        raise ValidationError("This competency has passed its review date: renew it through a new delegation.")
    event = _set_status(competency, Status.SIGNED_OFF, actor=actor, reason=reason)
    record_audit(
        actor=actor, recipient=competency.recipient, action="competency.reinstated",
        summary=f"{person_name(competency.pa)} reinstated for {competency.task.name}: {reason}",
    )
    _tell_pa_and_budget_holders([(competency, event)])
    return event


@transaction.atomic
def revoke(*, competency, actor, reason):
    """Withdraw a signed-off (or suspended) competency at once. Training in progress ends
    through its delegation instead (a failed assessment, or the PA leaving the circle)."""
    competency = _lock(competency)
    _require_clinician(actor, competency.recipient)
    reason = _reason_required(reason)
    if competency.status not in (Status.SIGNED_OFF, Status.SUSPENDED):
        raise ValidationError("Only a signed-off or suspended competency can be revoked.")
    return _lapse(competency, Status.REVOKED, actor=actor, reason=reason)


@transaction.atomic
def end_training(*, competency, actor, reason):
    """Training in progress ends without a sign-off: the PA declined the delegation."""
    competency = _lock(competency)
    if competency.status not in (Status.IN_TRAINING, Status.ASSESSED):
        raise ValidationError("Only training in progress ends this way.")
    return _lapse(competency, Status.REVOKED, actor=actor, reason=_reason_required(reason))


@transaction.atomic
def revoke_all_for_member(*, pa, recipient, actor, reason):
    """The PA left the circle: every live competency of theirs for this person ends."""
    events = []
    for competency in Competency.objects.live().filter(pa=pa, recipient=recipient).order_by("pk"):
        competency = _lock(competency)
        if competency.status in LIVE_STATUSES:
            events.append(_lapse(competency, Status.REVOKED, actor=actor, reason=reason))
    return events


@transaction.atomic
def expire(*, competency, now=None):
    """Mark one competency expired if its validity has run out. Returns the event, or None."""
    now = now or timezone.now()
    claimed = Competency.objects.due_to_expire(now).filter(pk=competency.pk).update(
        status=Status.EXPIRED, status_changed_at=now
    )
    if claimed != 1:
        return None  # renewed, revoked, not yet due, or another worker got there first
    competency = Competency.objects.select_related("task", "recipient", "pa").get(pk=competency.pk)
    # due_to_expire matched it signed off or suspended: either way it lapses for the rota
    return _after_lapses([competency], Status.EXPIRED, previous=Status.SIGNED_OFF, actor=None,
                         reason="Review date passed", at=now)[0]


SWEEP_BATCH = 200


def expire_due(*, now=None, batch=SWEEP_BATCH):
    """Periodic: every competency past its review date becomes expired. Safe to run twice or in parallel:
    each batch locks its rows (PostgreSQL skips rows another worker holds; SQLite's transactions take
    the whole file) and claims them with a conditional update before anything is written or sent.

    A batch is one transaction and costs a fixed number of queries (claim, records, audit rows,
    permissions, texts) plus what the rota spends per lapse: flat in rows, a few per due competency."""
    now = now or timezone.now()
    expired = 0
    while True:
        # Read outside the transaction first: with nothing due the sweep costs one query, no transaction.
        ids = list(Competency.objects.due_to_expire(now).order_by("valid_until", "pk").values_list("pk", flat=True)[:batch])
        done = _expire_batch(now, ids) if ids else 0
        expired += done
        if len(ids) < batch or not done:  # none left, or all held by another sweep that will expire them
            return expired


@transaction.atomic
def _expire_batch(now, ids):
    due = list(
        Competency.objects.due_to_expire(now).filter(pk__in=ids).select_for_update(skip_locked=True, of=("self",))
        .select_related("task", "recipient", "pa").order_by("valid_until", "pk")
    )
    if not due:
        return 0
    pks = [c.pk for c in due]
    claimed = Competency.objects.due_to_expire(now).filter(pk__in=pks).update(status=Status.EXPIRED,
                                                                               status_changed_at=now)
    if claimed != len(due):  # changed since it was read (only without a row lock): keep what we claimed
        mine = set(Competency.objects.filter(pk__in=pks, status=Status.EXPIRED, status_changed_at=now)
                   .values_list("pk", flat=True))
        due = [c for c in due if c.pk in mine]
    previous = {c.pk: c.status for c in due}
    for competency in due:
        competency.status, competency.status_changed_at = Status.EXPIRED, now
    _after_lapses(due, Status.EXPIRED, previous=previous, actor=None, reason="Review date passed", at=now)
    return len(due)


def send_expiry_reminders(*, now=None, batch=SWEEP_BATCH):
    """Periodic: text the PA and the budget holder 28 and 7 days before a competency expires.

    Each reminder is claimed by inserting a `Reminder` row (unique per competency, expiry and
    interval) in the transaction that queues its texts, whose idempotency keys name the same
    three things: running twice, or on two machines, sends nothing twice. A batch costs a fixed
    number of queries whatever its size.
    """
    now = now or timezone.now()
    sent = 0
    windows = {28: (now + datetime.timedelta(days=7), now + datetime.timedelta(days=28)), 7: (now, now + datetime.timedelta(days=7))}
    for days in REMINDER_DAYS:
        low, high = windows[days]
        already = Reminder.objects.filter(competency=OuterRef("pk"), days_before=days, valid_until=OuterRef("valid_until"))
        due = (
            Competency.objects.signed_off()
            .filter(valid_until__gt=low, valid_until__lte=high)
            .exclude(Exists(already))
            .order_by("valid_until", "pk")
        )
        clashes = 0
        while True:
            # Read outside the transaction first: with nothing due it costs one query, no transaction.
            ids = list(due.values_list("pk", flat=True)[:batch])
            try:
                done = _remind_batch(due.filter(pk__in=ids), days) if ids else 0
            except IntegrityError:
                # Another sweep claimed one of these first (nothing of ours is kept): read again.
                clashes += 1
                if clashes > 3:
                    raise
                continue
            sent += done
            if len(ids) < batch or not done:
                break
    return sent


@transaction.atomic
def _remind_batch(due, days):
    due = list(due.select_for_update(skip_locked=True, of=("self",)).select_related("recipient", "pa"))
    if not due:
        return 0
    Reminder.objects.bulk_create(
        [Reminder(competency=c, days_before=days, valid_until=c.valid_until) for c in due]
    )
    holders = _budget_holders_of({c.recipient_id for c in due})
    texts = []
    for competency in due:
        due_on = timezone.localtime(competency.valid_until)
        body = (
            f"paworkflow: record {reference(competency)} is due for review by {due_on:%d %b %Y}. "
            f"Details: {_link(competency)}"
        )
        for user in _pa_and(holders, competency):
            texts.append({
                "user": user, "body": body, "purpose": "competency_reminder", "recipient": competency.recipient,
                "idempotency_key": f"competency-{competency.pk}-expiry-{due_on:%Y%m%d%H%M}-{days}d-{user.pk}",
            })
    notifications.send_sms_many(texts)
    return len(due)


def _set_status(competency, status, *, actor, reason, at=None):
    at = at or timezone.now()
    competency.status = status
    competency.status_changed_at = at
    competency.save(update_fields=["status", "status_changed_at"])
    return CompetencyEvent.objects.create(competency=competency, status=status, actor=actor, at=at, reason=reason)


def _lapse(competency, status, *, actor, reason):
    previous = competency.status
    at = timezone.now()
    competency.status = status
    competency.status_changed_at = at
    competency.save(update_fields=["status", "status_changed_at"])
    return _after_lapses([competency], status, previous=previous, actor=actor, reason=reason, at=at)[0]


def _after_lapses(competencies, status, *, previous, actor, reason, at):
    """The records, audit rows, signal and texts of competencies that have just become `status`
    (`previous` is the status they had, or {pk: status}). Returns their events, in order.

    The records, audit rows and texts are written in one query each whatever the number; the
    signal goes once per competency. Each lapse texts each person once: the PA that their record
    changed; the budget holders the same, unless a receiver of `competency_lapsed` answered that
    it has told them already (the rota, when the lapse leaves shifts needing cover)."""
    if not competencies:
        return []
    was = previous if isinstance(previous, dict) else {c.pk: previous for c in competencies}
    events = CompetencyEvent.objects.bulk_create(
        [CompetencyEvent(competency=c, status=status, actor=actor, at=at, reason=reason) for c in competencies]
    )
    record_audits(actor=actor, entries=[
        (c.recipient, f"competency.{status}",
         f"{person_name(c.pa)} — {c.task.name}: {Status(status).label.lower()}. {reason}")
        for c in competencies
    ])
    # only a competency that could cover a shift "lapses" for the rota
    lapsed = [(c, e) for c, e in zip(competencies, events) if was[c.pk] in (Status.SIGNED_OFF, Status.SUSPENDED)]
    remember_permissions((c.pa, c.recipient) for c, _ in lapsed)  # the rota asks can(pa, ...) for each
    holders_told = set()
    for competency, _ in lapsed:
        answers = competency_lapsed.send(sender=Competency, competency=competency, reason=str(status))
        if any(answer for _, answer in answers):
            holders_told.add(competency.pk)
    _tell_pa_and_budget_holders(lapsed, holders_told=holders_told)
    return events


def reference(competency):
    return f"C{competency.pk}"


def _link(competency):
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("competencies:detail", args=[competency.pk])


def _budget_holders_of(recipient_ids):
    """{recipient pk: its active budget holders, by pk}, in one query."""
    holders = {}
    memberships = (
        Membership.objects.active().filter(recipient_id__in=recipient_ids, role=Role.BUDGET_HOLDER)
        .select_related("user").order_by("user_id")
    )
    for membership in memberships:
        holders.setdefault(membership.recipient_id, {})[membership.user_id] = membership.user
    return holders


def _pa_and(holders, competency, *, budget_holders=True):
    others = holders.get(competency.recipient_id, {}) if budget_holders else {}
    return [competency.pa, *(user for pk, user in others.items() if pk != competency.pa_id)]


def _tell_pa_and_budget_holders(lapses, *, holders_told=()):
    """Text the PA and the budget holders of each (competency, event); budget holders of the
    competencies in `holders_told` have heard of that lapse already. One batch of texts."""
    holders = _budget_holders_of({c.recipient_id for c, _ in lapses})
    texts = []
    for competency, event in lapses:
        # No task name or clinical words in a text: a reference and a link.
        body = (
            f"paworkflow: record {reference(competency)} is now {event.get_status_display().lower()}. "
            f"Details: {_link(competency)}"
        )
        for user in _pa_and(holders, competency, budget_holders=competency.pk not in holders_told):
            texts.append({
                "user": user, "body": body, "purpose": "competency_change", "recipient": competency.recipient,
                "idempotency_key": f"competency-event-{event.pk}-{user.pk}",
            })
    notifications.send_sms_many(texts)
