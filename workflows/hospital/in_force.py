"""While a hospital agreement is in force: the ward suspends and resumes it (as the ward manager,
or through its link), either side records the discharge (now, or planned for a later day), the
expected discharge moves; and the periodic work: ending planned discharges, reminding overdue
ones. One function per action, keyword-only, one transaction each, with its audit row and texts.
"""
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rota import services as rota
from rota.queries import budget_holders

from . import permissions, queries, texts
from .models import IN_FORCE, AgreementEvent, HospitalAgreement, State
from .records import audit
from .services import LONGEST_STAY, set_state


def _in_force_locked(agreement):
    return HospitalAgreement.objects.select_for_update().get(pk=agreement.pk)


SUSPENDED_BY_THE_WARD = "Suspended by the ward"


def _tell_of_suspension(agreement, event, pa_body, holder_body):
    """The PAs and the budget holders, once each per suspension or resumption."""
    for pa in agreement.pas.all():
        texts.to_user(agreement, pa, f"{event.kind}-{event.pk}", pa_body)
    for holder in budget_holders(agreement.recipient):
        texts.to_user(agreement, holder, f"{event.kind}-{event.pk}", holder_body)


def _ward_may(actor, agreement, by_link):
    """The ward manager in the circle, or the ward contact through their claimed link (links.py)."""
    return by_link or permissions.is_ward(actor, agreement)


@transaction.atomic
def suspend(*, agreement, actor, reason, by_link=False):
    """The ward suspends the agreement: its hospital shifts still to come show "Suspended by the
    ward" to everyone, the PAs and the budget holder are told once."""
    if not _ward_may(actor, agreement, by_link):
        raise PermissionDenied("Only the ward can suspend the agreement.")
    if not reason.strip():
        raise ValidationError("Give the reason: the PAs are told it is suspended, the family sees why.")
    agreement = _in_force_locked(agreement)
    if agreement.state != State.ACTIVE:
        raise ValidationError("Only an agreement in place can be suspended.")
    set_state(agreement, State.SUSPENDED, reason.strip())
    event = AgreementEvent.objects.create(agreement=agreement, kind=AgreementEvent.Kind.SUSPENDED, actor=actor,
                                          reason=reason.strip()[:300])
    for shift in queries.shifts_to_come(agreement):
        rota.hold_shift(shift=shift, actor=actor, reason=SUSPENDED_BY_THE_WARD)
    _tell_of_suspension(agreement, event, texts.suspended(agreement), texts.suspended_to_family(agreement))
    audit(agreement, actor, "suspended", f"{reason.strip()}{' (ward link)' if by_link else ''}")
    return agreement


@transaction.atomic
def resume(*, agreement, actor, by_link=False):
    """The ward lifts the suspension: the shifts still to come are no longer held (those that fell
    inside the suspension keep saying so), and the same people are told once."""
    if not _ward_may(actor, agreement, by_link):
        raise PermissionDenied("Only the ward can resume the agreement.")
    agreement = _in_force_locked(agreement)
    if agreement.state != State.SUSPENDED:
        raise ValidationError("Only a suspended agreement can be resumed.")
    set_state(agreement, State.ACTIVE)
    event = AgreementEvent.objects.create(agreement=agreement, kind=AgreementEvent.Kind.RESUMED, actor=actor)
    for shift in queries.shifts_to_come(agreement):
        rota.release_shift(shift=shift, actor=actor)
    _tell_of_suspension(agreement, event, texts.resumed(agreement), texts.resumed(agreement))
    audit(agreement, actor, "resumed", f"resumed by the ward{' (ward link)' if by_link else ''}")
    return agreement


def discharge_date_error(agreement, discharged_on, today=None):
    """Why `discharged_on` cannot be this agreement's discharge date, or None."""
    if discharged_on < agreement.admission_date:
        return "The discharge cannot be before the admission."
    if discharged_on - agreement.admission_date > LONGEST_STAY:
        return "The discharge must be within a year of the admission."
    return None


def _cancel_after(agreement, actor, day, reason, tell_pa=False):
    """Cancel the agreement's hospital shifts after `day`; returns the ids of the PAs who had one."""
    pas = set()
    for shift in queries.shifts_after(agreement, day):
        rota.cancel_shift(shift=shift, actor=actor, reason=reason, tell_pa=tell_pa)
        if shift.pa_id:
            pas.add(shift.pa_id)
    return pas


def _tell_pas_of_discharge(agreement, day, cancelled_for):
    """One text per PA at discharge (named in the agreement or with a shift cancelled by it),
    never one per cancelled shift. Keyed by the date, so the job ending a planned discharge does
    not tell them again."""
    for pa in get_user_model().objects.filter(Q(pk__in=cancelled_for) | Q(hospital_agreements_as_pa=agreement)).distinct():
        texts.to_user(agreement, pa, f"discharge-{day:%Y%m%d}",
                      texts.discharge(agreement, day, shifts_cancelled=pa.pk in cancelled_for))


def _end(agreement, actor, day, summary):
    agreement.discharged_on = day
    set_state(agreement, State.DISCHARGED, extra=["discharged_on"])
    AgreementEvent.objects.create(agreement=agreement, kind=AgreementEvent.Kind.DISCHARGED, actor=actor,
                                  reason=f"Discharged on {day:%d %b %Y}")
    audit(agreement, actor, "discharged", summary)


