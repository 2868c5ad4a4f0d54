"""What the trials met on the way through a delegation, each mended: dates that show in date
inputs, a failed assessment that says so, one tap to take a step (and a way to give it back),
training that cannot be skipped or backdated, and the clinician's reason kept on revocation."""
import datetime

import pytest
from django.urls import reverse

from tests.factories import log_in_with_second_factor
from workflows.delegation.flow import DelegationFlow

from .steps import (
    assessment, catalogue, latest, open_task, request_delegation, signed_off_delegation, take,
    through_to_assessment, training, RISK_OK, YES,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def task():
    return catalogue("tracheostomy-suction")


@pytest.fixture
def at_training(client, family, parent, nurse, pa, task):
    assert request_delegation(client, parent, recipient=family, pa=pa, task=task).status_code == 302
    process = latest(family)
    take(client, nurse, process, DelegationFlow.assess_risk, RISK_OK)
    take(client, parent, process, DelegationFlow.consent, YES)
    take(client, pa, process, DelegationFlow.accept, YES)
    return process


def step_page(client, user, process, node):
    log_in_with_second_factor(client, user)
    step = open_task(process, node)
    if step.owner_id is None:
        client.post(node.reverse("assign", args=[process.pk, step.pk]))
    return client.get(node.reverse("execute", args=[process.pk, step.pk])).content.decode()


def test_training_date_is_filled_in_as_an_iso_value_the_date_input_can_show(client, at_training, nurse):
    from django.utils import timezone

    page = step_page(client, nurse, at_training, DelegationFlow.train)
    assert f'value="{timezone.localdate().isoformat()}"' in page


def test_a_failed_assessment_says_not_yet_competent_and_the_attempts_used(client, family, parent, nurse, pa, task):
    process = through_to_assessment(client, parent=parent, nurse=nurse, pa=pa, recipient=family, task=task)
    response = take(client, nurse, process, DelegationFlow.assess, assessment(task, passed=False))
    page = client.get(response.url).content.decode()
    assert "not yet competent — attempt 1 of 3" in page
    assert "Observed competency assessment: done." not in page


def test_training_after_a_failed_assessment_needs_a_supervised_practice(client, family, parent, nurse, pa, task):
    process = through_to_assessment(client, parent=parent, nurse=nurse, pa=pa, recipient=family, task=task)
    take(client, nurse, process, DelegationFlow.assess, assessment(task, passed=False))
    refused = take(client, nurse, process, DelegationFlow.train, training(0))
    assert refused.status_code == 200
    assert "at least one more supervised practice" in refused.content.decode()
    process.refresh_from_db()
    assert process.competency.training_records.count() == 1  # nothing written
    assert take(client, nurse, process, DelegationFlow.train, training(1)).status_code == 302
    assert open_task(process, DelegationFlow.assess)


def test_training_dated_before_the_request_is_refused(client, at_training, nurse):
    before = (at_training.created - datetime.timedelta(days=2)).date().isoformat()
    refused = take(client, nurse, at_training, DelegationFlow.train, {**training(3), "trained_on": before})
    assert refused.status_code == 200
    assert "cannot be dated earlier" in refused.content.decode()
    at_training.refresh_from_db()
    assert not at_training.competency.training_records.exists()


def test_a_step_is_taken_and_opened_in_one_tap_and_can_be_given_back(client, at_training, nurse):
    log_in_with_second_factor(client, nurse)
    process_page = client.get(reverse("workflows:delegation:process_detail", args=[at_training.pk])).content.decode()
    step = open_task(at_training, DelegationFlow.train)
    claim = DelegationFlow.train.reverse("assign", args=[at_training.pk, step.pk])
    assert f'action="{claim}"' in process_page and "Take and open" in process_page

    opened = client.post(claim, follow=True)
    body = opened.content.decode()
    assert opened.redirect_chain[-1][0] == DelegationFlow.train.reverse("execute", args=[at_training.pk, step.pk])
    assert "has been assigned" not in body and "Supervised practices so far" in body
    give_back = DelegationFlow.train.reverse("unassign", args=[at_training.pk, step.pk])
    assert f'action="{give_back}"' in body

    given = client.post(give_back, follow=True)
    assert "given back" in given.content.decode()
    step.refresh_from_db()
    assert step.owner_id is None


def test_the_inbox_claims_and_opens_in_one_tap(client, at_training, nurse):
    log_in_with_second_factor(client, nurse)
    step = open_task(at_training, DelegationFlow.train)
    inbox = client.get(reverse("workflows:inbox")).content.decode()
    assert f'action="{DelegationFlow.train.reverse("assign", args=[at_training.pk, step.pk])}"' in inbox


def test_revoking_keeps_the_clinicians_reason_on_the_process_page(client, family, parent, nurse, pa, task):
    process = signed_off_delegation(parent=parent, nurse=nurse, pa=pa, recipient=family, task=task)
    log_in_with_second_factor(client, nurse)
    client.post(reverse("competencies:revoke", args=[process.competency_id]),
                {"reason": "Unsafe suction depth seen twice", "confirm": "yes"})
    page = client.get(reverse("workflows:delegation:process_detail", args=[process.pk])).content.decode()
    assert "Unsafe suction depth seen twice" in page
    assert "valid until" not in page
