"""The competency matrix: PAs × tasks, status in words (and colour), review dates; flat queries."""
import datetime

import pytest
from django.utils import timezone
from django.urls import reverse

from care.models import Role
from competencies.models import HealthcareTask, Status
from tests.factories import member

from .factories import CompetencyFactory, catalogue

pytestmark = pytest.mark.django_db


def test_matrix_shows_each_pas_status_in_words_with_expiry(client, family, parent, pa, nurse):
    competency = CompetencyFactory(pa=pa, recipient=family, task=catalogue("tracheostomy-suction"))
    client.force_login(parent)
    page = client.get(reverse("competencies:matrix", args=[family.pk])).content.decode()
    assert "Tracheostomy suction" in page and "Signed off" in page
    assert f"{competency.valid_until:%-d %b %Y}" in page
    assert "status-signed_off" in page  # the colour comes with the words, never alone


def test_matrix_is_404_outside_the_circle(client, family, other_parent):
    client.force_login(other_parent)
    assert client.get(reverse("competencies:matrix", args=[family.pk])).status_code == 404


def _grow(family, pas, tasks):
    users = [member(family, Role.PA) for _ in range(pas)]
    for user in users:
        for task in tasks:
            CompetencyFactory(pa=user, recipient=family, task=task)


def test_matrix_queries_stay_flat_as_rows_grow(client, family, parent, django_assert_max_num_queries):
    url = reverse("competencies:matrix", args=[family.pk])
    client.force_login(parent)
    _grow(family, 1, [catalogue("nebuliser")])
    # session + user, the circle permission checks (view + the request link), PAs, competencies
    with django_assert_max_num_queries(10) as small:
        assert client.get(url).status_code == 200
    _grow(family, 6, list(HealthcareTask.objects.filter(delegable=True))[:8])
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count("status-signed_off") >= 48


def test_live_record_wins_over_an_ended_one(client, family, parent, pa):
    task = catalogue("nebuliser")
    CompetencyFactory(pa=pa, recipient=family, task=task, status=Status.REVOKED)
    CompetencyFactory(pa=pa, recipient=family, task=task)
    client.force_login(parent)
    page = client.get(reverse("competencies:matrix", args=[family.pk])).content.decode()
    assert "Signed off" in page and "Revoked" not in page


def test_matrix_shows_requested_and_in_progress_delegations_and_when_the_review_opens(
        client, family, parent, nurse, pa):
    from tests.workflows.steps import signed_off_delegation
    from workflows.delegation.driving import start_delegation

    signed = signed_off_delegation(parent=parent, nurse=nurse, pa=pa, recipient=family,
                                   task=catalogue("tracheostomy-stoma-care"))
    start_delegation(actor=parent, recipient=family, pa=pa, healthcare_task=catalogue("nebuliser"), reason="Winter")
    client.force_login(parent)
    page = client.get(reverse("competencies:matrix", args=[family.pk])).content.decode()
    assert "Nebuliser" in page and "Requested" in page and "waiting for: Clinical risk assessment" in page
    opens = signed.competency.valid_until - datetime.timedelta(days=28)
    assert f"review opens {timezone.localtime(opens):%-d %b %Y}" in page
    assert "accountable: " in page


def test_request_form_lists_tasks_under_their_categories(client, family, parent):
    from workflows.delegation.flow import DelegationFlow

    client.force_login(parent)
    page = client.get(DelegationFlow.start.reverse("execute")).content.decode()
    assert '<optgroup label="Injections">' in page and '<optgroup label="Respiratory">' in page
