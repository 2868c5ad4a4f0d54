"""Between sign-off and review: the practitioner's supervision and spot checks, a concern that
opens an early review or suspends at once, a change in the person's condition opening early
reviews of every live delegation, and a review that re-observes against the task's criteria."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import STATUS

from competencies.models import Competency, Status
from notifications.models import Message
from tests.factories import ProfileFactory, log_in_with_second_factor
from workflows.delegation.flow import DelegationFlow
from workflows.delegation.models import ConditionChange, Supervision

from .steps import catalogue, open_task, signed_off_delegation, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(family, parent, nurse, pa):
    return signed_off_delegation(parent=parent, nurse=nurse, pa=pa, recipient=family,
                                 task=catalogue("tracheostomy-stoma-care"))


def reviews(process):
    return process.task_set.filter(flow_task=DelegationFlow.review)


def supervise(client, user, process, **data):
    log_in_with_second_factor(client, user)
    body = {"on": timezone.localdate().isoformat(), "observed": "yes", "outcome": "satisfactory", "notes": "",
            "then": ""}
    body.update(data)
    return client.post(reverse("workflows:delegation:supervise", args=[process.pk]), body)


def re_observed(task, met=True):
    return {f"criterion_{i}": "yes" if met or i else "no" for i, _ in enumerate(task.criteria)}


def test_supervision_is_recorded_and_shown_on_the_process_page(client, process, nurse):
    assert supervise(client, nurse, process, notes="Good technique at bath time").status_code == 302
    record = Supervision.objects.get(process=process)
    assert (record.by, record.observed, record.outcome) == (nurse, True, "satisfactory")
    page = client.get(reverse("workflows:delegation:process_detail", args=[process.pk])).content.decode()
    assert "Good technique at bath time" in page and "Satisfactory" in page
    assert not reviews(process).exists()


def test_a_concern_at_supervision_opens_the_review_early_and_the_practitioner_is_texted(
        client, process, nurse, django_capture_on_commit_callbacks):
    ProfileFactory(user=nurse)
    with django_capture_on_commit_callbacks(execute=True):
        supervise(client, nurse, process, outcome="concern", notes="Forgot to check the tube ties", then="early_review")
    assert reviews(process).get().status == STATUS.NEW
    assert Message.objects.filter(purpose="delegation-review", user=nurse).count() == 1


def test_a_concern_can_suspend_at_once(client, process, nurse):
    supervise(client, nurse, process, outcome="unsafe", notes="Unsafe technique", then="suspend")
    assert Competency.objects.get(pk=process.competency_id).status == Status.SUSPENDED


def test_a_concern_needs_notes_and_a_satisfactory_check_cannot_suspend(client, process, nurse):
    supervise(client, nurse, process, outcome="concern", notes="")
    supervise(client, nurse, process, outcome="satisfactory", then="suspend")
    assert not Supervision.objects.exists()
    assert Competency.objects.get(pk=process.competency_id).status == Status.SIGNED_OFF


def test_supervision_is_for_clinicians_and_404_outside_the_circle(client, process, parent, other_parent):
    assert supervise(client, parent, process).status_code == 403
    assert supervise(client, other_parent, process).status_code == 404
    assert not Supervision.objects.exists()


def test_a_condition_change_opens_early_reviews_of_every_live_delegation(client, family, parent, nurse, pa, process):
    second = signed_off_delegation(parent=parent, nurse=nurse, pa=pa, recipient=family,
                                   task=catalogue("tracheostomy-suction"))
    client.force_login(parent)  # the budget holder may record it too
    response = client.post(reverse("workflows:condition_change", args=[family.pk]),
                           {"summary": "New trachy tube size after admission"})
    assert response.status_code == 302
    assert ConditionChange.objects.get().recorded_by == parent
    for each in (process, second):
        assert reviews(each).get().status == STATUS.NEW
    page = client.get(reverse("workflows:list", args=[family.pk])).content.decode()
    assert "New trachy tube size after admission" in page


def test_a_condition_change_is_refused_to_a_pa_and_outsiders(client, family, pa, other_parent, process):
    client.force_login(pa)
    assert client.post(reverse("workflows:condition_change", args=[family.pk]), {"summary": "x"}).status_code == 403
    client.force_login(other_parent)
    assert client.post(reverse("workflows:condition_change", args=[family.pk]), {"summary": "x"}).status_code == 404
    assert not ConditionChange.objects.exists()


def test_the_review_re_observes_each_criterion_before_renewing(client, process, nurse):
    task = process.healthcare_task
    log_in_with_second_factor(client, nurse)
    supervise(client, nurse, process, outcome="concern", notes="Check again", then="early_review")
    unobserved = take(client, nurse, process, DelegationFlow.review, {"decision": "renew"})
    assert unobserved.status_code == 200 and "mark every criterion" in unobserved.content.decode()
    failed = take(client, nurse, process, DelegationFlow.review, {"decision": "renew", **re_observed(task, met=False)})
    assert failed.status_code == 200 and "not met on re-observation" in failed.content.decode()
    until = Competency.objects.get(pk=process.competency_id).valid_until

    assert take(client, nurse, process, DelegationFlow.review, {"decision": "renew", **re_observed(task)}).status_code == 302
    assert Competency.objects.get(pk=process.competency_id).valid_until > until
    review = Supervision.objects.get(process=process, kind="review")
    assert all(r["passed"] for r in review.results) and len(review.results) == len(task.criteria)
