"""Who reads a PA's detailed competency record (training, assessments, reasons): the PA it belongs
to, the person's clinicians, the budget holder and the coordinator. The rest of the circle sees
the status and dates in the matrix only (issue 15, item 12)."""
import pytest
from django.urls import reverse

from care.models import Role
from tests.factories import member

from .factories import catalogue

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Needed three prompts with the suction depth"


@pytest.fixture
def pa2(family):
    return member(family, Role.PA, username="pa2", first_name="Second", last_name="Assistant")


@pytest.fixture
def record(family, pa, nurse):
    """pa's signed-off record, earned the real way, with an assessment note only readers may see."""
    from competencies import services

    task = catalogue("nebuliser")
    competency = services.start_training(pa=pa, recipient=family, task=task, actor=nurse)
    services.record_training(competency=competency, trainer=nurse, trained_on=competency.created_at.date(),
                             method="supervised_practice", supervised_practices=task.supervised_practices_required)
    services.record_assessment(competency=competency, assessor=nurse, assessed_on=competency.created_at.date(),
                               results={c: True for c in task.criteria}, notes=SECRET_NOTE)
    services.sign_off(competency=competency, actor=nurse)
    competency.refresh_from_db()
    return competency


def detail(client, user, competency):
    client.force_login(user)
    return client.get(reverse("competencies:detail", args=[competency.pk]))


def test_another_pa_in_the_circle_is_refused_a_pas_record(client, record, pa, pa2):
    response = detail(client, pa2, record)
    assert response.status_code == 403
    assert SECRET_NOTE not in response.content.decode()
    # the same request by the PA it belongs to: the refusal was about whose record it is
    response = detail(client, pa, record)
    assert response.status_code == 200 and SECRET_NOTE in response.content.decode()


@pytest.mark.parametrize("reader", ["nurse", "parent", "coordinator"])
def test_clinicians_the_budget_holder_and_the_coordinator_read_the_record(client, request, record, reader):
    response = detail(client, request.getfixturevalue(reader), record)
    assert response.status_code == 200 and SECRET_NOTE in response.content.decode()


def test_a_carer_who_does_not_hold_the_budget_is_refused(client, record, carer, family):
    ward = member(family, Role.WARD_MANAGER, username="ward")
    for user in (carer, ward):
        response = detail(client, user, record)
        assert response.status_code == 403 and SECRET_NOTE not in response.content.decode()


def test_the_record_is_404_outside_the_circle(client, record, outsider, other_pa, other_parent):
    for user in (outsider, other_pa, other_parent):
        assert detail(client, user, record).status_code == 404


def test_the_matrix_shows_status_and_dates_to_the_whole_circle_and_links_only_for_readers(
        client, family, record, pa, pa2, carer, nurse, parent):
    url = reverse("competencies:matrix", args=[family.pk])
    link = reverse("competencies:detail", args=[record.pk])
    for user, may_open in ((pa2, False), (carer, False), (pa, True), (nurse, True), (parent, True)):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "Signed off" in page and f"{record.valid_until:%-d %b %Y}" in page, user
        assert (link in page) == may_open, user


def test_a_pa_reads_their_own_record_but_not_a_colleagues_on_the_matrix(client, family, nurse, record, pa, pa2):
    from competencies import services

    task = catalogue("nebuliser")
    own = services.start_training(pa=pa2, recipient=family, task=task, actor=nurse)
    client.force_login(pa2)
    page = client.get(reverse("competencies:matrix", args=[family.pk])).content.decode()
    assert reverse("competencies:detail", args=[own.pk]) in page
    assert reverse("competencies:detail", args=[record.pk]) not in page
    assert detail(client, pa2, own).status_code == 200
