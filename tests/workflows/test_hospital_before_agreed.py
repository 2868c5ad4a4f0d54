"""What an agreement shows before the ward has signed: asked-for tasks are only asked for, and
there is no printable agreement until the ward signed and the family agreed. The admission form
says at once when the person already has an open agreement."""
import pytest

from workflows.hospital.flow import HospitalAgreementFlow as Flow

from .agreement_steps import (
    action_url, competent_pa, conditions, detail_url, latest, review_url, start, start_data, take, task_answers,
    ward_manager,
)

pytestmark = pytest.mark.django_db

PRINTABLE = "Printable signed agreement"


def test_asked_for_tasks_wait_for_the_ward_and_nothing_prints_until_it_signs(client, family, parent, nurse, pa):
    ward = ward_manager(family)
    suction = competent_pa(family, parent, nurse, pa, "tracheostomy-suction")
    start(client, parent, family, start_data(pas=[pa], ward=ward, asked=[suction.pk]))
    agreement = latest(family)

    page = client.get(detail_url(agreement)).content.decode()
    assert "Asked for — waiting for the ward" in page
    assert "The PA may do it" not in page and "allows the PA" not in page
    assert PRINTABLE not in page
    refused = client.get(action_url("print", agreement))
    assert refused.status_code == 404 and "No signed agreement yet" in refused.content.decode()

    client.force_login(ward)
    client.post(review_url(agreement), {**conditions("accept"), **task_answers(agreement, allow=["tracheostomy-suction"])})
    client.force_login(parent)
    page = client.get(detail_url(agreement)).content.decode()
    assert "✓ The ward allows the PA to do it" in page and "waiting for the ward" not in page
    assert PRINTABLE in page
    assert client.get(action_url("print", agreement)).status_code == 200


def test_an_amended_agreement_prints_only_once_the_family_agrees(client, family, parent, pa):
    ward = ward_manager(family)
    start(client, parent, family, start_data(pas=[pa], ward=ward))
    agreement = latest(family)
    client.force_login(ward)
    client.post(review_url(agreement), {**conditions("amend", support=["postural"]), **task_answers(agreement)})
    client.force_login(parent)
    assert PRINTABLE not in client.get(detail_url(agreement)).content.decode()
    assert client.get(action_url("print", agreement)).status_code == 404
    assert take(client, parent, agreement, Flow.confirm_changes, {"agreed": "yes"}).status_code == 302
    assert client.get(action_url("print", agreement)).status_code == 200


def test_the_admission_form_says_at_once_that_an_agreement_is_open(client, family, parent, pa):
    ward = ward_manager(family)
    start(client, parent, family, start_data(pas=[pa], ward=ward))
    agreement = latest(family)
    page = client.get(Flow.start.reverse("execute") + f"?recipient={family.pk}").content.decode()
    assert "already has an open hospital agreement" in page
    assert f'href="{detail_url(agreement)}"' in page
    assert 'name="hospital"' not in page  # no form to fill in vain
    # declined, the way is clear again
    client.force_login(ward)
    client.post(review_url(agreement), {**conditions("decline"), "reason": "No beds for visitors"})
    client.force_login(parent)
    assert 'name="hospital"' in client.get(Flow.start.reverse("execute") + f"?recipient={family.pk}").content.decode()
