"""Every date means something (an admission near today, a stay of a sane length, a discharge that
has happened, a policy that really expires), and free text has a length: what is outside gets a
clear message and changes nothing, and never a 500 at a later step."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.hostile import today_plus
from workflows.delegation.flow import DelegationFlow
from workflows.delegation.models import DelegationProcess, DelegationRiskAssessment
from workflows.hospital import driving
from workflows.hospital.flow import HospitalAgreementFlow as Flow
from workflows.hospital.models import HospitalAgreement, State

from .agreement_steps import (
    action_url, conditions, day, detail_url, funding, latest, review_url, start, start_data, take, task_answers,
    ward_manager,
)
from .steps import catalogue, open_task, request_delegation
from .steps import latest as latest_delegation
from .steps import take as take_delegation

pytestmark = pytest.mark.django_db

HUGE = "x" * 100_000


def errors_of(response):
    assert response.status_code == 200
    return response.content.decode()


def test_an_admission_on_9999_12_31_is_refused_and_another_admission_can_be_made(client, family, parent, pa):
    ward = ward_manager(family)
    page = errors_of(start(client, parent, family, start_data(
        pas=[pa], ward=ward, admission_date="9999-12-31", expected_discharge="9999-12-31")))
    assert "The admission must be within a year before today" in page
    assert not HospitalAgreement.objects.filter(recipient=family).exists()
    # nothing is left open: a real admission goes through, to funding
    assert start(client, parent, family, start_data(pas=[pa], ward=ward)).status_code == 302
    agreement = latest(family)
    client.force_login(ward)
    client.post(review_url(agreement), {**conditions("accept"), **task_answers(agreement)})
    assert take(client, parent, agreement, Flow.fund, funding(agreement, plan={1: pa})).status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == State.ACTIVE


@pytest.mark.parametrize("admission, discharge, message", [
    ("1900-01-01", "1900-01-05", "The admission must be within a year before today"),
    (today_plus(-400), today_plus(-390), "The admission must be within a year before today"),
    (today_plus(200), today_plus(201), "within four months after today"),
    (today_plus(0), "9999-12-31", "The expected discharge must be within a year of the admission"),
    (today_plus(0), today_plus(400), "The expected discharge must be within a year of the admission"),
    (today_plus(3), today_plus(1), "The expected discharge cannot be before the admission"),
])
def test_stay_dates_outside_their_window_are_refused_with_a_clear_message(
        client, family, parent, pa, admission, discharge, message):
    page = errors_of(start(client, parent, family, start_data(
        pas=[pa], email="ward@example.invalid", admission_date=admission, expected_discharge=discharge)))
    assert message in page
    assert not HospitalAgreement.objects.exists()


def test_the_service_refuses_far_dates_without_the_form(family, parent, pa):
    with pytest.raises(ValidationError) as refusal:
        driving.start_as(actor=parent, recipient=family, hospital="H", ward="W", ward_contact_name="C",
                         ward_contact_email="w@example.invalid", admission_date=datetime.date(9999, 12, 31),
                         expected_discharge=datetime.date(9999, 12, 31), pas=[pa], support=["postural"])
    assert "within a year before today" in " ".join(refusal.value.messages)
    assert not HospitalAgreement.objects.filter(recipient=family).exclude(recipient=None).exists()


@pytest.fixture
def active(client, family, parent, pa):
    ward = ward_manager(family)
    start(client, parent, family, start_data(pas=[pa], ward=ward))
    agreement = latest(family)
    client.force_login(ward)
    client.post(review_url(agreement), {**conditions("accept"), **task_answers(agreement)})
    take(client, parent, agreement, Flow.fund, funding(agreement, plan={1: pa}))
    agreement.refresh_from_db()
    assert agreement.state == State.ACTIVE
    client.force_login(parent)
    return agreement


def messages_on(client, agreement):
    return client.get(detail_url(agreement)).content.decode()


def test_a_new_expected_discharge_far_away_is_refused(client, active):
    client.post(action_url("expected", active), {"expected_discharge": "9999-12-31"})
    assert "within a year of the admission" in messages_on(client, active)
    expected = active.expected_discharge
    active.refresh_from_db()
    assert active.expected_discharge == expected
    assert client.post(action_url("expected", active), {"expected_discharge": day(10)}).status_code == 302
    active.refresh_from_db()
    assert active.expected_discharge == timezone.localdate() + datetime.timedelta(days=10)


def test_a_discharge_in_9999_is_refused(client, active):
    # a future date plans the discharge (test_hospital_discharge.py), but only within the stay's year
    client.post(action_url("discharge", active), {"discharged_on": "9999-12-31", "confirm": "yes"})
    assert "within a year of the admission" in messages_on(client, active)
    active.refresh_from_db()
    assert active.state == State.ACTIVE and active.discharged_on is None


def test_insurance_expiring_in_9999_is_refused_at_funding(client, family, parent, pa):
    ward = ward_manager(family)
    start(client, parent, family, start_data(pas=[pa], ward=ward))
    agreement = latest(family)
    client.force_login(ward)
    client.post(review_url(agreement), {**conditions("accept"), **task_answers(agreement)})
    page = errors_of(take(client, parent, agreement, Flow.fund, funding(agreement, expires="9999-12-31")))
    assert "within five years" in page
    agreement.refresh_from_db()
    assert agreement.state == State.FUNDING and agreement.insurance_expires is None


def test_100_kb_of_notes_are_refused_with_a_clear_message(client, family, parent, pa, nurse):
    page = errors_of(start(client, parent, family, start_data(pas=[pa], ward=ward_manager(family),
                                                             support_notes=HUGE)))
    assert "at most 2000 characters" in page
    assert not HospitalAgreement.objects.exists()

    page = errors_of(request_delegation(client, parent, recipient=family, pa=pa, task=catalogue("nebuliser"),
                                        reason=HUGE))
    assert "at most 2000 characters" in page
    assert not DelegationProcess.objects.exists()

    request_delegation(client, parent, recipient=family, pa=pa, task=catalogue("nebuliser"))
    process = latest_delegation(family)
    page = errors_of(take_delegation(client, nurse, process, DelegationFlow.assess_risk,
                                     {"hazards": HUGE, "controls": "c", "decision": "proceed"}))
    assert "at most 4000 characters" in page
    assert not DelegationRiskAssessment.objects.exists()
    assert open_task(process, DelegationFlow.assess_risk)


def test_the_ward_review_refuses_100_kb_of_conditions(client, family, parent, pa):
    ward = ward_manager(family)
    start(client, parent, family, start_data(pas=[pa], ward=ward))
    agreement = latest(family)
    client.force_login(ward)
    page = errors_of(client.post(review_url(agreement), {**conditions("accept", infection_control=HUGE,
                                                                       escalation_contacts=HUGE),
                                                         **task_answers(agreement)}))
    assert "at most 2000 characters" in page and "at most 1000 characters" in page
    agreement.refresh_from_db()
    assert agreement.state == State.WARD_REVIEW and agreement.infection_control == ""

