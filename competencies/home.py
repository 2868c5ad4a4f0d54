"""The competencies section of everyone's home page."""
from django.urls import reverse
from django.utils import timezone

from care.home import Attention, register
from care.kernel.names import person_name

from .models import Status
from .queries import needing_attention


@register("Competencies")
def competencies_needing_attention(user, recipients):
    items = []
    for competency in needing_attention(user, recipients):
        whose = "Your" if competency.pa_id == user.pk else f"{person_name(competency.pa)}'s"
        if competency.status == Status.SIGNED_OFF:
            detail = f"Expires {timezone.localtime(competency.valid_until):%d %b %Y %H:%M}"
            title = f"{whose} sign-off for {competency.task.name} ({competency.recipient}) is due for review"
        else:
            detail = f"Since {timezone.localtime(competency.status_changed_at):%d %b %Y %H:%M}"
            title = f"{whose} competency in {competency.task.name} ({competency.recipient}) is {competency.get_status_display().lower()}"
        items.append(
            Attention(title=title, detail=detail, url=reverse("competencies:detail", args=[competency.pk]),
                      urgent=competency.status != Status.SIGNED_OFF)
        )
    return items
