"""Who may do what in a delegation, answered by care.permissions on the process's care recipient.

A step names the circle permission it needs (e.g. "act_clinically"); these helpers turn that
into decisions for one task (Viewflow's can_assign/can_execute) and into one query for the
inbox, so the page and the task URL can never disagree.
"""
from django.db.models import Q

from care.models import CareRecipient
from care.permissions import VIEW, can, holds_anywhere, recipients_for

REQUEST = ("manage_rota", "act_clinically")  # budget holders and carers, or a clinician


def delegation_of(task):
    """The DelegationProcess of a task (the base Process row is coerced once and cached)."""
    process = task.process
    return getattr(process, "delegationprocess", process)


def may_act(user, codename, task):
    # guardian needs only the person's id and model, not the row
    return can(user, codename, CareRecipient(pk=delegation_of(task).recipient_id))


def may_view(user, process):
    return can(user, VIEW, process.recipient)


def may_request(user, recipient):
    return any(can(user, codename, recipient) for codename in REQUEST)


def requestable_recipients(user):
    return recipients_for(user, REQUEST[0]) | recipients_for(user, REQUEST[1])


def may_request_anywhere(user):
    return holds_anywhere(user, REQUEST)


def step_filter(user, nodes):
    """Q over viewflow Tasks: open steps of these nodes this user may take or has taken on.

    Mirrors View.can_assign/can_execute: the step's circle permission on the person, the
    task either unclaimed or claimed by this user, and a step `OnlyFor` someone (the flow's
    one such step is the named PA's acceptance) only for the process's PA.
    """
    by_rule = {}
    for node in nodes:
        by_rule.setdefault((node.circle_permission, node.only_for is not None), []).append(node)
    allowed = Q(pk__in=[])
    for (codename, named), same in by_rule.items():
        rule = Q(flow_task__in=same, process__delegationprocess__recipient__in=recipients_for(user, codename))
        if named:
            rule &= Q(process__delegationprocess__pa=user)
        allowed |= rule
    return allowed & (Q(owner__isnull=True) | Q(owner=user))
