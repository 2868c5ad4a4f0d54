"""Carers' assessments (Care Act 2014 s10) and the allowances that rest on them: recording an
assessment, changing an account's allowance, and telling coordinators when a review is due.

A carer's assessment is the carer's own, separate from the person's: the carer, the person's
budget holder and their coordinator see it (respite.access); every change is an audit row."""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

import notifications
from care.kernel.names import person_name
from care.models import Membership, Role
from care.permissions import can
from care.services import record_audit
from care.validators import shift_years

from .access import rights
from .models import (
    AssessmentReviewReminder, CarerAssessment, Eligibility, PeriodUnit, RespiteAccount, hours_problem, hours_text,
)

MAX_PERIOD_LENGTH = 52
REVIEW_WITHIN_YEARS = 3
REMIND_DAYS = 28


def assessment_link(assessment):
    return f"{settings.PUBLIC_BASE_URL}{reverse('respite:assessment', args=[assessment.pk])}"


def _respite_problems(hours, length, unit):
    """Respite hours agreed come whole (hours, every how many, weeks/months/years) or not at all."""
    given = [hours is not None, length is not None, bool(unit)]
    if not any(given):
        return {}
    if not all(given):
        return {"respite_hours": "Give the respite hours agreed with their period (e.g. 8 hours every 4 weeks), "
                                 "or leave all three blank."}
    errors = {}
    if hours <= 0:
        errors["respite_hours"] = "Respite hours agreed must be more than 0 (or leave them blank)."
    elif hours_problem(hours, "Respite hours agreed"):
        errors["respite_hours"] = hours_problem(hours, "Respite hours agreed")
    if not 1 <= length <= MAX_PERIOD_LENGTH:
        errors["respite_period_length"] = f"A period is 1 to {MAX_PERIOD_LENGTH} weeks, months or years."
    if unit not in PeriodUnit.values:
        errors["respite_period_unit"] = "Choose weeks, months or years."
    return errors


@transaction.atomic
def record_assessment(
    *, recipient, carer, actor, assessed_on, assessor, able_to_continue, willing_to_continue, impact, outcomes,
    eligibility, review_on, support="", respite_hours=None, respite_period_length=None, respite_period_unit="",
):
    """Record a carer's assessment; it supersedes the carer's previous one for this person."""
    if not rights(actor, recipient).is_coordinator:
        raise PermissionDenied("Only the person's PHB coordinator records carers' assessments.")
    texts = {name: (value or "").strip() for name, value in
             dict(assessor=assessor, impact=impact, outcomes=outcomes, support=support).items()}
    errors = {}
    if carer is None or not can(carer, "use_respite", recipient):
        errors["carer"] = f"{person_name(carer) if carer else 'This person'} is not a carer in {recipient}'s circle."
    for name, what in (("assessor", "who assessed"), ("impact", "the impact on the carer"),
                       ("outcomes", "the outcomes the carer wants")):
        if not texts[name]:
            errors[name] = f"Say {what}."
    if eligibility not in Eligibility.values:
        errors["eligibility"] = "Record the eligibility decision."
    today = timezone.localdate()
    if assessed_on is None:
        errors["assessed_on"] = "Give the date of the assessment."
    elif assessed_on > today:
        errors["assessed_on"] = "An assessment cannot be dated in the future: record it once it has taken place."
    elif assessed_on < shift_years(today, -1):
        errors["assessed_on"] = "Record an assessment within a year of it taking place: check the date."
    if review_on is None:
        errors["review_on"] = "Give the date the assessment is to be reviewed."
    elif assessed_on and review_on <= assessed_on:
        errors["review_on"] = "The review comes after the assessment."
    elif assessed_on and review_on > shift_years(assessed_on, REVIEW_WITHIN_YEARS):
        errors["review_on"] = f"Review an assessment within {REVIEW_WITHIN_YEARS} years of it."
    errors.update(_respite_problems(respite_hours, respite_period_length, respite_period_unit))
    if errors:
        raise ValidationError(errors)
    # `current()` outer-joins the assessment that superseded it; PostgreSQL locks only this side
    previous = (CarerAssessment.objects.select_for_update(of=("self",)).current()
                .filter(recipient=recipient, carer=carer).order_by("-pk").first())
    assessment = CarerAssessment.objects.create(
        recipient=recipient, carer=carer, assessed_on=assessed_on, able_to_continue=able_to_continue,
        willing_to_continue=willing_to_continue, eligibility=eligibility, review_on=review_on,
        respite_hours=respite_hours, respite_period_length=respite_period_length,
        respite_period_unit=respite_period_unit or "", supersedes=previous, recorded_by=actor, **texts,
    )
    record_audit(
        actor=actor, recipient=recipient, action="respite.assessment_recorded",
        summary=f"Carer's assessment {assessment.reference} of {person_name(carer)} on {assessed_on:%d %b %Y}: "
        f"{assessment.get_eligibility_display().split(':')[0].lower()}, {assessment.respite_display.lower()}, "
        f"review by {review_on:%d %b %Y}" + (f"; replaces {previous.reference}" if previous else ""),
    )
    return assessment


