"""The delegations section of everyone's home page: steps waiting for you, and your requests
that were declined (with the reason)."""
from django.urls import reverse
from django.utils import timezone

from care.home import Attention, register
from care.kernel.names import person_name

from . import queries


@register("Care given on shifts")
def care_given(user, recipients):
    items = []
    for shift in queries.shifts_to_record(user, recipients):
        items.append(Attention(
            title=f"Record the care given on your shift for {shift.recipient}",
            detail=f"{timezone.localtime(shift.start):%a %d %b %H:%M}–{timezone.localtime(shift.end):%H:%M}",
            url=reverse("workflows:shift_care", args=[shift.pk]),
        ))
    for shift, tasks in queries.missed_records_for(user, recipients):
        items.append(Attention(
            title=f"No record of care given: {', '.join(t.name for t in tasks)} for {shift.recipient}",
            detail=f"{person_name(shift.pa)}'s shift {timezone.localtime(shift.start):%a %d %b %H:%M}–"
                   f"{timezone.localtime(shift.end):%H:%M}",
            url=reverse("workflows:care_log", args=[shift.recipient_id]) + f"?pa={shift.pa_id}",
            urgent=True,
        ))
    for concern in queries.open_concerns(user, recipients):
        items.append(Attention(
            title=f"Concern {concern.reference} raised by {person_name(concern.raised_by)} for {concern.recipient}",
            detail=f"Raised {timezone.localtime(concern.raised_at):%d %b %H:%M}; nobody has responded yet",
            url=reverse("workflows:concern", args=[concern.pk]),
            urgent=True,
        ))
    return items


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
    for process in queries.agreements_waiting(user, recipients):
        mine = process.pa_id == user.pk
        items.append(Attention(
            title=f"{'Acknowledge' if mine else 'Agree as the employer'}: the delegation agreement for "
                  f"{process.healthcare_task.name} for {process.recipient}",
            detail=f"{process.reference}, PA {person_name(process.pa)}; signed off by the practitioner",
            url=reverse("workflows:delegation:agreement", args=[process.pk]),
        ))
    for process in queries.without_practitioner(user, recipients):
        items.append(Attention(
            title=f"{process.reference} ({process.healthcare_task.name} for {process.recipient}) has no accountable "
                  "practitioner",
            detail="The clinician left the circle; sign-off and renewal wait until a clinician takes it on.",
            url=reverse("workflows:delegation:process_detail", args=[process.pk]),
            urgent=True,
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
