"""Demo delegations, driven through the real flow (idempotent: an existing delegation of the
same task to the same PA for the same person is left as it is).

Family one (a child with a tracheostomy): pa1 signed off for stoma care and for suction (the
suction sign-off is backdated so it expires within 28 days and its review opens on the first
periodic sweep); pa2 in training for suction; pa3's oral/nasal suction waits for the nurse's
risk assessment. Family two (an adult with diabetes): other-pa signed off for insulin, and a
blood-glucose delegation waiting for other-nurse's risk assessment. Family one's signed-off
delegations are agreed by all three parties; other-pa has yet to acknowledge the insulin one.
"""
import datetime

from django.utils import timezone
from viewflow.workflow.status import STATUS

from competencies.models import HealthcareTask

from ..nodes import take_step
from . import services
from .driving import start_delegation
from .flow import DelegationFlow
from .models import DelegationProcess

SIGNED_OFF, IN_TRAINING, AWAITING_RISK = "signed_off", "in_training", "awaiting_risk"
# invented plan references: the demo's delegation agreements rest on them
PLANS = {
    "care_plan_ref": "CP-DEMO-01", "care_plan_version": "4", "emergency_plan_ref": "EP-DEMO-01",
    "emergency_plan_version": "2",
    "emergency_plan": "Call 999 and say the person's care needs; follow the emergency plan in the red folder; "
                      "then phone the budget holder.",
}


def _step(process, node, user, step, **data):
    task = process.task_set.get(flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED])
    take_step(task, user, step, **data)


def _delegate(recipient, *, code, pa, requester, nurse, budget_holder, stage, reason, signed_off_days_ago=0,
              agreed_by=("employer", "pa")):
    task = HealthcareTask.objects.get(code=code)
    if DelegationProcess.objects.filter(recipient=recipient, pa=pa, healthcare_task=task).exists():
        return
    process = start_delegation(actor=requester, recipient=recipient, pa=pa, healthcare_task=task, reason=reason)
    if stage == AWAITING_RISK:
        return
    _step(process, DelegationFlow.assess_risk, nurse, services.assess_risk, decision="proceed",
          hazards="Airway or dosing error in an emergency", controls="Care plan, spare equipment, 999 plan")
    _step(process, DelegationFlow.consent, budget_holder, services.agree, party="person", agreed=True)
    _step(process, DelegationFlow.accept, pa, services.agree, party="pa", agreed=True)
    signed_off_at = timezone.now() - datetime.timedelta(days=signed_off_days_ago)
    if signed_off_days_ago:
        # a backdated story starts with a backdated request: training cannot predate it
        DelegationProcess.objects.filter(pk=process.pk).update(created=signed_off_at - datetime.timedelta(days=7))
    _step(process, DelegationFlow.train, nurse, services.train, trained_on=timezone.localdate(signed_off_at),
          method="supervised_practice", materials="Trust leaflet and the care plan",
          supervised_practices=task.supervised_practices_required if stage == SIGNED_OFF else 1)
    if stage == IN_TRAINING:
        return
    _step(process, DelegationFlow.assess, nurse, services.assess, assessed_on=timezone.localdate(signed_off_at),
          results={criterion: True for criterion in task.criteria})
    _step(process, DelegationFlow.sign_off, nurse, services.sign_off, at=signed_off_at, plans=PLANS)
    if "employer" in agreed_by:
        # a child's parent chooses for them; an adult chooses for themselves
        child = (timezone.localdate() - recipient.date_of_birth).days < 18 * 365
        services.agree_as_employer(
            process=process, actor=budget_holder, choice_of="representative" if child else "person",
            representative=f"{budget_holder.first_name} {budget_holder.last_name} (parent)" if child else "",
        )
    if "pa" in agreed_by:
        services.acknowledge_as_pa(process=process, actor=pa)


def seed(cast):
    users, one, two = cast["users"], cast["family_one"], cast["family_two"]
    family_one = dict(requester=users["parent"], nurse=users["nurse"], budget_holder=users["parent"])
    _delegate(one, code="tracheostomy-stoma-care", pa=users["pa1"], stage=SIGNED_OFF,
              reason="Daily stoma care at home and school", **family_one)
    _delegate(one, code="tracheostomy-suction", pa=users["pa1"], stage=SIGNED_OFF, signed_off_days_ago=345,
              reason="Suction through the night", **family_one)
    _delegate(one, code="tracheostomy-suction", pa=users["pa2"], stage=IN_TRAINING,
              reason="Cover for pa1's nights off", **family_one)
    _delegate(one, code="oral-nasal-suction", pa=users["pa3"], stage=AWAITING_RISK,
              reason="Colds and chest infections", **family_one)

    family_two = dict(requester=users["other-parent"], nurse=users["other-nurse"], budget_holder=users["other-parent"])
    _delegate(two, code="insulin-subcutaneous", pa=users["other-pa"], stage=SIGNED_OFF,
              reason="Evening insulin", agreed_by=("employer",), **family_two)
    _delegate(two, code="capillary-blood-glucose", pa=users["other-pa"], stage=AWAITING_RISK,
              reason="Checks before meals", **family_two)
