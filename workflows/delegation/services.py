"""What each delegation step does, and the questions the flow's gates ask.

A step service validates, writes its record (here, or through competencies.services), and
completes the Viewflow task, in one transaction. The step views call them with the task
Viewflow has started for the request; driving.py runs the same steps without HTTP (demo data,
the benchmark, tests) and checks permissions itself, because Viewflow's activation transitions
do not. Nothing here imports the flow: the flow imports these.

A step's service always runs inside the step's own transaction (the flow's lock, taken by Viewflow's
view or by nodes.take_step), so it takes no savepoint of its own (`atomic(savepoint=False)`): an
error from it undoes the whole step, and until then Django refuses any further query in that
transaction, so nothing half-written can be committed by a caller that catches the error and goes
on. The one caller that does go on, a step's page showing its form again, holds the savepoint itself
(steps.StepView). The competencies services they call run the same way (`.in_step`).
"""
import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from viewflow.workflow.status import PROCESS

from care.kernel.names import person_name
from care.models import Membership, Role
from care.permissions import can
from care.services import record_audit
from competencies import services as competencies
from competencies.models import Competency, Outcome, Status

from . import permissions, texts
from .models import (
    AccountabilityHandover,
    AgreementTerms,
    ConditionChange,
    Supervision,
    DelegationAgreement,
    DelegationOutcome,
    DelegationProcess,
    DelegationRiskAssessment,
)

REVIEW_NOTICE = datetime.timedelta(days=28)
CLINICAL = "act_clinically"


# Gates: the flow asks these about the process (each gets the node's activation).

def _hand_on(process, key, record):
    """A record this step has just written (or locked and changed), for the gates after it.

    The process object travels through the whole activation chain of one step (the step, then each
    gate and node it leads to), and each step reads its task and process afresh, so a gate finds here
    only what the step it follows wrote, in the same transaction. A gate reached any other way (a
    timer firing, a review opened early) finds nothing and reads the database."""
    process.__dict__.setdefault("_written_by_step", {})[key] = record


def _handed_on(activation, key):
    return activation.process.__dict__.get("_written_by_step", {}).get(key)


def _competency(activation):
    # As this step left it (locked and changed by a competencies service), else fresh from the
    # database: the process's own cached competency may predate the step that changed it.
    return _handed_on(activation, "competency") or \
        Competency.objects.select_related("task").get(pk=activation.process.competency_id)


def _record_of(activation):
    """The competency by id only: the competencies services lock and load it themselves."""
    return Competency(pk=activation.process.competency_id)


def risk_accepted(activation):
    latest = _handed_on(activation, "risk_assessment") or \
        activation.process.risk_assessments.order_by("-assessed_at", "-pk").first()
    return latest is not None and latest.decision == DelegationRiskAssessment.Decision.PROCEED


def _agreed(activation, party):
    # one answer per party (a database constraint): the one this step wrote decides
    answer = _handed_on(activation, ("agreement", party))
    if answer is not None:
        return answer.agreed
    return activation.process.agreements.filter(party=party, agreed=True).exists()


def person_consented(activation):
    return _agreed(activation, DelegationAgreement.Party.PERSON)


def pa_accepted(activation):
    return _agreed(activation, DelegationAgreement.Party.PA)


def reassessing(activation):
    """A re-delegation whose clinician confirmed the earlier risk assessment still stands goes
    straight to an observed assessment: the PA was competent until the expiry."""
    if not activation.process.reassesses_id:
        return False
    latest = activation.process.risk_assessments.order_by("-assessed_at", "-pk").first()
    return bool(latest and latest.reuses_id)


def named_pa(activation):
    return activation.process.pa


def practised_enough(activation):
    # competencies.supervised_practices_done against the task's requirement, in one query
    done, required = (Competency.objects.filter(pk=activation.process.competency_id)
                      .annotate(done=Sum("training_records__supervised_practices"))
                      .values_list("done", "task__supervised_practices_required").get())
    return (done or 0) >= required


