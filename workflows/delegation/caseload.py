"""Concerns on the coordinator's caseload (care.caseload): every concern a PA raised that nobody
has answered yet, the oldest first. One query, whatever the number of families."""
from django.urls import reverse
from django.utils import timezone

from care import caseload
from care.kernel.names import person_name

from .models import Concern


@caseload.source("concerns", "Concerns raised and not answered")
def unanswered_concerns(recipient_ids, today):
    concerns = Concern.objects.filter(recipient__in=recipient_ids, responses__isnull=True).select_related("raised_by")
    for concern in concerns:
        raised = timezone.localtime(concern.raised_at)
        yield caseload.Attention(
            recipient_id=concern.recipient_id, kind="concerns", level=caseload.NOW, when=raised.date(),
            title=f"Concern {concern.reference} raised by {person_name(concern.raised_by)} on "
            f"{raised:%d %b %Y %H:%M}, not answered",
            url=reverse("workflows:concern", args=[concern.pk]),
        )
