"""Respite's rows on the coordinator's caseload (care.caseload): carers' hours about to expire
and carers' assessments due for review. One query each, whatever the number of families."""
import datetime
from collections import OrderedDict

from django.urls import reverse

from care import caseload
from care.kernel.names import person_name

from .assessments import REMIND_DAYS
from .models import ZERO, CarerAssessment, Lot, hours_text

EXPIRING_DAYS = 30


@caseload.source("respite", "Respite hours expiring in 30 days")
def expiring_hours(recipient_ids, today):
    lots = (
        Lot.objects.holding_hours()
        .filter(account__recipient__in=recipient_ids, account__closed_on__isnull=True)
        .filter(expires_on__gt=today, expires_on__lte=today + datetime.timedelta(days=EXPIRING_DAYS))
        .select_related("account__carer")
    )
    by_account = OrderedDict()  # soonest expiry first (holding_hours' order)
    for lot in lots:
        first, hours = by_account.get(lot.account, (lot.expires_on, ZERO))
        by_account[lot.account] = (first, hours + lot.remaining)
    for account, (first, hours) in by_account.items():
        yield caseload.Attention(
            recipient_id=account.recipient_id, kind="respite", level=caseload.SOON, when=first,
            title=f"{hours_text(hours)} of {person_name(account.carer)}'s respite expire from {first:%d %b %Y}",
            url=reverse("respite:account", args=[account.pk]),
        )


@caseload.source("assessment", "Carers' assessments due for review")
def assessment_reviews(recipient_ids, today):
    due = (CarerAssessment.objects.review_due(on_or_before=today + datetime.timedelta(days=REMIND_DAYS))
           .filter(recipient__in=recipient_ids).select_related("carer"))
    for assessment in due:
        overdue = assessment.review_on < today
        yield caseload.Attention(
            recipient_id=assessment.recipient_id, kind="assessment",
            level=caseload.NOW if overdue else caseload.SOON, when=assessment.review_on,
            title=f"{person_name(assessment.carer)}'s carer's assessment {assessment.reference} "
            f"{'was' if overdue else 'is'} due for review on {assessment.review_on:%d %b %Y}",
            url=reverse("respite:assessment", args=[assessment.pk]),
        )