def assessed_competent(activation):
    return _competency(activation).status == Status.ASSESSED


def may_try_again(activation):
    return _competency(activation).status == Status.IN_TRAINING


def review_opens_at(activation):
    return _competency(activation).valid_until - REVIEW_NOTICE


def expires_at(activation):
    return _competency(activation).valid_until


def competency_live(activation):
    return _competency(activation).status in (Status.SIGNED_OFF, Status.SUSPENDED)


def renewed(activation):
    competency = _competency(activation)
    return competency.status == Status.SIGNED_OFF and competency.valid_until > timezone.now()


# Automatic steps (Function nodes).

def open_competency(activation):
    process = activation.process
    # inside the Function node's own savepoint, in the step's transaction
    competency = competencies.start_training.in_step(
        pa=process.pa, recipient=process.recipient, task=process.healthcare_task, actor=None
    )
    process.competency = competency
    process.save(update_fields=["competency"])


def expire_competency(activation):
    process = activation.process
    competencies.expire(competency=Competency(pk=process.competency_id))
    status = Competency.objects.values_list("status", flat=True).get(pk=process.competency_id)
    outcome = DelegationOutcome.EXPIRED if status == Status.EXPIRED else DelegationOutcome.REVOKED
    record_outcome(process, outcome, "The review date passed without a renewal" if status == Status.EXPIRED else "")


# Human steps.

def record_outcome(process, outcome, reason=""):
    """How the delegation ended, with the reason its requester sees."""
    process.outcome = outcome
    process.outcome_reason = reason[:300]
    process.save(update_fields=["outcome", "outcome_reason"])


def _audit(process, actor, action, summary):
    record_audit(actor=actor, recipient=process.recipient, action=f"delegation.{action}",
                 summary=f"{process.reference}: {summary}")


def validate_request(*, actor, recipient, pa, healthcare_task):
    """Refuse the request, or return the expired delegation it reassesses (expired_delegation), read
    with the check for one already under way: the delegations of this task to this PA for this
    person, one query (a few rows: one for each time it was delegated)."""
    if not permissions.may_request(actor, recipient):
        raise PermissionDenied("Only the budget holder, a carer or a clinician of this person can ask.")
    competencies.check_delegable(healthcare_task)
    if not Membership.objects.active().filter(recipient=recipient, user=pa, role=Role.PA).exists():
        raise ValidationError(f"{person_name(pa)} is not a PA in {recipient}'s circle.")
    earlier = list(DelegationProcess.objects.filter(recipient=recipient, pa=pa, healthcare_task=healthcare_task)
                   .select_related("competency").order_by("-created", "-pk"))
    open_one = next((process for process in earlier if process.status == PROCESS.NEW), None)
    if open_one:
        raise ValidationError(f"A delegation of this task to {person_name(pa)} is already under way ({open_one.reference}).")
    live = Competency.objects.live_one(pa=pa, recipient=recipient, task=healthcare_task)
    if live:
        raise ValidationError(
            f"{person_name(pa)} already has this task: {live.get_status_display().lower()} (record C{live.pk})."
        )
    return expired_delegation(earlier)


def expired_delegation(delegations):
    """Of `delegations` (of one task to one PA for one person, newest first), the last that ended,
    when it ended because its competency expired (unrenewed or lapsed), not because a clinician
    revoked it or the PA was found not competent: a new request reassesses it rather than starting over."""
    last = next((process for process in delegations if process.status != PROCESS.NEW), None)
    if last is None or last.competency is None or last.competency.status != Status.EXPIRED:
        return None
    return last


def reusable_assessment(process):
    """The risk assessment a re-delegation may confirm still stands, or None."""
    if not process.reassesses_id:
        return None
    return (DelegationRiskAssessment.objects.filter(process_id=process.reassesses_id,
                                                    decision=DelegationRiskAssessment.Decision.PROCEED)
            .select_related("assessor").order_by("-assessed_at", "-pk").first())


