"""Hospital shifts on the rota, suspension, the insurance warning and the overdue-discharge reminder."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from care.models import Role
from notifications.models import Message
from rota.models import Shift
from rota import services as rota
from tests.factories import member
from workflows.hospital import jobs as hospital_jobs
from workflows.hospital.flow import HospitalAgreementFlow as Flow
from workflows.hospital.models import HospitalAgreement, State

from .agreement_steps import (
    action_url, competent_pa, conditions, day, detail_url, funding, latest, review_url, start, start_data, take,
    task_answers, ward_manager,
)

pytestmark = pytest.mark.django_db


def agreed(client, family, parent, ward, pas, allow=()):
    asked = [c.pk for pa in pas for c in pa.competencies.filter(task__code__in=allow)]
    start(client, parent, family, start_data(pas=pas, ward=ward, asked=asked))
    agreement = latest(family)
    client.force_login(ward)
    response = client.post(review_url(agreement), {**conditions("accept"), **task_answers(agreement, allow=allow)})
    assert response.status_code == 302
    return agreement


def test_ward_kept_tasks_never_appear_on_hospital_shifts(client, family, parent, nurse, pa):
    pa_two = member(family, Role.PA, username="pa-two")
    ward = ward_manager(family)
    competent_pa(family, parent, nurse, pa, "tracheostomy-suction")
    competent_pa(family, parent, nurse, pa, "tracheostomy-stoma-care")
    competent_pa(family, parent, nurse, pa_two, "tracheostomy-suction")
    # the ward allows only pa's stoma care; suction (both PAs) stays with the ward
    agreement = agreed(client, family, parent, ward, [pa, pa_two], allow=("tracheostomy-stoma-care",))
    allowed = agreement.task_decisions.get(pa=pa, task__code="tracheostomy-stoma-care")
    assert allowed.ward_allows
    plan = {1: pa, 2: pa_two, 3: pa}
    assert take(client, parent, agreement, Flow.fund, funding(agreement, plan=plan)).status_code == 302
    shifts = Shift.objects.filter(hospital_agreement_link__agreement=agreement).prefetch_related("tasks")
    assert shifts.count() == 3
    for shift in shifts:
        codes = {t.code for t in shift.tasks.all()}
        assert "tracheostomy-suction" not in codes
        assert codes == ({"tracheostomy-stoma-care"} if shift.pa == pa else set())


def test_rota_refusal_is_shown_and_nothing_is_booked(client, family, parent, pa):
    ward = ward_manager(family)
    agreement = agreed(client, family, parent, ward, [pa])
    clash_start, _ = [timezone.make_aware(datetime.datetime.fromisoformat(f"{day(1)}T10:00"))] * 2
    home = rota.create_shift(recipient=family, start=clash_start, end=clash_start + datetime.timedelta(hours=2),
                             kind="day", actor=parent, pa=pa)
    # the family keeps the home shift, and plans the PA on the ward the same day
    response = take(client, parent, agreement, Flow.fund,
                    funding(agreement, plan={1: pa, 2: pa}, **{f"home_{home.pk}": "keep"}))
    assert response.status_code == 200 and "already has a shift then" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.state == State.FUNDING and not agreement.hospital_shifts.exists()
    assert Shift.objects.filter(kind="hospital").count() == 0


def test_insurance_lapsing_before_discharge_is_a_warning_and_expired_insurance_is_refused(client, family, parent, pa):
    ward = ward_manager(family)
    agreement = agreed(client, family, parent, ward, [pa])
    refused = take(client, parent, agreement, Flow.fund, funding(agreement, expires=day(-1)))
    assert "already expired" in refused.content.decode()
    response = take(client, parent, agreement, Flow.fund, funding(agreement, plan={1: pa}, expires=day(2)))
    assert response.status_code == 302
    page = client.get(detail_url(agreement)).content.decode()
    assert "before the expected discharge" in page


def test_ward_suspends_with_a_reason_and_the_pa_is_told_at_once(client, family, parent, pa, django_capture_on_commit_callbacks):
    ward = ward_manager(family)
    agreement = agreed(client, family, parent, ward, [pa])
    take(client, parent, agreement, Flow.fund, funding(agreement, plan={1: pa}))
    client.force_login(ward)
    assert client.post(action_url("suspend", agreement), {"reason": ""}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == State.ACTIVE  # no reason, no suspension
    client.force_login(parent)  # the family cannot suspend
    assert client.post(action_url("suspend", agreement), {"reason": "x"}).status_code == 403
    client.force_login(ward)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action_url("suspend", agreement), {"reason": "Infection on the bay"})
    agreement.refresh_from_db()
    assert agreement.state == State.SUSPENDED and agreement.state_reason == "Infection on the bay"
    text = Message.objects.get(user=pa, purpose="hospital-suspended")
    assert "Infection" not in text.body and "Do not go to the ward" in text.body
    assert text.status != "queued"  # handed to the sender after commit, not left waiting
    client.post(action_url("resume", agreement))
    agreement.refresh_from_db()
    assert agreement.state == State.ACTIVE
    assert Message.objects.filter(user=pa, purpose="hospital-resumed").count() == 1


def test_overdue_discharge_is_reminded_once_per_expected_date(client, family, parent, pa):
    ward = ward_manager(family)
    agreement = agreed(client, family, parent, ward, [pa])
    take(client, parent, agreement, Flow.fund, funding(agreement, plan={1: pa}))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    HospitalAgreement.objects.filter(pk=agreement.pk).update(admission_date=yesterday - datetime.timedelta(days=3),
                                                             expected_discharge=yesterday)
    assert hospital_jobs.hospital_discharge_reminders() == {"discharge_reminders": 1}
    assert hospital_jobs.hospital_discharge_reminders() == {"discharge_reminders": 0}
    assert Message.objects.filter(user=ward, purpose="hospital-discharge").count() == 1
    client.force_login(parent)
    assert "expected discharge" in client.get(reverse("home")).content.decode()
    # a new expected date clears the question; when it passes too, one more reminder
    client.force_login(ward)
    client.post(action_url("expected", agreement), {"expected_discharge": day(2)})
    agreement.refresh_from_db()
    assert agreement.expected_discharge == timezone.localdate() + datetime.timedelta(days=2)
    assert hospital_jobs.hospital_discharge_reminders() == {"discharge_reminders": 0}
    HospitalAgreement.objects.filter(pk=agreement.pk).update(expected_discharge=yesterday - datetime.timedelta(days=1))
    assert hospital_jobs.hospital_discharge_reminders() == {"discharge_reminders": 1}


def test_list_page_queries_do_not_grow_with_agreements(client, family, parent, pa, django_assert_max_num_queries):
    ward = ward_manager(family)
    url = reverse("workflows:hospital_list", args=[family.pk])
    client.force_login(parent)
    start(client, parent, family, start_data(pas=[pa], ward=ward))
    client.force_login(parent)
    client.get(url)
    # session, user, the permission lookup, the agreements, their PAs: the same at 1 and at 6
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200
    agreement = latest(family)
    for _ in range(5):
        HospitalAgreement.objects.filter(pk=agreement.pk).update(state=State.DECLINED)
        start(client, parent, family, start_data(pas=[pa], ward=ward))
        agreement = latest(family)
    client.force_login(parent)
    with django_assert_max_num_queries(9):
        assert client.get(url).content.decode().count("Ward 7, St Example") == 6
