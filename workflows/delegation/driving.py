"""Driving DelegationFlow without HTTP (demo data, the benchmark, tests, the receivers):
start a delegation, and end delegations from outside the flow. Each checks permissions
itself, because Viewflow's activation transitions do not; one human step is
`workflows.nodes.take_step`."""
import logging
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from viewflow.workflow.exceptions import FlowLockFailed, FlowRuntimeError
from viewflow.workflow.status import PROCESS, STATUS

from . import services
from .flow import DelegationFlow
from care.services import record_audit
from competencies import services as competencies
from competencies.models import Competency, Status

from .models import DelegationOutcome, DelegationProcess

log = logging.getLogger(__name__)


def start_delegation(*, actor, recipient, pa, healthcare_task, reason):
    node = DelegationFlow.start
    activation = node.activation_class.create(node, None, None)
    if not node.can_execute(actor, activation.task):
        raise PermissionDenied("You may not request delegations.")
    activation.start(SimpleNamespace(user=actor))
    return services.request_delegation(
        activation=activation, actor=actor, recipient=recipient, pa=pa, healthcare_task=healthcare_task, reason=reason
    )


def _cancel(process, outcome, reason):
    """Cancel what is left of a process. A failure here must not undo the change that caused
    it (a PA leaving, a revocation): the process is logged and left for its next step to end."""
    try:
        with transaction.atomic():
            DelegationFlow.instance.cancel(process)
            services.record_outcome(process, outcome, reason)
    except (FlowLockFailed, FlowRuntimeError):
        log.warning("Delegation %s could not be cancelled (%s)", process.reference, outcome, exc_info=True)
        return False
    return True


@transaction.atomic
def withdraw_for_departed_pa(*, recipient, pa, reason):
    """The PA left the circle: their open delegations for this person end."""
    withdrawn = 0
    for process in DelegationProcess.objects.filter(recipient=recipient, pa=pa, status=PROCESS.NEW):
        withdrawn += _cancel(process, DelegationOutcome.WITHDRAWN, reason)
    return withdrawn


@transaction.atomic
def close_after_revocation(*, competency, reason):
    """A competency revoked from its own page ends the delegation waiting for its review.

    Only processes parked on the review timer are closed here: a review step in progress
    (which may itself be revoking) closes its own process, and an open review task offers
    "close" once the competency has ended.
    """
    # the clinician's own reason goes on the process page, not a generic one
    event = competency.events.filter(status="revoked").order_by("-at", "-pk").first()
    if event is not None and event.reason:
        reason = f"{reason}: {event.reason}"
    waiting = DelegationProcess.objects.filter(
        competency=competency, status=PROCESS.NEW,
        task__flow_task=DelegationFlow.wait_for_review, task__status=STATUS.SCHEDULED,
    ).distinct()
    for process in waiting:
        _cancel(process, DelegationOutcome.REVOKED, reason)


@transaction.atomic
def pa_declines(*, process, actor, reason):
    """The named PA declines the delegation, with a reason, at any point before sign-off: the
    process ends as not agreed and any training in progress ends with it."""
    process = DelegationProcess.objects.select_for_update().select_related("recipient").get(pk=process.pk)
    if actor.pk != process.pa_id:
        raise PermissionDenied("Only the PA this delegation names can decline it.")
    reason = " ".join(str(reason or "").split())[:250]
    if not reason:
        raise ValidationError("Say why you decline: the clinician and the family read it.")
    if process.status != PROCESS.NEW or process.outcome:
        raise ValidationError("This delegation is already signed off or has ended: ask the accountable "
                              "practitioner to revoke it instead.")
    if not _cancel(process, DelegationOutcome.NOT_AGREED, f"The PA declined before sign-off: {reason}"):
        raise ValidationError("The delegation is busy with another step: try again in a moment.")
    if process.competency_id:
        competency = Competency.objects.get(pk=process.competency_id)
        if competency.status in (Status.IN_TRAINING, Status.ASSESSED):
            competencies.end_training(competency=competency, actor=actor, reason=f"The PA declined: {reason}")
    record_audit(actor=actor, recipient=process.recipient, action="delegation.declined_by_pa",
                 summary=f"{process.reference}: the PA declined before sign-off: {reason}")
    return process