@transaction.atomic(savepoint=False)
def request_delegation(*, activation, actor, recipient, pa, healthcare_task, reason):
    """The start step: refuse a non-delegable task, a PA from outside the circle, or a duplicate."""
    reassesses = validate_request(actor=actor, recipient=recipient, pa=pa, healthcare_task=healthcare_task)
    if not reason.strip():
        raise ValidationError("Say why this task should be delegated.")
    process = activation.process
    process.recipient, process.pa, process.healthcare_task = recipient, pa, healthcare_task
    process.requested_by, process.reason = actor, reason
    process.reassesses = reassesses
    activation.execute()
    _audit(process, actor, "requested", f"{healthcare_task.name} to {person_name(pa)} requested by {person_name(actor)}")
    return process


@transaction.atomic(savepoint=False)
def assess_risk(*, activation, actor, decision, hazards="", controls="", reason="", still_stands=False):
    """The clinician's risk assessment. On a re-delegation, `still_stands` confirms the expired
    delegation's assessment: its hazards and controls are copied and linked, and the PA goes
    straight to an observed assessment."""
    process = activation.process
    declined = decision == DelegationRiskAssessment.Decision.DECLINE
    if declined and not reason.strip():
        raise ValidationError("Give the reason for declining: the person who asked will see it.")
    reused = None
    if still_stands:
        reused = reusable_assessment(process)
        if reused is None:
            raise ValidationError("There is no earlier risk assessment to reuse: assess the risk.")
        if declined:
            raise ValidationError("An assessment that still stands says it is safe: untick it to decline.")
        hazards, controls = reused.hazards, reused.controls
    if not hazards.strip():
        raise ValidationError("Say what the hazards are for this person.")
    _hand_on(process, "risk_assessment", DelegationRiskAssessment.objects.create(
        process=process, assessor=actor, hazards=hazards, controls=controls, decision=decision, reason=reason,
        reuses=reused,
    ))
    if declined:
        record_outcome(process, DelegationOutcome.DECLINED, reason)
    elif process.practitioner_id is None:
        # the clinician who assessed the risk is accountable for the decision, until a handover
        process.practitioner = actor
        process.save(update_fields=["practitioner"])
    _audit(process, actor, "risk_assessed", DelegationRiskAssessment.Decision(decision).label +
           (f" (the assessment of {process.reassesses.reference} still stands)" if reused else ""))
    activation.execute()


@transaction.atomic(savepoint=False)
def agree(*, activation, actor, party, agreed, notes=""):
    """One party's answer in the three-way agreement, with who and when. The PA's part is the
    named PA's alone (the step checks it too; this is the last line for any other way in)."""
    process = activation.process
    if party == DelegationAgreement.Party.PA and actor.pk != process.pa_id:
        raise PermissionDenied("Only the PA this delegation names can accept it.")
    _hand_on(process, ("agreement", party), DelegationAgreement.objects.create(
        process=process, party=party, given_by=actor, agreed=agreed, notes=notes))
    label = DelegationAgreement.Party(party).label
    if not agreed:
        record_outcome(process, DelegationOutcome.NOT_AGREED, f"{label} did not agree. {notes}".strip())
    elif party == DelegationAgreement.Party.PERSON:
        texts.asked_to_accept(process)
    _audit(process, actor, "agreement", f"{label} ({person_name(actor)}) {'agreed' if agreed else 'did not agree'}")
    activation.execute()


@transaction.atomic(savepoint=False)
def train(*, activation, actor, **record):
    requested_on = timezone.localdate(activation.process.created)
    competencies.record_training.in_step(competency=_record_of(activation), trainer=actor, not_before=requested_on,
                                         **record)
    activation.execute()


