"""Everything that changes a hospital agreement until it is in force (while in force: in_force.py;
the home rota: home_rota.py): one function per action, keyword-only, one transaction each, with
its audit row and its texts (queued in the same transaction).

Flow steps (start, family confirmation, funding) get the activation Viewflow started for the
request. The ward's review and the discharge are `flow.Handle` nodes, because the ward may answer
through a link with no account, and discharge can come from either side: their services (here
and in in_force.py) change the agreement, and driving.py runs the node in the same transaction. Nothing here imports
the flow: the flow imports these.
"""
import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from care.kernel.names import person_name
from care.models import Membership, Role
from rota import services as rota

from . import home_rota, links, permissions, queries, texts
from .models import (
    AgreementEvent, ConditionsRead, HospitalAgreement, HospitalShift, HospitalTaskDecision, State, Support, WardLink,
    WardReview,
)
from .records import audit


def set_state(agreement, state, reason="", extra=()):
    agreement.state, agreement.state_reason = state, reason[:300]
    agreement.save(update_fields=["state", "state_reason", *extra])


# Gates: the flow asks these about the process.

def ward_accepted(activation):
    return activation.process.state == State.FUNDING


def ward_amended(activation):
    return activation.process.state == State.FAMILY_CONFIRM


def family_confirmed(activation):
    return activation.process.state == State.FUNDING


def handled_by(activation, user=None):
    """The Handle nodes' work is done by the service that runs them; the task records who."""
    if user is not None:
        activation.task.owner = user
        activation.task.save(update_fields=["owner"])


# Start: the family asks for an agreement.

# What a stay's dates may mean: an admission recorded up to a year late or booked up to four
# months ahead, and an expected discharge within a year of it (a longer stay is a new agreement,
# and the rota plans four weeks at a time). Anything further is a typing slip, and used to
# overflow the date arithmetic of the funding step, leaving the agreement stuck open.
ADMITTED_UP_TO = datetime.timedelta(days=365)
ADMITTED_AHEAD_UP_TO = datetime.timedelta(days=120)
LONGEST_STAY = datetime.timedelta(days=365)
# Employer's liability policies run for a year, a few at most.
INSURANCE_UP_TO = datetime.timedelta(days=5 * 366)


def stay_date_errors(admission_date, expected_discharge, today=None):
    """field -> message for stay dates outside their windows (the start form shows them by field)."""
    today = today or timezone.localdate()
    errors = {}
    if admission_date is not None and not (
            today - ADMITTED_UP_TO <= admission_date <= today + ADMITTED_AHEAD_UP_TO):
        errors["admission_date"] = ("The admission must be within a year before today or within four months "
                                    "after today.")
    elif admission_date is not None and expected_discharge is not None:
        if expected_discharge < admission_date:
            errors["expected_discharge"] = "The expected discharge cannot be before the admission."
        elif expected_discharge - admission_date > LONGEST_STAY:
            errors["expected_discharge"] = ("The expected discharge must be within a year of the admission: "
                                            "for a longer stay, start a new agreement later.")
    return errors


