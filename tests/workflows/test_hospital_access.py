"""Who sees which hospital agreement, and the refusals: 404 outside, 403 inside without the right, 405."""
import pytest
from django.urls import reverse

from care.models import Role
from tests.factories import member
from workflows.hospital.flow import HospitalAgreementFlow as Flow
from workflows.hospital.models import State

from .agreement_steps import (
    action_url, conditions, detail_url, latest, open_task, review_url, start, start_data, take, task_answers,
    ward_manager,
)

pytestmark = pytest.mark.django_db


def test_ward_manager_sees_only_agreements_sent_to_them(client, family, parent, pa):
    ward = ward_manager(family, "ward")
    other_ward = ward_manager(family, "ward-two")
    start(client, parent, family, start_data(pas=[pa], ward=ward))
    agreement = latest(family)
    list_url = reverse("workflows:hospital_list", args=[family.pk])

    client.force_login(other_ward)  # in the circle: told it went elsewhere (test_hospital_ward_link_in_force)
    assert f'href="{detail_url(agreement)}"' not in client.get(list_url).content.decode()
    assert client.get(detail_url(agreement)).status_code == 403
    assert client.get(review_url(agreement)).status_code == 403
    # the same requests as the ward manager it was sent to
    client.force_login(ward)
    assert f'href="{detail_url(agreement)}"' in client.get(list_url).content.decode()
    assert client.get(detail_url(agreement)).status_code == 200
    assert client.get(review_url(agreement)).status_code == 200
    assert f'href="{detail_url(agreement)}"' in client.get(reverse("workflows:hospital:index")).content.decode()


def test_pa_sees_only_agreements_naming_them(client, family, parent, pa):
    other = member(family, Role.PA, username="pa-two")
    start(client, parent, family, start_data(pas=[pa], email="ward7@example.invalid"))
    agreement = latest(family)
    list_url = reverse("workflows:hospital_list", args=[family.pk])

    client.force_login(other)
    assert f'href="{detail_url(agreement)}"' not in client.get(list_url).content.decode()
    assert client.get(detail_url(agreement)).status_code == 404
    assert f'href="{detail_url(agreement)}"' not in client.get(reverse("workflows:hospital:index")).content.decode()
    client.force_login(pa)
    assert f'href="{detail_url(agreement)}"' in client.get(list_url).content.decode()
    assert client.get(detail_url(agreement)).status_code == 200
    assert f'href="{detail_url(agreement)}"' in client.get(reverse("workflows:hospital:index")).content.decode()


def test_other_family_and_outsiders_get_404_on_every_agreement_page(client, family, parent, pa, other_parent,
                                                                    other_pa, outsider):
    ward = ward_manager(family)
    start(client, parent, family, start_data(pas=[pa], ward=ward))
    agreement = latest(family)
    task = agreement.task_set.get(flow_task=Flow.ward_review)
    gets = [detail_url(agreement), action_url("print", agreement), review_url(agreement),
            reverse("workflows:hospital_list", args=[family.pk]),
            Flow.ward_review.reverse("detail", args=[agreement.pk, task.pk])]
    posts = [action_url(name, agreement) for name in ("suspend", "resume", "discharge", "expected", "new_link")]
    for user in (other_parent, other_pa, outsider):
        client.force_login(user)
        for url in gets:
            assert client.get(url).status_code == 404, (user, url)
        for url in posts:
            assert client.post(url, {"reason": "x"}).status_code == 404, (user, url)
    agreement.refresh_from_db()
    assert agreement.state == State.WARD_REVIEW and not agreement.events.exclude(kind="link_sent").exists()


def test_actions_refuse_get_with_405(client, family, parent, pa):
    start(client, parent, family, start_data(pas=[pa], email="ward7@example.invalid"))
    agreement = latest(family)
    client.force_login(parent)
    for name in ("suspend", "resume", "discharge", "expected", "new_link"):
        assert client.get(action_url(name, agreement)).status_code == 405, name


def test_only_the_ward_may_review_and_only_the_budget_holder_may_fund(client, family, parent, carer, pa):
    ward = ward_manager(family)
    start(client, parent, family, start_data(pas=[pa], ward=ward))
    agreement = latest(family)
    client.force_login(parent)  # in the circle and sees it, but is not the ward
    assert client.post(review_url(agreement), conditions()).status_code == 403
    client.force_login(ward)
    assert client.post(review_url(agreement), {**conditions(), **task_answers(agreement)}).status_code == 302
    agreement.refresh_from_db()
    task = open_task(agreement, Flow.fund)
    client.force_login(carer)  # a carer plans the rota but is not the PAs' employer
    assert client.post(Flow.fund.reverse("assign", args=[agreement.pk, task.pk])).status_code == 403
    assert take(client, parent, agreement, Flow.fund, {"insurer": ""}).status_code == 200


def test_starting_with_bad_input_gives_a_clear_message_and_saves_nothing(client, family, parent, pa, other_pa):
    response = start(client, parent, family, start_data(pas=[pa], expected_discharge="2000-01-01"))
    assert response.status_code == 200
    assert "The expected discharge cannot be before the admission" in response.content.decode()
    response = start(client, parent, family, start_data(pas=[pa], support=(), support_notes=""))
    assert "Say what the PAs will do on the ward" in response.content.decode()
    assert not family.hospital_agreements.exists()