@transaction.atomic(savepoint=False)
def assess(*, activation, actor, assessed_on, results, notes=""):
    process = activation.process
    assessment = competencies.record_assessment.in_step(
        competency=_record_of(activation), assessor=actor, assessed_on=assessed_on, results=results, notes=notes,
        reassessment=reassessing(activation),
    )
    _hand_on(process, "competency", assessment.competency)
    if assessment.competency.status == Status.REVOKED:
        record_outcome(process, DelegationOutcome.NOT_COMPETENT,
                       f"Not competent after {competencies.MAX_ASSESSMENT_ATTEMPTS} assessments")
    activation.execute()
    return assessment


def assessment_result(assessment):
    """What the clinician is told after an assessment: the result and the attempts used."""
    if assessment.outcome == Outcome.PASSED:
        return "competent — ready for sign-off"
    failed = competencies.failed_attempts(assessment.competency)
    tail = "no attempts left: the delegation ends" if failed >= competencies.MAX_ASSESSMENT_ATTEMPTS else \
        "back to training"
    return f"not yet competent — attempt {failed} of {competencies.MAX_ASSESSMENT_ATTEMPTS}, {tail}"


def _accountable(process, actor, doing):
    """Signing off and reviewing are the accountable practitioner's decisions."""
    if process.practitioner_id is None:
        raise ValidationError(f"This delegation has no accountable practitioner: a clinician of the person takes "
                              f"it on (on the delegation's page) before {doing}.")
    if process.practitioner_id != actor.pk:
        raise ValidationError(f"Only the accountable practitioner, {person_name(process.practitioner)}, can "
                              f"decide this; they can hand accountability to you first.")


PLAN_FIELDS = ("care_plan_ref", "care_plan_version", "emergency_plan_ref", "emergency_plan_version", "emergency_plan")


def plans_on_record(recipient):
    """The care plan and emergency plan named at this person's last sign-off: the next sign-off
    starts from them (the plans are the person's, not the task's)."""
    last = AgreementTerms.objects.filter(process__recipient=recipient).order_by("-recorded_at", "-pk").first()
    return {name: getattr(last, name) for name in PLAN_FIELDS} if last else {}


def _terms(process, plans):
    plans = {name: str((plans or {}).get(name) or "").strip() for name in PLAN_FIELDS}
    missing = [AgreementTerms._meta.get_field(name).verbose_name for name, value in plans.items() if not value]
    if missing:
        raise ValidationError(f"The agreement needs the {', '.join(missing)}: the PA works to them.")
    terms = AgreementTerms(process=process, protocol_name=settings.DELEGATION_PROTOCOL["name"],
                           protocol_version=settings.DELEGATION_PROTOCOL["version"], **plans)
    terms.full_clean(exclude=["process"])
    terms.save()
    return terms


@transaction.atomic(savepoint=False)
def sign_off(*, activation, actor, notes="", review_interval_days=None, at=None, plans=None):
    """The practitioner sets the interval to the review, up to the catalogue's maximum (less
    for a PA's first sign-off for this person: competencies.max_review_days), and agrees the
    delegation agreement first of its three parties: the local protocol, the care plan and the
    emergency plan it rests on (`plans`: PLAN_FIELDS; left out, the person's plans on record).
    `at` backdates the sign-off only for demo data; the step's page always signs off now."""
    process = activation.process
    _accountable(process, actor, "signing off")
    _terms(process, plans if plans is not None else plans_on_record(process.recipient))
    record = competencies.sign_off.in_step(competency=_record_of(activation), actor=actor, notes=notes, at=at,
                                           review_interval_days=review_interval_days)
    _hand_on(process, "competency", record.competency)
    DelegationAgreement.objects.create(process=process, party=DelegationAgreement.Party.PRACTITIONER,
                                       given_by=actor, agreed=True, at=at or timezone.now())
    record_outcome(process, DelegationOutcome.SIGNED_OFF)
    texts.signed_off(process, record.valid_until)  # and asks the employer to agree
    activation.execute()
    return record