def _check_terms(*, recipient, ward_manager, ward_contact_mobile, ward_contact_email, admission_date,
                 expected_discharge, pas, support, support_notes):
    errors = []
    if ward_manager is not None and not Membership.objects.active().filter(
            recipient=recipient, user=ward_manager, role=Role.WARD_MANAGER).exists():
        errors.append(f"{person_name(ward_manager)} is not a ward manager in {recipient}'s circle.")
    if ward_manager is None and not (ward_contact_mobile or ward_contact_email):
        errors.append("Give the ward contact's mobile or email (they get the link to review it), "
                      "or choose a ward manager from the circle.")
    if admission_date is None or expected_discharge is None:
        errors.append("Give the admission date and the expected discharge.")
    errors += list(stay_date_errors(admission_date, expected_discharge).values())
    if not pas:
        errors.append("Choose at least one PA.")
    in_circle = set(Membership.objects.active().filter(recipient=recipient, role=Role.PA).values_list("user", flat=True))
    errors += [f"{person_name(pa)} is not a PA in {recipient}'s circle." for pa in pas if pa.pk not in in_circle]
    if set(support) - set(Support.values):
        errors.append("Choose support from the standard list.")
    if not support and not support_notes.strip():
        errors.append("Say what the PAs will do on the ward: choose from the list or describe it.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def start_agreement(*, activation, actor, recipient, hospital, ward, ward_contact_name, admission_date,
                    expected_discharge, pas, support, support_notes="", ward_contact_mobile="", ward_contact_email="",
                    ward_manager=None, asked_to_allow=()):
    """The start step. `asked_to_allow` holds competency ids the family asks the ward to allow;
    every other signed-off task of the named PAs is recorded as kept by the ward."""
    if not permissions.may_start(actor, recipient):
        raise PermissionDenied("Only the budget holder or a carer can ask for a hospital agreement.")
    pas = list(pas)
    _check_terms(recipient=recipient, ward_manager=ward_manager, ward_contact_mobile=ward_contact_mobile,
                 ward_contact_email=ward_contact_email, admission_date=admission_date,
                 expected_discharge=expected_discharge, pas=pas, support=support, support_notes=support_notes)
    if not (hospital.strip() and ward.strip() and ward_contact_name.strip()):
        raise ValidationError("Give the hospital, the ward and the ward contact's name.")
    current = queries.open_agreement(recipient)
    if current is not None:
        raise ValidationError(f"{recipient} already has an open hospital agreement ({current.reference}).")
    agreement = activation.process
    for field, value in dict(
        recipient=recipient, requested_by=actor, hospital=hospital.strip(), ward=ward.strip(),
        ward_contact_name=ward_contact_name.strip(), ward_contact_mobile=ward_contact_mobile,
        ward_contact_email=ward_contact_email.strip().lower(), ward_manager=ward_manager,
        admission_date=admission_date, expected_discharge=expected_discharge, support=list(support),
        support_notes=support_notes.strip(), state=State.WARD_REVIEW,
    ).items():
        setattr(agreement, field, value)
    agreement.save()
    agreement.pas.set(pas)
    asked = {int(pk) for pk in asked_to_allow}
    HospitalTaskDecision.objects.bulk_create([
        HospitalTaskDecision(agreement=agreement, pa=c.pa, task=c.task, competency=c, ward_allows=c.pk in asked)
        for c in queries.signed_off_tasks(recipient, pas)
    ])
    audit(agreement, actor, "started", f"asked {ward}, {hospital} for an agreement for {len(pas)} PA(s)")
    activation.execute()
    return agreement


# The ward's review.

def _changes(agreement, support, allows):
    """What the ward changed from the family's proposal, in words (for the family to confirm)."""
    changes = []
    for code in Support.values:
        if code in agreement.support and code not in support:
            changes.append(f"Removed: {Support(code).label}")
        elif code in support and code not in agreement.support:
            changes.append(f"Added: {Support(code).label}")
    for decision in agreement.task_decisions.select_related("pa", "task"):
        wanted = decision.pk in allows
        if wanted != decision.ward_allows:
            changes.append(f"{person_name(decision.pa)}, {decision.task.name}: "
                           f"{'the ward allows the PA to do it' if wanted else 'the ward keeps it'}")
    return changes


