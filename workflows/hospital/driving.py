"""Driving HospitalAgreementFlow outside its step views: the start without HTTP (demo data,
tests), and the two `flow.Handle` nodes, which the ward's review (as the ward manager, or
through the link with no account) and the discharge (from either side) run in the same
transaction as their service. Each checks permission as the pages do, because Viewflow's
activation transitions do not."""
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.status import STATUS

from . import in_force, links, permissions, queries, services
from .flow import HospitalAgreementFlow
from .models import WardLink


def start_as(*, actor, **terms):
    """The start step without HTTP, checking permission as the page does."""
    node = HospitalAgreementFlow.start
    activation = node.activation_class.create(node, None, None)
    if not node.can_execute(actor, activation.task):
        raise PermissionDenied("You may not start hospital agreements.")
    activation.start(SimpleNamespace(user=actor))
    return services.start_agreement(activation=activation, actor=actor, **terms)


def _run(agreement, node, user):
    task = agreement.task_set.filter(flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED]).first()
    node.run(task, user=user)
    agreement.refresh_from_db()
    return agreement


@transaction.atomic
def _reviewed(*, agreement, reviewer, via_link, **data):
    agreement = services.review(agreement=agreement, reviewer=reviewer, via_link=via_link, **data)
    return _run(agreement, HospitalAgreementFlow.ward_review, reviewer)


def review_as_ward_manager(*, agreement, actor, **data):
    if not permissions.is_ward(actor, agreement):
        raise PermissionDenied("Only the ward manager this agreement was sent to can review it.")
    return _reviewed(agreement=agreement, reviewer=actor, via_link=False, **data)


@transaction.atomic
def review_by_link(*, token, now=None, **data):
    """The ward contact's answer through their link, which it claims (links.claim): a refused
    answer rolls the claim back with everything else, and the link still works."""
    link = links.claim(token, now or timezone.now())
    return _reviewed(agreement=link.agreement, reviewer=None, via_link=True, **data)


@transaction.atomic
def discharge(*, agreement, actor, discharged_on=None, shifts_going=None, now=None, by_link=False):
    """Record the discharge (in_force.discharge); when it ends the agreement now, the flow ends too."""
    ended = in_force.discharge(agreement=agreement, actor=actor, discharged_on=discharged_on,
                               shifts_going=shifts_going, now=now, by_link=by_link)
    agreement.refresh_from_db()
    return _run(agreement, HospitalAgreementFlow.in_hospital, actor) if ended else agreement


@transaction.atomic
def act_by_link(*, token, action, now=None, **data):
    """The ward contact suspends, resumes or records the discharge through their in-force link,
    which this claims (a refused action rolls the claim back, and the link still works). While
    the agreement stays in force a fresh link goes to them by the same channel."""
    link = links.claim(token, now or timezone.now())
    if link.purpose != WardLink.Purpose.IN_FORCE:
        raise links.LinkUnusable("unknown")
    agreement = link.agreement
    if action == "suspend":
        in_force.suspend(agreement=agreement, actor=None, by_link=True, reason=data.get("reason", ""))
    elif action == "resume":
        in_force.resume(agreement=agreement, actor=None, by_link=True)
    elif action == "discharge":
        discharge(agreement=agreement, actor=None, by_link=True, now=now, discharged_on=data.get("discharged_on"),
                  shifts_going=data.get("shifts_going"))
    else:
        raise ValidationError("Choose suspend, resume or record the discharge.")
    agreement.refresh_from_db()
    if agreement.in_force:
        links.issue_link(agreement=agreement, actor=None, purpose=WardLink.Purpose.IN_FORCE)
    return agreement


def end_planned_discharges(*, now=None):
    """For the periodic job: end each agreement whose planned discharge day has come, and its flow."""
    ended = 0
    for agreement in queries.planned_discharges_due(timezone.localdate(now)):
        with transaction.atomic():
            if in_force.end_planned_discharge(agreement=agreement, now=now):
                _run(agreement, HospitalAgreementFlow.in_hospital, None)
                ended += 1
    return ended