def agreement_parties(process):
    """{party: DelegationAgreement} of the agreement's three parties, so far."""
    parties = (DelegationAgreement.Party.PRACTITIONER, DelegationAgreement.Party.EMPLOYER,
               DelegationAgreement.Party.PA_SIGNED)
    return {a.party: a for a in process.agreements.all() if a.party in parties}


def _locked_for_agreement(process):
    process = DelegationProcess.objects.select_for_update().select_related("recipient", "pa").get(pk=process.pk)
    if process.outcome != DelegationOutcome.SIGNED_OFF or process.status != PROCESS.NEW:
        raise ValidationError("This delegation is not signed off and in force: there is nothing to agree.")
    return process, agreement_parties(process)


@transaction.atomic
def agree_as_employer(*, process, actor, choice_of, representative=""):
    """The employer (the budget holder) agrees, second, recording whose choice the delegation
    is: the person's own, or their representative's (named)."""
    process, parties = _locked_for_agreement(process)
    if not can(actor, "consent_delegation", process.recipient):
        raise PermissionDenied("Only the budget holder agrees as the PA's employer.")
    if DelegationAgreement.Party.PRACTITIONER not in parties:
        raise ValidationError("The practitioner has not agreed this delegation yet.")
    if DelegationAgreement.Party.EMPLOYER in parties:
        done = parties[DelegationAgreement.Party.EMPLOYER]
        raise ValidationError(f"{person_name(done.given_by)} already agreed as the employer on "
                              f"{timezone.localtime(done.at):%d %b %Y}.")
    if choice_of not in DelegationAgreement.Choice.values:
        raise ValidationError("Say whose choice this delegation is: the person's own or their representative's.")
    representative = representative.strip()
    if choice_of == DelegationAgreement.Choice.REPRESENTATIVE and not representative:
        raise ValidationError("Name the representative who made the choice for the person.")
    agreement = DelegationAgreement.objects.create(
        process=process, party=DelegationAgreement.Party.EMPLOYER, given_by=actor, agreed=True, choice_of=choice_of,
        representative=representative if choice_of == DelegationAgreement.Choice.REPRESENTATIVE else "",
    )
    _audit(process, actor, "agreement", f"the employer ({person_name(actor)}) agreed the delegation agreement")
    texts.agreement_for_pa(process)
    return agreement


@transaction.atomic
def acknowledge_as_pa(*, process, actor):
    """The named PA, last, acknowledges the signed agreement: its controls and emergency plan."""
    process, parties = _locked_for_agreement(process)
    if actor.pk != process.pa_id:
        raise PermissionDenied("Only the PA this delegation names acknowledges its agreement.")
    if DelegationAgreement.Party.EMPLOYER not in parties:
        raise ValidationError("The employer has not agreed this delegation yet: you acknowledge it after them.")
    if DelegationAgreement.Party.PA_SIGNED in parties:
        raise ValidationError("You have already acknowledged this agreement.")
    agreement = DelegationAgreement.objects.create(process=process, party=DelegationAgreement.Party.PA_SIGNED,
                                                   given_by=actor, agreed=True)
    _audit(process, actor, "agreement", f"the PA ({person_name(actor)}) acknowledged the delegation agreement")
    return agreement


def tell_review_open(activation):
    """The review step has opened: the accountable practitioner is told once, by text."""
    process = activation.process
    texts.review_open(process, _competency(activation).valid_until)


