"""Hospital admissions on the coordinator's caseload (care.caseload): agreements in force, the
ones past their expected discharge first. One query, whatever the number of families."""
from django.urls import reverse

from care import caseload

from .models import IN_FORCE, HospitalAgreement


@caseload.source("hospital", "Hospital admissions in force")
def admissions_in_force(recipient_ids, today):
    agreements = HospitalAgreement.objects.filter(recipient__in=recipient_ids, state__in=IN_FORCE).only(
        "pk", "recipient_id", "state", "admission_date", "expected_discharge")
    for agreement in agreements:
        overdue = agreement.expected_discharge < today
        yield caseload.Attention(
            recipient_id=agreement.recipient_id, kind="hospital",
            level=caseload.NOW if overdue else caseload.IN_FORCE,
            when=agreement.expected_discharge if overdue else agreement.admission_date,
            title=f"In hospital since {agreement.admission_date:%d %b %Y} ({agreement.reference}), "
            f"{'was ' if overdue else ''}expected home {agreement.expected_discharge:%d %b %Y}"
            + (" (suspended by the ward)" if agreement.state == "suspended" else ""),
            url=reverse("workflows:hospital:process_detail", args=[agreement.pk]),
        )
