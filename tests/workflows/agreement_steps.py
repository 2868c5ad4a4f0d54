"""Drive a hospital agreement through its pages as real users: URLs come from the flow's nodes."""
import datetime
import re

from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import STATUS

from care.models import Role
from notifications.models import Message
from tests.factories import ProfileFactory, member
from workflows.hospital.flow import HospitalAgreementFlow as Flow
from workflows.hospital.models import HospitalAgreement

from .steps import catalogue, signed_off_delegation


def today():
    return timezone.localdate()


def day(n):
    return (today() + datetime.timedelta(days=n)).isoformat()


def ward_manager(family, username="ward"):
    """A ward manager in the circle, with a mobile they agreed to be texted on."""
    user = member(family, Role.WARD_MANAGER, username=username)
    ProfileFactory(user=user)
    return user


def competent_pa(family, parent, nurse, pa, code="tracheostomy-suction"):
    """A PA signed off for one delegated task for this person, through the delegation flow."""
    return signed_off_delegation(parent=parent, nurse=nurse, pa=pa, recipient=family, task=catalogue(code)).competency


def start_data(*, pas, ward=None, mobile="", email="", support=("postural", "communication"), asked=(), **extra):
    data = {
        "hospital": "St Example's Hospital", "ward": "Ward 7", "ward_contact_name": "Sister Ada Lane",
        "ward_contact_mobile": mobile, "ward_contact_email": email, "ward_manager": ward.pk if ward else "",
        "admission_date": day(0), "expected_discharge": day(3), "pas": [pa.pk for pa in pas],
        "support": list(support), "support_notes": "Knows his signs for pain",
    }
    data.update({f"allow_{pk}": "on" for pk in asked})
    data.update(extra)
    return data


def start(client, user, family, data):
    client.force_login(user)
    return client.post(Flow.start.reverse("execute") + f"?recipient={family.pk}", data)


def latest(family):
    return HospitalAgreement.objects.filter(recipient=family).latest("created")


def conditions(decision="accept", **extra):
    data = {"reviewer_name": "Ada Lane", "reviewer_role": "Ward sister", "support": ["postural", "communication"],
            "report_to": "The nurse in charge at the desk", "present_from": "09:00", "present_until": "17:00",
            "infection_control": "Hand gel in and out; apron for personal care", "id_badge": "Agency badge visible",
            "escalation_contacts": "Nurse in charge ext 4321", "decision": decision, "reason": ""}
    data.update(extra)
    return data


def task_answers(agreement, allow=()):
    return {f"task_{row.pk}": "allow" if row.task.code in allow else "keep" for row in agreement.task_decisions.all()}


def review_url(agreement):
    return reverse("workflows:hospital:review", args=[agreement.pk])


def detail_url(agreement):
    return reverse("workflows:hospital:process_detail", args=[agreement.pk])


def action_url(name, agreement):
    return reverse(f"workflows:hospital:{name}", args=[agreement.pk])


def open_task(agreement, node):
    return agreement.task_set.get(flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED])


def take(client, user, agreement, node, data):
    client.force_login(user)
    task = open_task(agreement, node)
    if task.owner_id is None:
        response = client.post(node.reverse("assign", args=[agreement.pk, task.pk]))
        assert response.status_code == 302, response
    return client.post(node.reverse("execute", args=[agreement.pk, task.pk]), data)


def funding(agreement, *, plan=None, expires=None, **extra):
    """The employer's answers; `plan` maps day offsets to PAs (default: every planned day to its default)."""
    data = {"hours_funded": "on", "insurance_covers": "on", "insurer": "Example Mutual",
            "policy_number": "EL-123456", "insurance_expires": expires or day(365)}
    if plan is not None:
        for n in range(0, 40):
            data[f"day_{today() + datetime.timedelta(days=n):%Y%m%d}"] = str(plan[n].pk) if plan.get(n) else ""
    data.update(extra)
    return data


def link_token(number):
    """The raw token, as the ward contact gets it: from the text sent to their mobile."""
    message = Message.objects.filter(to=number, purpose="hospital-link").latest("created_at")
    return re.search(r"/workflows/hospital/ward/([^/]+)/", message.body).group(1)


def ward_link_url(token):
    return reverse("workflows:hospital:ward_link", args=[token])




def discharge(client, user, agreement, discharged_on=""):
    """Record the discharge as a person does: the date, then confirm on the page listing which
    shifts go. Returns (the confirmation page, the response to confirming)."""
    client.force_login(user)
    url = action_url("discharge", agreement)
    page = client.post(url, {"discharged_on": discharged_on})
    assert page.status_code == 200, page
    going = re.search(r'name="going" value="([\d,]*)"', page.content.decode()).group(1)
    return page, client.post(url, {"discharged_on": discharged_on, "going": going, "confirm": "yes"})