def allowance_problems(*, assessment, recipient, carer, allowance_hours, period_length, period_unit):
    """Why this allowance cannot rest on this assessment ({field: message}), or {}."""
    if assessment is None:
        return {"assessment": "Cite the carer's assessment the allowance comes from."}
    if assessment.recipient_id != recipient.pk or assessment.carer_id != carer.pk:
        return {"assessment": f"{assessment.reference} is another carer's assessment."}
    if hasattr(assessment, "superseded_by"):
        return {"assessment": f"{assessment.reference} has been replaced by {assessment.superseded_by.reference}: "
                              "cite the latest assessment."}
    if assessment.respite_hours is None:
        return {"assessment": f"{assessment.reference} agreed no respite hours."}
    if (period_length, period_unit) != (assessment.respite_period_length, assessment.respite_period_unit):
        return {"period_length": f"{assessment.reference} agreed {assessment.respite_display}: give the allowance "
                                 "for the same period."}
    if allowance_hours is not None and allowance_hours > assessment.respite_hours:
        return {"allowance_hours": f"{assessment.reference} agreed at most {assessment.respite_display}: "
                                   f"{hours_text(allowance_hours)} is more than that."}
    return {}


@transaction.atomic
def change_allowance(*, account, assessment, allowance_hours, actor):
    """A new allowance from the next period on, resting on the carer's current assessment."""
    if not rights(actor, account.recipient).is_coordinator:
        raise PermissionDenied("Only the person's PHB coordinator changes a respite allowance.")
    account = RespiteAccount.objects.select_for_update().select_related("recipient", "carer").get(pk=account.pk)
    errors = {}
    if account.closed_on is not None:
        errors["allowance_hours"] = "This respite account is closed."
    elif allowance_hours is None or allowance_hours <= 0:
        errors["allowance_hours"] = "The allowance must be more than 0 hours."
    elif hours_problem(allowance_hours, "The allowance"):
        errors["allowance_hours"] = hours_problem(allowance_hours, "The allowance")
    elif account.cap_hours is not None and allowance_hours > account.cap_hours:
        errors["allowance_hours"] = f"The account's cap is {hours_text(account.cap_hours)}: an allowance cannot be more."
    errors = errors or allowance_problems(
        assessment=assessment, recipient=account.recipient, carer=account.carer, allowance_hours=allowance_hours,
        period_length=account.period_length, period_unit=account.period_unit)
    if errors:
        raise ValidationError(errors)
    before = account.allowance_display
    account.allowance_hours, account.assessment = allowance_hours, assessment
    account.save(update_fields=["allowance_hours", "assessment"])
    record_audit(
        actor=actor, recipient=account.recipient, action="respite.allowance_changed",
        summary=f"Respite allowance of {person_name(account.carer)} from {before} to {account.allowance_display}, "
        f"as agreed in {assessment.reference}",
    )
    return account


def send_review_reminders(*, now=None):
    """Tell each coordinator of the person, once per review date, that a carer's assessment is due
    for review within 28 days (or overdue). Safe to run twice or on two machines."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    already = AssessmentReviewReminder.objects.filter(assessment=OuterRef("pk"), review_on=OuterRef("review_on"))
    due = (CarerAssessment.objects.review_due(on_or_before=today + datetime.timedelta(days=REMIND_DAYS))
           .exclude(Exists(already)).select_related("recipient"))
    return sum(_remind(assessment, now) for assessment in due)


@transaction.atomic
def _remind(assessment, now):
    # The reminder row is the claim: a second worker (or run) finds it and sends nothing.
    _, created = AssessmentReviewReminder.objects.get_or_create(
        assessment=assessment, review_on=assessment.review_on, defaults={"sent_at": now})
    if not created:
        return 0
    link = assessment_link(assessment)
    coordinators = Membership.objects.active().filter(recipient=assessment.recipient, role=Role.COORDINATOR)
    for membership in coordinators.select_related("user"):
        user = membership.user
        notifications.send_sms(
            user=user,
            body=f"paworkflow: carer's assessment {assessment.reference} is due for review on "
            f"{assessment.review_on:%d %b %Y}. {link}",
            purpose="carer_assessment_review",
            idempotency_key=f"respite-assessment-review-{assessment.pk}-{assessment.review_on:%Y%m%d}-{user.pk}",
            recipient=assessment.recipient,
        )
        if user.email:
            body = (f"Hello {user.first_name or user.username},\n\nCarer's assessment {assessment.reference} for "
                    f"{assessment.recipient.display_name}'s circle is due for review on "
                    f"{assessment.review_on:%d %B %Y}.\nOpen it: {link}\n")
            to = user.email
            transaction.on_commit(lambda body=body, to=to: send_mail(
                f"Carer's assessment {assessment.reference}: review due", body, None, [to]), robust=True)
    record_audit(actor=None, recipient=assessment.recipient, action="respite.assessment_review_due",
                 summary=f"Coordinators told that {assessment.reference} is due for review on "
                 f"{assessment.review_on:%d %b %Y}")
    return 1

