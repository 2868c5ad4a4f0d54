"""Reads with intent for delegations: a person's delegations, a user's inbox, recent declines."""
import datetime

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ..nodes import human_steps
from . import permissions
from .flow import DelegationFlow
from .models import DelegationOutcome, DelegationProcess

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED)


def delegations_for(recipient):
    return (
        DelegationProcess.objects.filter(recipient=recipient)
        .select_related("pa", "healthcare_task", "requested_by", "competency")
        .order_by("-created")
    )


def inbox(user):
    """Open human steps this user may take: one query (plus the permission subqueries inside it),
    whatever the number of people, processes or steps."""
    steps = human_steps(DelegationFlow)
    return (
        Task.objects.filter(status__in=(STATUS.NEW, STATUS.ASSIGNED), flow_task__in=steps)
        .filter(permissions.step_filter(user, steps))
        .select_related(
            "owner",
            "process__delegationprocess__recipient",
            "process__delegationprocess__pa",
            "process__delegationprocess__healthcare_task",
        )
        .order_by("created", "pk")
    )


def recently_declined(user, recipients, now=None):
    """Requests this user made that ended without a delegation in the last fortnight (they see why)."""
    now = now or timezone.now()
    return (
        DelegationProcess.objects.filter(
            requested_by=user, recipient__in=[r.pk for r in recipients],
            outcome__in=(DelegationOutcome.DECLINED, DelegationOutcome.NOT_AGREED),
            finished__gte=now - datetime.timedelta(days=14),
        )
        .select_related("healthcare_task", "recipient")
        .order_by("-finished")[:10]
    )
