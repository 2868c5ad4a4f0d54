"""Competencies' rows on the coordinator's caseload (care.caseload): suspended ones, ones that
expired in the last 28 days without a new one for the same PA and task, and reviews due in the
next 28 days. One query, whatever the number of families."""
import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from care import caseload
from care.kernel.clock import local_midnight
from care.kernel.names import person_name

from .models import Competency, Status

WINDOW_DAYS = 28


@caseload.source("competency", "Competencies suspended, expired or due for review in 28 days")
def competencies_needing_attention(recipient_ids, today):
    now = timezone.now()
    since = local_midnight(today, days=-WINDOW_DAYS)
    renewed = Competency.objects.live().filter(pa=OuterRef("pa"), recipient=OuterRef("recipient"),
                                               task=OuterRef("task"))
    rows = (
        Competency.objects.filter(recipient__in=recipient_ids)
        .filter(Q(status=Status.SUSPENDED)
                | Q(status=Status.SIGNED_OFF, valid_until__lt=local_midnight(today, days=WINDOW_DAYS + 1))
                | (Q(status=Status.EXPIRED, status_changed_at__gte=since) & ~Exists(renewed)))
        .select_related("pa", "task")
    )
    for competency in rows:
        who = f"{person_name(competency.pa)}, {competency.task.name}"
        url = reverse("competencies:detail", args=[competency.pk])
        if competency.status == Status.SIGNED_OFF and competency.valid_until > now:
            until = timezone.localdate(competency.valid_until)
            yield caseload.Attention(recipient_id=competency.recipient_id, kind="competency", level=caseload.SOON,
                                     when=until, title=f"{who}: review due by {until:%d %b %Y}", url=url)
        else:
            what = "suspended" if competency.status == Status.SUSPENDED else "expired"
            since_day = timezone.localdate(competency.valid_until if what == "expired" and competency.valid_until
                                           else competency.status_changed_at)
            yield caseload.Attention(recipient_id=competency.recipient_id, kind="competency", level=caseload.NOW,
                                     when=since_day, title=f"{who}: {what} since {since_day:%d %b %Y}", url=url)