@transaction.atomic
def discharge(*, agreement, actor, discharged_on=None, shifts_going=None, now=None, by_link=False):
    """Record the discharge on `discharged_on` (today if None). Hospital shifts up to and on that
    day stand; the later ones are cancelled, and each PA gets one text. A past or present date
    ends the agreement now; a future date plans the discharge: the agreement stays in force and
    the periodic job ends it on that day (end_planned_discharge).

    `shifts_going` holds the ids of the shifts the person was shown as cancelled when they
    confirmed; if the rota changed since, nothing is done and they are asked to look again.
    Returns True when the agreement ended now (the caller then ends the flow), False when planned.
    """
    if not (by_link or permissions.may_discharge(actor, agreement)):
        raise PermissionDenied("Only the family or the ward can record the discharge.")
    now = now or timezone.now()
    agreement = _in_force_locked(agreement)
    if agreement.state not in IN_FORCE:
        raise ValidationError("This agreement is not in force.")
    today = timezone.localdate(now)
    day = discharged_on or today
    error = discharge_date_error(agreement, day)
    if error:
        raise ValidationError(error)
    going = queries.shifts_after(agreement, day)
    if shifts_going is not None and {int(pk) for pk in shifts_going} != {s.pk for s in going}:
        raise ValidationError("The hospital shifts changed since you looked: check which ones go, then confirm again.")
    cancelled_for = _cancel_after(agreement, actor, day, f"Discharged on {day:%d %b}: agreement {agreement.reference}")
    _tell_pas_of_discharge(agreement, day, cancelled_for)
    summary = (f"discharged on {day:%d %b %Y}; {len(going)} hospital shift(s) after it cancelled"
               f"{' (ward link)' if by_link else ''}")
    if day > today:
        agreement.planned_discharge = agreement.expected_discharge = day
        agreement.save(update_fields=["planned_discharge", "expected_discharge"])
        AgreementEvent.objects.create(agreement=agreement, kind=AgreementEvent.Kind.DISCHARGE_PLANNED, actor=actor,
                                      reason=f"Discharge planned for {day:%d %b %Y}; {len(going)} shift(s) cancelled")
        audit(agreement, actor, "discharge_planned", f"planned: {summary}")
        return False
    _end(agreement, actor, day, summary)
    return True


def end_planned_discharge(*, agreement, now=None):
    """For the periodic job: end an agreement whose planned discharge day has come. Claimed under
    the row lock (state still in force), so two runs end it once. Shifts booked after the plan
    was made for days after it are cancelled too, with the rota's own text (they are news to the
    PA). Returns True when this run ended it."""
    today = timezone.localdate(now)
    agreement = _in_force_locked(agreement)
    if agreement.state not in IN_FORCE or agreement.planned_discharge is None or agreement.planned_discharge > today:
        return False
    day = agreement.planned_discharge
    late = _cancel_after(agreement, None, day, f"Discharged on {day:%d %b}: agreement {agreement.reference}",
                         tell_pa=True)
    _end(agreement, None, day, f"planned discharge on {day:%d %b %Y} reached; {len(late)} PA(s) had later shifts cancelled")
    return True


@transaction.atomic
def change_expected_discharge(*, agreement, actor, expected_discharge):
    if not permissions.may_discharge(actor, agreement):
        raise PermissionDenied("Only the family or the ward can change the expected discharge.")
    agreement = _in_force_locked(agreement)
    if agreement.state not in IN_FORCE:
        raise ValidationError("This agreement is not in force.")
    if agreement.planned_discharge:
        raise ValidationError(f"The discharge is planned for {agreement.planned_discharge:%d %b %Y}: to change it, "
                              "record the discharge again with the new date.")
    if expected_discharge is None or expected_discharge < max(agreement.admission_date, timezone.localdate()):
        raise ValidationError("The new expected discharge must be today or later.")
    if expected_discharge - agreement.admission_date > LONGEST_STAY:
        raise ValidationError("The new expected discharge must be within a year of the admission.")
    old = agreement.expected_discharge
    agreement.expected_discharge = expected_discharge
    agreement.save(update_fields=["expected_discharge"])
    audit(agreement, actor, "expected_discharge", f"expected discharge {old:%d %b} -> {expected_discharge:%d %b %Y}")
    return agreement


def remind_overdue_discharges(*, now=None):
    """For the periodic job: the expected discharge has passed and the agreement is still in force.
    Each reminder is claimed with a conditional update, so two runs send it once."""
    today = timezone.localdate(now)
    sent = 0
    for agreement in queries.overdue_for_discharge(today):
        with transaction.atomic():
            claimed = HospitalAgreement.objects.filter(pk=agreement.pk, state__in=IN_FORCE).exclude(
                discharge_reminded_for=agreement.expected_discharge,
            ).update(discharge_reminded_for=agreement.expected_discharge)
            if claimed != 1:
                continue
            people = list(budget_holders(agreement.recipient))
            if agreement.ward_manager_id:
                people.append(agreement.ward_manager)
            for user in people:
                texts.to_user(agreement, user, f"discharge-due-{agreement.expected_discharge:%Y%m%d}",
                              texts.discharge_due(agreement))
            audit(agreement, None, "discharge_reminder", "expected discharge date passed; reminder sent")
            sent += 1
    return sent
