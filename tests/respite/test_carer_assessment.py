"""The carer's assessment (Care Act 2014 s10): the coordinator records it, a review replaces it,
respite allowances rest on it and never exceed it, the coordinator is told when a review is due,
and only the carer, the budget holder and the coordinator see it."""
import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from care.models import AuditEvent, Role
from respite import assessments
from respite.models import CarerAssessment, RespiteAccount
from tests.factories import ProfileFactory, log_in_with_second_factor, member
from tests.respite.conftest import texts_to
from tests.respite.factories import CarerAssessmentFactory, RespiteAccountFactory


def form(carer, **changes):
    today = timezone.localdate()
    data = {"carer": carer.pk, "assessed_on": (today - datetime.timedelta(days=3)).isoformat(),
            "assessor": "J. Smith, Leeds adult social care", "able_to_continue": "True",
            "willing_to_continue": "True", "impact": "Up most nights; has stopped seeing friends.",
            "outcomes": "One day a month off; to keep her part-time job.", "eligibility": "eligible",
            "support": "Respite cover by the family's PAs.", "respite_hours": "8", "respite_period_length": "4",
            "respite_period_unit": "week", "review_on": (today + datetime.timedelta(days=365)).isoformat()}
    return {**data, **changes}


def test_the_coordinator_records_an_assessment_and_a_review_replaces_it(client, family, carer, coordinator):
    client.force_login(coordinator)
    url = reverse("respite:assessment_new", args=[family.pk])
    response = client.post(url, form(carer))
    first = CarerAssessment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("respite:assessment", args=[first.pk])
    assert (first.respite_hours, first.respite_display, first.able_to_continue) == (
        Decimal("8.00"), "8 hours every 4 weeks", True)
    client.post(url, form(carer, respite_hours="12", willing_to_continue="False"))
    second = CarerAssessment.objects.current().get()
    assert second.supersedes == first and second.respite_hours == 12 and second.willing_to_continue is False
    recorded = AuditEvent.objects.filter(action="respite.assessment_recorded", recipient=family)
    assert recorded.count() == 2 and f"replaces {first.reference}" in recorded.first().summary
    body = client.get(reverse("respite:assessment", args=[first.pk])).content.decode()
    assert f"Replaced by" in body and second.reference in body


@pytest.mark.parametrize("changes, message", [
    ({"assessed_on": (datetime.date.today() + datetime.timedelta(days=2)).isoformat()},
     "An assessment cannot be dated in the future"),
    ({"review_on": (datetime.date.today() - datetime.timedelta(days=5)).isoformat()},
     "The review comes after the assessment"),
    ({"respite_period_unit": ""}, "or leave all three blank"),
    ({"respite_hours": "7.1"}, "quarter hours"),
    ({"impact": "   "}, "This field is required"),
])
def test_bad_assessments_are_refused_with_a_message_and_nothing_saved(client, family, carer, coordinator,
                                                                      changes, message):
    client.force_login(coordinator)
    response = client.post(reverse("respite:assessment_new", args=[family.pk]), form(carer, **changes))
    assert response.status_code == 400 and message in response.content.decode()
    assert not CarerAssessment.objects.exists() and not AuditEvent.objects.filter(
        action="respite.assessment_recorded").exists()


def test_an_allowance_above_the_assessment_is_refused_with_the_figure(client, family, carer, coordinator):
    assessment = CarerAssessmentFactory(recipient=family, carer=carer)
    log_in_with_second_factor(client, coordinator)
    terms = {"carer": carer.pk, "assessment": assessment.pk, "allowance_hours": "10", "period_length": "4",
             "period_unit": "week", "periods_start_on": timezone.localdate().isoformat(), "expiry_months": "12"}
    response = client.post(reverse("respite:person", args=[family.pk]), terms)
    assert response.status_code == 400
    assert (f"{assessment.reference} agreed at most 8 hours every 4 weeks: 10 hours is more than that."
            in response.content.decode())
    response = client.post(reverse("respite:person", args=[family.pk]), {**terms, "allowance_hours": "8",
                                                                         "period_length": "1", "period_unit": "month"})
    assert response.status_code == 400 and "give the allowance for the same period" in response.content.decode()
    assert not RespiteAccount.objects.exists()
    assert client.post(reverse("respite:person", args=[family.pk]), {**terms, "allowance_hours": "8"}).status_code == 302
    assert RespiteAccount.objects.get().assessment == assessment


