"""Fixed refusals on the workflows pages: an id too large for the database is a 404, and the
inbox is a page to read (405 for anything but GET), a step's page answers only for its own tasks."""
import pytest
from django.urls import reverse

from workflows.hospital.flow import HospitalAgreementFlow as Flow

from .agreement_steps import competent_pa, latest, start, start_data, ward_manager

pytestmark = pytest.mark.django_db

TOO_LARGE = "9999999999999999999999999"


def test_a_delegation_id_too_large_for_the_database_is_404(client, parent):
    client.force_login(parent)
    assert client.get(f"/workflows/delegation/{TOO_LARGE}/").status_code == 404
    assert client.get(f"/workflows/hospital/{TOO_LARGE}/").status_code == 404


def test_the_inbox_rejects_post(client, nurse):
    client.force_login(nurse)
    for url in (reverse("workflows:inbox"), reverse("workflows:delegation:index")):
        assert client.post(url).status_code == 405
        assert client.get(url).status_code == 200


def test_the_read_only_pages_reject_post(client, family, parent):
    client.force_login(parent)
    for url in (reverse("workflows:list", args=[family.pk]), reverse("workflows:hospital_list", args=[family.pk]),
                reverse("workflows:hospital:index")):
        assert client.post(url).status_code == 405
        assert client.get(url).status_code == 200


def test_a_step_page_answers_only_for_a_task_of_that_step(client, family, parent, nurse, pa):
    """The isolation walk found /fund/<the ward review's task>/ a 500: Viewflow activated the Handle
    task the id named, which has no claim or detail page. Another step's task is not this step."""
    ward = ward_manager(family)
    competent_pa(family, parent, nurse, pa)
    assert start(client, parent, family, start_data(pas=[pa], ward=ward)).status_code == 302
    agreement = latest(family)
    handle = agreement.task_set.get(flow_task=Flow.ward_review)
    for node in (Flow.fund, Flow.confirm_changes):
        for action in ("detail", "assign"):
            url = node.reverse(action, args=[agreement.pk, handle.pk])
            assert client.get(url).status_code == 404, url
