"""The hospital section of everyone's home page: reviews waiting for a ward manager, changes
waiting for the family, funding waiting for the budget holder, agreements a PA works under,
suspensions and overdue discharges."""
from django.urls import reverse
from django.utils import timezone

from care.home import Attention, register

from . import permissions
from .models import IN_FORCE, OPEN_STATES, HospitalAgreement, State


def _url(agreement):
    return reverse("workflows:hospital:process_detail", args=[agreement.pk])


@register("Hospital agreements")
def hospital_agreements(user, recipients):
    ids = [r.pk for r in recipients]
    agreements = (
        HospitalAgreement.objects.filter(recipient__in=ids, state__in=OPEN_STATES)
        .select_related("recipient").order_by("pk")
    )
    items = []
    today = timezone.localdate()
    for agreement in agreements:
        if not permissions.may_view(user, agreement):
            continue
        where = f"{agreement.ward}, {agreement.hospital}"
        title = None
        if agreement.state == State.WARD_REVIEW and permissions.is_ward(user, agreement):
            title = f"Review the PA-in-hospital agreement for {agreement.recipient}"
        elif agreement.state == State.FAMILY_CONFIRM and permissions.may_start(user, agreement.recipient):
            title = f"The ward amended {agreement.reference} for {agreement.recipient}: confirm the changes"
        elif agreement.state == State.FUNDING and permissions.holds(user, permissions.EMPLOYER, agreement.recipient):
            title = f"Confirm funding and insurance for {agreement.reference} ({agreement.recipient})"
        elif agreement.state in IN_FORCE:
            if agreement.expected_discharge < today and permissions.may_discharge(user, agreement):
                title = f"{agreement.reference}: the expected discharge ({agreement.expected_discharge:%d %b}) has passed"
            elif agreement.report_to and agreement.pas.filter(pk=user.pk).exists() and \
                    not agreement.conditions_read.filter(pa=user).exists():
                title = f"Before your first hospital shift: read and confirm the ward's conditions ({agreement.reference})"
            elif agreement.state == State.SUSPENDED:
                title = f"{agreement.reference} for {agreement.recipient} is suspended by the ward"
            else:
                title = f"{agreement.recipient} is on {where} ({agreement.reference})"
        if title:
            urgent = (agreement.state == State.SUSPENDED or agreement.expected_discharge < today
                      or title.startswith("Before your first"))
            items.append(Attention(title=title, detail=where, url=_url(agreement), urgent=urgent and agreement.in_force))
    return items