def test_changing_an_allowance_cites_the_current_assessment_and_stays_within_it(client, family, carer, coordinator):
    old = CarerAssessmentFactory(recipient=family, carer=carer)
    account = RespiteAccountFactory(recipient=family, carer=carer, assessment=old, allowance_hours=Decimal("6"))
    review = CarerAssessmentFactory(recipient=family, carer=carer, supersedes=old, respite_hours=Decimal("10"))
    log_in_with_second_factor(client, coordinator)
    url = reverse("respite:allowance", args=[account.pk])
    response = client.post(url, {"allowance_hours": "12", "assessment": review.pk})
    assert response.status_code == 400 and "agreed at most 10 hours every 4 weeks: 12 hours is more than that" in (
        response.content.decode())
    # the old assessment is not offered any more; named anyway, the service refuses it
    with pytest.raises(Exception, match="has been replaced by"):
        assessments.change_allowance(account=account, assessment=CarerAssessment.objects.get(pk=old.pk),
                                     allowance_hours=Decimal("6"), actor=coordinator)
    account.refresh_from_db()
    assert (account.allowance_hours, account.assessment) == (Decimal("6.00"), old)
    assert client.post(url, {"allowance_hours": "9.5", "assessment": review.pk}).status_code == 302
    account.refresh_from_db()
    assert (account.allowance_hours, account.assessment) == (Decimal("9.50"), review)
    changed = AuditEvent.objects.get(action="respite.allowance_changed")
    assert "6 hours every 4 weeks to 9.5 hours every 4 weeks" in changed.summary and review.reference in changed.summary


@pytest.fixture
def aunt(family):
    """Another carer in the same circle: the grandparent's assessment is not hers to read."""
    return member(family, Role.CARER, username="aunt")


def test_only_the_carer_the_budget_holder_and_the_coordinator_see_an_assessment(
        client, family, carer, aunt, parent, coordinator, pa, nurse, other_parent, outsider):
    assessment = CarerAssessmentFactory(recipient=family, carer=carer)
    url = reverse("respite:assessment", args=[assessment.pk])
    for user in (carer, parent, coordinator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and "Broken sleep most nights." in response.content.decode()
    for user in (aunt, pa, nurse, other_parent, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    # and on the person's respite page, the aunt sees none of it
    client.force_login(aunt)
    assert assessment.reference not in client.get(reverse("respite:person", args=[family.pk])).content.decode()
    client.force_login(carer)
    assert assessment.reference in client.get(reverse("respite:person", args=[family.pk])).content.decode()


def test_only_the_coordinator_records_an_assessment(client, family, carer, parent, coordinator, pa, outsider):
    url = reverse("respite:assessment_new", args=[family.pk])
    for user in (carer, parent, pa):
        client.force_login(user)
        assert client.post(url, form(carer)).status_code == 403
    client.force_login(outsider)
    assert client.post(url, form(carer)).status_code == 404
    assert not CarerAssessment.objects.exists()
    client.force_login(coordinator)
    assert client.post(url, form(carer)).status_code == 302


def test_the_coordinator_is_told_once_when_a_review_is_due(family, carer, coordinator, django_capture_on_commit_callbacks):
    ProfileFactory(user=coordinator, mobile="+447700900777")
    soon = CarerAssessmentFactory(recipient=family, carer=carer,
                                  review_on=timezone.localdate() + datetime.timedelta(days=10))
    CarerAssessmentFactory(recipient=family, carer=member(family, Role.CARER),
                           review_on=timezone.localdate() + datetime.timedelta(days=90))
    with django_capture_on_commit_callbacks(execute=True):
        assert assessments.send_review_reminders() == 1
        assert assessments.send_review_reminders() == 0
    [text] = texts_to(coordinator)
    assert soon.reference in text and "due for review" in text and family.display_name not in text
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert AuditEvent.objects.filter(action="respite.assessment_review_due").count() == 1


def test_the_review_reminder_is_a_periodic_job():
    from paworkflow.periodic import JOBS

    assert JOBS["respite.jobs.remind_carer_assessment_reviews"] == 3600


def test_an_assessment_page_only_answers_get(client, family, carer, coordinator):
    assessment = CarerAssessmentFactory(recipient=family, carer=carer)
    client.force_login(coordinator)
    assert client.post(reverse("respite:assessment", args=[assessment.pk])).status_code == 405
    assert client.put(reverse("respite:assessment_new", args=[family.pk])).status_code == 405