@transaction.atomic
def review(*, agreement, reviewer, via_link, decision, reviewer_name, reviewer_role="", reason="", support=(),
           allows=(), report_to="", infection_control="", id_badge="", present_from=None, present_until=None,
           escalation_contacts=""):
    """The ward's answer (as the ward manager, or through the link): its conditions, task by task
    what the PAs may do, and accept, amend or decline."""
    agreement = HospitalAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.state != State.WARD_REVIEW:
        raise ValidationError("This agreement has already been reviewed.")
    if not reviewer_name.strip():
        raise ValidationError("Give your name: it goes on the signed agreement.")
    support, allows = list(support), {int(pk) for pk in allows}
    changes = []
    if decision == WardReview.Decision.DECLINE:
        if not reason.strip():
            raise ValidationError("Give the reason for declining: the family will see it.")
        set_state(agreement, State.DECLINED, reason)
    elif decision in (WardReview.Decision.ACCEPT, WardReview.Decision.AMEND):
        missing = [label for label, value in [("who the PA reports to on arrival", report_to),
                                              ("the hours the PA is present", present_from and present_until),
                                              ("escalation contacts", escalation_contacts)] if not value]
        if missing:
            raise ValidationError(f"Give the ward's conditions: {', '.join(missing)}.")
        if present_from == present_until:
            raise ValidationError("The PA's hours on the ward must start and end at different times.")
        if set(support) - set(Support.values):
            raise ValidationError("Choose support from the standard list.")
        changes = _changes(agreement, support, allows)
        if decision == WardReview.Decision.ACCEPT and changes:
            raise ValidationError("You changed the agreement: choose Amend, so the family can confirm the changes.")
        if decision == WardReview.Decision.AMEND and not changes:
            raise ValidationError("Nothing was changed: choose Accept, or change what the PAs may do.")
        agreement.support = support
        agreement.report_to, agreement.infection_control, agreement.id_badge = report_to, infection_control, id_badge
        agreement.present_from, agreement.present_until = present_from, present_until
        agreement.escalation_contacts = escalation_contacts
        for row in agreement.task_decisions.all():
            if row.ward_allows != (row.pk in allows):
                row.ward_allows = row.pk in allows
                row.save(update_fields=["ward_allows"])
        state = State.FUNDING if decision == WardReview.Decision.ACCEPT else State.FAMILY_CONFIRM
        agreement.state, agreement.state_reason = state, ""
        agreement.save(update_fields=["support", "report_to", "infection_control", "id_badge", "present_from",
                                      "present_until", "escalation_contacts", "state", "state_reason"])
    else:
        raise ValidationError("Choose accept, amend or decline.")
    WardReview.objects.create(agreement=agreement, decision=decision, reviewer=reviewer, via_link=via_link,
                              reviewer_name=reviewer_name.strip(), reviewer_role=reviewer_role.strip(),
                              reason=reason.strip(), changes=changes)
    audit(agreement, reviewer, "reviewed",
          f"{WardReview.Decision(decision).label.split(' (')[0]} by {reviewer_name.strip()}"
          f"{' (ward link)' if via_link else ''}")
    texts.to_user(agreement, agreement.requested_by, "answered", texts.ward_answered(agreement))
    return agreement


# The family confirms the ward's changes; the budget holder funds.

@transaction.atomic
def confirm_changes(*, activation, actor, agreed, notes=""):
    agreement = activation.process
    if agreed:
        set_state(agreement, State.FUNDING)
    else:
        set_state(agreement, State.NOT_AGREED, notes or "The family did not agree to the ward's changes.")
    kind = AgreementEvent.Kind.CONFIRMED if agreed else AgreementEvent.Kind.NOT_CONFIRMED
    AgreementEvent.objects.create(agreement=agreement, kind=kind, actor=actor, reason=notes[:300])
    audit(agreement, actor, kind, kind.label)
    activation.execute()


def _employer_errors(hours_funded, insurance_covers, insurer, policy_number, insurance_expires):
    errors = []
    if not hours_funded:
        errors.append("Confirm the hours are funded from the personal health budget.")
    if not insurance_covers:
        errors.append("Confirm your employer's and public liability insurance covers the PAs on hospital premises.")
    if not (insurer.strip() and policy_number.strip() and insurance_expires):
        errors.append("Give the insurer, the policy number and the date the policy expires.")
    elif insurance_expires < timezone.localdate():
        errors.append("The insurance has already expired: renew it before the PAs go to the ward.")
    elif insurance_expires > timezone.localdate() + INSURANCE_UP_TO:
        errors.append("Give the date the policy really expires: it must be within five years.")
    return errors