@transaction.atomic
def hand_over(*, process, actor, to, reason=""):
    """Accountability passes to another clinician of the person, as a recorded step both see.
    The accountable practitioner hands it on; when there is none (they left), any clinician of
    the person may take it on themselves."""
    process = DelegationProcess.objects.select_for_update().select_related("recipient").get(pk=process.pk)
    if not can(actor, CLINICAL, process.recipient):
        raise PermissionDenied("Only a clinician of this person can take on or hand over accountability.")
    if process.practitioner_id is not None and process.practitioner_id != actor.pk:
        raise PermissionDenied("Only the accountable practitioner can hand accountability over.")
    if process.status != PROCESS.NEW:
        raise ValidationError("This delegation has ended: there is nothing to hand over.")
    if to.pk == process.practitioner_id:
        raise ValidationError(f"{person_name(to)} is already accountable for this delegation.")
    if not Membership.objects.active().filter(recipient=process.recipient, user=to, role=Role.CLINICIAN).exists():
        raise ValidationError(f"{person_name(to)} is not a clinician in {process.recipient}'s circle.")
    handover = AccountabilityHandover.objects.create(
        process=process, from_practitioner_id=process.practitioner_id, to_practitioner=to, by=actor,
        reason=reason.strip()[:300],
    )
    process.practitioner = to
    process.save(update_fields=["practitioner"])
    _audit(process, actor, "handover", f"accountability to {person_name(to)}")
    if to.pk != actor.pk:
        texts.now_accountable(process, handover)
    return handover


@transaction.atomic
def practitioner_left(*, recipient, clinician):
    """The accountable clinician left the circle: each open delegation they held waits for a new
    one (sign-off and review refuse until then), and the person's coordinators are told."""
    orphaned = list(DelegationProcess.objects.select_for_update().filter(
        recipient=recipient, practitioner=clinician, status=PROCESS.NEW))
    coordinators = [m.user for m in Membership.objects.active().filter(recipient=recipient, role=Role.COORDINATOR)
                    .select_related("user")]
    for process in orphaned:
        AccountabilityHandover.objects.create(process=process, from_practitioner=clinician, to_practitioner=None,
                                              by=None, reason="The accountable clinician left the circle")
        process.practitioner = None
        process.save(update_fields=["practitioner"])
        _audit(process, None, "handover", f"{person_name(clinician)} left the circle: no accountable practitioner")
        for coordinator in coordinators:
            texts.needs_practitioner(process, coordinator)
    return orphaned


class Review:
    RENEW, REVOKE, CLOSE = "renew", "revoke", "close"


@transaction.atomic(savepoint=False)
def review(*, activation, actor, decision, reason="", notes="", results=None):
    """Renew (a new sign-off, then wait for the next review), revoke, or — when the competency
    already ended elsewhere — close the review. Renewing re-observes the PA against every
    criterion of the task (`results`, kept as a Supervision row): all met, or no renewal."""
    process = activation.process
    competency = _competency(activation)
    if decision == Review.RENEW:  # anyone clinical may stop an unsafe delegation; renewing is the practitioner's
        _accountable(process, actor, "renewing")
        criteria = competency.task.criteria
        if results is None or set(results) != set(criteria):
            raise ValidationError("Renewing re-observes the PA: mark every criterion met or not met.")
        if not all(results[c] for c in criteria):
            raise ValidationError("A criterion was not met on re-observation: revoke, or suspend the competency and "
                                  "retrain through a new delegation.")
        Supervision.objects.create(
            process=process, kind=Supervision.Kind.REVIEW, by=actor, on=timezone.localdate(), observed=True,
            outcome=Supervision.Outcome.SATISFACTORY, notes=notes,
            results=[{"criterion": c, "passed": bool(results[c])} for c in criteria],
        )
        competencies.renew(competency=competency, actor=actor, notes=notes)
    elif decision == Review.REVOKE:
        competencies.revoke(competency=competency, actor=actor, reason=reason)
        record_outcome(process, DelegationOutcome.REVOKED, reason)
    elif decision == Review.CLOSE:
        if competency.status in (Status.SIGNED_OFF, Status.SUSPENDED):
            raise ValidationError("This competency is still in force: renew or revoke it.")
        outcome = DelegationOutcome.EXPIRED if competency.status == Status.EXPIRED else DelegationOutcome.REVOKED
        record_outcome(process, outcome, f"Already {competency.get_status_display().lower()} before the review")
    else:
        raise ValidationError("Choose renew or revoke.")
    _audit(process, actor, "reviewed", decision)
    activation.execute()


