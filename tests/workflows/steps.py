"""Drive a delegation through its pages as real users: URLs come from the flow's nodes."""
from django.utils import timezone
from viewflow.workflow.status import STATUS

from competencies.models import HealthcareTask
from tests.factories import log_in_with_second_factor
from workflows.delegation import services
from workflows.delegation.driving import start_delegation
from workflows.delegation.flow import DelegationFlow
from workflows.delegation.models import DelegationProcess
from workflows.nodes import take_step


def catalogue(code):
    return HealthcareTask.objects.get(code=code)


def open_task(process, node):
    return process.task_set.get(flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED])


def request_delegation(client, user, *, recipient, pa, task, reason="Needed at night and at school"):
    client.force_login(user)
    return client.post(
        DelegationFlow.start.reverse("execute"),
        {"recipient": recipient.pk, "pa": pa.pk, "healthcare_task": task.pk, "reason": reason},
    )


def take(client, user, process, node, data):
    """Claim the step if nobody has (as the inbox's "Take this step"), then submit it.

    Everyone has entered their authenticator code: sign-off and review ask clinicians for it
    (tests/workflows/test_second_factor.py shows what happens when they have not).
    """
    log_in_with_second_factor(client, user)
    task = open_task(process, node)
    if task.owner_id is None:
        response = client.post(node.reverse("assign", args=[process.pk, task.pk]))
        assert response.status_code == 302, response
    return client.post(node.reverse("execute", args=[process.pk, task.pk]), data)


def today():
    return timezone.localdate().isoformat()


RISK_OK = {"hazards": "Blocked tube; bleeding", "controls": "Spare tube at bedside; 999 plan", "decision": "proceed"}
YES = {"agreed": "yes"}
# the care plan and emergency plan a sign-off names for the delegation agreement
PLANS = {"care_plan_ref": "CP-0042", "care_plan_version": "3", "emergency_plan_ref": "EP-0042",
         "emergency_plan_version": "2", "emergency_plan": "Call 999, then the nurse on the care plan."}
SIGN_OFF = {"confirm": "on", **PLANS}


def training(practices):
    return {"trained_on": today(), "method": "supervised_practice", "supervised_practices": practices,
            "materials": "Trust tracheostomy leaflet"}


def assessment(task, passed=True):
    data = {"assessed_on": today(), "notes": ""}
    for i, _ in enumerate(task.criteria):
        data[f"criterion_{i}"] = "yes" if passed or i else "no"
    return data


def latest(recipient):
    return DelegationProcess.objects.filter(recipient=recipient).latest("created")


def through_to_assessment(client, *, parent, nurse, pa, recipient, task):
    """Request, risk assessment, consent, acceptance, and enough training for the assessment."""
    assert request_delegation(client, parent, recipient=recipient, pa=pa, task=task).status_code == 302
    process = latest(recipient)
    assert take(client, nurse, process, DelegationFlow.assess_risk, RISK_OK).status_code == 302
    assert take(client, parent, process, DelegationFlow.consent, YES).status_code == 302
    assert take(client, pa, process, DelegationFlow.accept, YES).status_code == 302
    practices = task.supervised_practices_required
    assert take(client, nurse, process, DelegationFlow.train, training(practices)).status_code == 302
    return process


def signed_off_delegation(*, parent, nurse, pa, recipient, task):
    """The same steps without HTTP, through the flow's driving helpers (which check permissions too)."""
    process = start_delegation(actor=parent, recipient=recipient, pa=pa, healthcare_task=task, reason="r")
    take_step(open_task(process, DelegationFlow.assess_risk), nurse, services.assess_risk,
              decision="proceed", hazards="h", controls="c")
    take_step(open_task(process, DelegationFlow.consent), parent, services.agree, party="person", agreed=True)
    take_step(open_task(process, DelegationFlow.accept), pa, services.agree, party="pa", agreed=True)
    take_step(open_task(process, DelegationFlow.train), nurse, services.train,
              trained_on=timezone.localdate(), method="supervised_practice",
              supervised_practices=task.supervised_practices_required)
    take_step(open_task(process, DelegationFlow.assess), nurse, services.assess,
              assessed_on=timezone.localdate(), results={c: True for c in task.criteria})
    take_step(open_task(process, DelegationFlow.sign_off), nurse, services.sign_off, plans=PLANS)
    process.refresh_from_db()
    return process
