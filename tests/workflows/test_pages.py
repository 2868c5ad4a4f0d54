"""Every delegation page renders for the people who use it, in our layout (phone first)."""
import pytest
from django.urls import reverse

from workflows.delegation.flow import DelegationFlow

from .steps import RISK_OK, YES, catalogue, latest, open_task, request_delegation, take, training

pytestmark = pytest.mark.django_db


def get_ok(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    page = response.content.decode()
    assert 'name="viewport"' in page  # our base.html, not Viewflow's material frontend
    return page


def test_each_step_page_renders_for_the_person_who_takes_it(client, family, parent, nurse, pa):
    task = catalogue("tracheostomy-suction")
    page = get_ok(client, parent, DelegationFlow.start.reverse("execute") + f"?recipient={family.pk}")
    assert "Intravenous (IV) medication (not delegable)" in page
    request_delegation(client, parent, recipient=family, pa=pa, task=task)
    process = latest(family)

    steps = [
        (DelegationFlow.assess_risk, nurse, RISK_OK, "Hazards for this person"),
        (DelegationFlow.consent, parent, YES, "do you consent"),
        (DelegationFlow.accept, pa, YES, "Do you accept"),
        (DelegationFlow.train, nurse, training(task.supervised_practices_required), "Supervised practices so far: 0 of 3"),
        (DelegationFlow.assess, nurse, None, task.criteria[0]),
    ]
    for node, user, data, expected in steps:
        open_step = open_task(process, node)
        client.force_login(user)
        index = client.get(node.reverse("index", args=[process.pk, open_step.pk]))
        assert index.status_code == 302  # to "take this step" or straight to the form
        if open_step.owner_id is None:
            assert "Take this step" in get_ok(client, user, node.reverse("assign", args=[process.pk, open_step.pk]))
            client.post(node.reverse("assign", args=[process.pk, open_step.pk]))
        assert expected in get_ok(client, user, node.reverse("execute", args=[process.pk, open_step.pk]))
        if data is not None:
            take(client, user, process, node, data)

    history = get_ok(client, pa, DelegationFlow.instance.reverse("process_detail", args=[process.pk]))
    assert "Consent of the person or their representative" in history and "Hazards" in history
    done = process.task_set.filter(flow_task=DelegationFlow.consent).get()
    assert "Consent" in get_ok(client, pa, DelegationFlow.consent.reverse("detail", args=[process.pk, done.pk]))
    assert process.reference in get_ok(client, parent, reverse("workflows:list", args=[family.pk]))
    assert "Observed competency assessment" in get_ok(client, nurse, reverse("workflows:inbox"))
    assert "Tracheostomy suction" in get_ok(client, parent, reverse("competencies:matrix", args=[family.pk]))
    assert "Delegated healthcare tasks" in get_ok(client, nurse, reverse("home"))