def review_choices(competency):
    if competency.status == Status.SIGNED_OFF:
        return [(Review.RENEW, "Renew: still competent, sign off again"), (Review.REVOKE, "Revoke")]
    if competency.status == Status.SUSPENDED:
        return [(Review.REVOKE, "Revoke")]
    return [(Review.CLOSE, "Close the review (the competency has already ended)")]



# Between sign-off and review.

def _waiting_for_review(process):
    return process.task_set.filter(flow_task=_flow().wait_for_review, status=PROCESS_STATUS_SCHEDULED).first()


def _flow():
    # the flow imports this module; asked only when a step is already running
    from .flow import DelegationFlow

    return DelegationFlow


PROCESS_STATUS_SCHEDULED = "SCHEDULED"


def open_early_review(*, process, actor, reason):
    """Open the review now instead of on its date: the waiting timer fires at once (its
    practitioner is texted, as for any review). False when the delegation is not waiting for
    its review (already under review, in training, or ended)."""
    timer = _waiting_for_review(process)
    if timer is None:
        return False
    with timer.activation() as activation:
        if not activation.start.can_proceed():
            return False
        activation.start()
        activation.execute()
    _audit(process, actor, "early_review", f"review opened early: {reason}"[:200])
    return True


@transaction.atomic
def record_supervision(*, process, actor, on, observed, outcome, notes="", then=""):
    """A spot check or supervision session by a clinician of the person. On a concern the
    clinician may open an early review, or suspend the competency at once (`then`)."""
    if not can(actor, CLINICAL, process.recipient):
        raise PermissionDenied("Only a clinician of this person records supervision.")
    if process.competency_id is None or process.competency.status not in (Status.SIGNED_OFF, Status.SUSPENDED):
        raise ValidationError("Supervision is recorded between the sign-off and the review.")
    today = timezone.localdate()
    if on > today or on < today - datetime.timedelta(days=365):
        raise ValidationError({"on": "A day in the last year, not in the future."})
    if outcome == Supervision.Outcome.SATISFACTORY and then:
        raise ValidationError({"then": "An early review or a suspension follows a concern, not a satisfactory check."})
    if outcome != Supervision.Outcome.SATISFACTORY and not notes.strip():
        raise ValidationError({"notes": "Say what the concern is: it is kept with the record."})
    record = Supervision.objects.create(process=process, by=actor, on=on, observed=observed, outcome=outcome,
                                        notes=notes.strip())
    _audit(process, actor, "supervision", f"{record.get_kind_display()}: {record.get_outcome_display()}")
    if then == "suspend":
        competencies.suspend(competency=Competency(pk=process.competency_id), actor=actor,
                             reason=f"After supervision on {on:%d %b %Y}: {notes.strip()}"[:300])
    elif then == "early_review":
        if not open_early_review(process=process, actor=actor, reason="a concern at supervision"):
            raise ValidationError({"then": "The review is already open (or cannot open): use it."})
    return record


@transaction.atomic
def record_condition_change(*, recipient, actor, summary):
    """The person's condition changed: every live delegation waiting for its review opens it now."""
    if not (can(actor, CLINICAL, recipient) or can(actor, "consent_delegation", recipient)):
        raise PermissionDenied("A clinician or the budget holder records a change in the person's condition.")
    if not summary.strip():
        raise ValidationError({"summary": "Say what changed: the clinicians read it at the review."})
    change = ConditionChange.objects.create(recipient=recipient, recorded_by=actor, summary=summary.strip())
    record_audit(actor=actor, recipient=recipient, action="delegation.condition_change",
                 summary=f"Change in condition recorded by {person_name(actor)}")
    opened = []
    for process in DelegationProcess.objects.filter(recipient=recipient, status=PROCESS.NEW,
                                                    competency__status__in=(Status.SIGNED_OFF, Status.SUSPENDED)):
        if open_early_review(process=process, actor=actor, reason="a change in the person's condition"):
            opened.append(process)
    return change, opened