@transaction.atomic
def fund(*, activation, actor, hours_funded, insurance_covers, insurer, policy_number, insurance_expires, plan,
         home=None):
    """The employer's confirmation; the family's choice for each home shift inside the stay
    (`home`: shift id -> keep, cancel or turn, see home_rota.py); then the hospital shifts through
    the rota's gate. `plan` maps each day to the PA covering it (or None). Every refusal is
    reported at once and nothing is saved. Each PA gets one text. Returns warnings."""
    agreement = activation.process
    home = dict(home or {})
    errors = _employer_errors(hours_funded, insurance_covers, insurer, policy_number, insurance_expires)
    pas = {pa.pk: pa for pa in agreement.pas.all()}
    days = set(queries.plan_days(agreement))
    if any(day not in days or (pa is not None and pa.pk not in pas) for day, pa in plan.items()):
        errors.append("Plan shifts only for the days of this stay still ahead, and only for the PAs named in the "
                      "agreement.")
    home_shifts = queries.home_shifts_during(agreement)
    errors += home_rota.choice_errors(agreement, home_shifts, home, plan, pas)
    if errors:
        raise ValidationError(errors)
    agreement.funded_by, agreement.funded_at = actor, timezone.now()
    agreement.insurer, agreement.policy_number = insurer.strip(), policy_number.strip()
    agreement.insurance_expires = insurance_expires
    set_state(agreement, State.ACTIVE, extra=["funded_by", "funded_at", "insurer", "policy_number", "insurance_expires"])
    allowed = queries.allowed_tasks_by_pa(agreement)
    refusals, turned, home_cancelled = home_rota.settle(agreement=agreement, actor=actor, home=home_shifts,
                                                        choices=home, allowed=allowed)
    days_of = {pk: [day for day, pa_pk in turned.items() if pa_pk == pk] for pk in pas}
    for day, pa in sorted(plan.items()):
        if pa is None or day in turned:
            continue
        start, end = queries.shift_times(agreement, day)
        if start is None or end is None:
            refusals.append(f"{day:%a %d %b}: the clocks change during the ward's hours; book that day on the rota.")
            continue
        try:
            shift = rota.create_shift(
                recipient=agreement.recipient, start=start, end=end, kind="hospital", actor=actor,
                tasks=allowed.get(pa.pk, ()), pa=pa, location=f"{agreement.ward}, {agreement.hospital}"[:200],
                notes=f"Hospital agreement {agreement.reference}", tell_pa=False,
            )
        except ValidationError as refusal:
            # every refusal at once: create_shift's savepoint undid this one, the whole funding rolls back below
            refusals += [f"{person_name(pa)} on {day:%a %d %b}: {m}" for m in refusal.messages]
            continue
        HospitalShift.objects.create(agreement=agreement, shift=shift)
        days_of[pa.pk].append(day)
    if refusals:
        raise ValidationError(refusals)
    for pa in pas.values():
        texts.to_user(agreement, pa, "active", texts.shifts_for_you(agreement, sorted(days_of[pa.pk]),
                                                                    home_cancelled=pa.pk in home_cancelled))
    for pa in get_user_model().objects.filter(pk__in=set(home_cancelled) - set(pas)):
        texts.to_user(agreement, pa, "home-cancelled", texts.home_shifts_cancelled(agreement, home_cancelled[pa.pk]))
    if agreement.reviews.filter(via_link=True).exists():
        # the ward contact has no account: their link to the agreement in force, by the same channel
        links.issue_link(agreement=agreement, actor=actor, purpose=WardLink.Purpose.IN_FORCE)
    booked = sum(len(d) for d in days_of.values())
    AgreementEvent.objects.create(agreement=agreement, kind=AgreementEvent.Kind.FUNDED, actor=actor,
                                  reason=f"{booked} hospital shift(s) booked; {len(home_shifts)} home shift(s) settled")
    audit(agreement, actor, "funded", f"funding and insurance ({insurer.strip()}) confirmed; {booked} shift(s) booked")
    activation.execute()
    return queries.warnings(agreement)


@transaction.atomic
def confirm_conditions_read(*, agreement, actor):
    """A PA named in the agreement confirms, on their phone, that they read the ward's conditions
    and will follow them (once; before their first hospital shift)."""
    if not agreement.pas.filter(pk=actor.pk).exists():
        raise PermissionDenied("Only a PA named in the agreement confirms the ward's conditions.")
    agreement = HospitalAgreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.agreed or not agreement.report_to:
        raise ValidationError("There are no agreed conditions to confirm yet.")
    if agreement.conditions_read.filter(pa=actor).exists():
        raise ValidationError("You have already confirmed the ward's conditions.")
    ConditionsRead.objects.create(agreement=agreement, pa=actor)
    audit(agreement, actor, "conditions_read", f"{person_name(actor)} read and confirmed the ward's conditions")
