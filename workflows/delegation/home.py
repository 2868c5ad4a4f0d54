"""The delegations section of everyone's home page: steps waiting for you, and your requests
that were declined (with the reason)."""
from django.urls import reverse

from care.home import Attention, register
from care.kernel.names import person_name

from . import queries


@register("Delegated healthcare tasks")
def delegation_steps(user, recipients):
    ids = {r.pk for r in recipients}
    items = []
    for task in queries.inbox(user):
        process = task.process.delegationprocess
        if process.recipient_id not in ids:
            continue
        items.append(Attention(
            title=f"{task.flow_task.task_title}: {process.healthcare_task.name} for {process.recipient}",
            detail=f"{process.reference}, PA {person_name(process.pa)}",
            url=task.flow_task.reverse("index", args=[task.process_id, task.pk]),
        ))
    for process in queries.recently_declined(user, recipients):
        items.append(Attention(
            title=f"Your request {process.reference} ({process.healthcare_task.name} for {process.recipient}) "
                  f"ended: {process.get_outcome_display().lower()}",
            detail=process.outcome_reason,
            url=reverse("workflows:delegation:process_detail", args=[process.pk]),
            urgent=True,
        ))
    return items
