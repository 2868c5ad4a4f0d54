"""Discharge on a past, present or future date: hospital shifts up to the discharge day stand,
later ones are cancelled once the person has seen which; a future date is a planned discharge
the periodic job ends on that day; each PA gets one text, never one per shift."""
import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time
from viewflow.workflow.status import PROCESS

from notifications.models import Message
from rota.models import Shift
from workflows.hospital import jobs
from workflows.hospital.flow import HospitalAgreementFlow as Flow
from workflows.hospital.models import State

from .agreement_steps import (
    action_url, conditions, detail_url, discharge, funding, latest, review_url, start, start_data, take,
    task_answers, ward_manager,
)

pytestmark = pytest.mark.django_db

ADMITTED = datetime.date(2027, 3, 2)  # a Tuesday; the ward's hours 09:00-17:00, shifts 2-6 Mar


def local(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def march(n):
    return datetime.date(2027, 3, n)


@pytest.fixture
def clock():
    with freeze_time(local(ADMITTED, 7)) as frozen:
        yield frozen


@pytest.fixture
def in_force(client, clock, family, parent, pa):
    """Admitted 2 Mar, expected home 6 Mar, a hospital shift every day 2-6 Mar for the PA."""
    ward = ward_manager(family)
    start(client, parent, family, start_data(pas=[pa], ward=ward, expected_discharge="2027-03-06"))
    agreement = latest(family)
    client.force_login(ward)
    assert client.post(review_url(agreement), {**conditions("accept"), **task_answers(agreement)}).status_code == 302
    response = take(client, parent, agreement, Flow.fund, funding(agreement, plan={n: pa for n in range(5)}))
    assert response.status_code == 302
    agreement.refresh_from_db()
    agreement.cast_ward = ward
    return agreement


def shift_days(agreement, status):
    shifts = Shift.objects.filter(hospital_agreement_link__agreement=agreement, status=status)
    return sorted(timezone.localdate(s.start).day for s in shifts)


def test_funding_books_a_shift_a_day_and_texts_the_pa_once(in_force, pa):
    assert shift_days(in_force, Shift.Status.CONFIRMED) == [2, 3, 4, 5, 6]
    texts = Message.objects.filter(user=pa)
    assert [m.purpose for m in texts] == ["hospital-active"]
    assert "hospital shifts for you: 2-6 Mar, 09:00-17:00 (5 shifts)" in texts.get().body


def test_discharged_today_the_days_shift_stands_and_later_ones_go(client, clock, in_force, parent, pa):
    clock.move_to(local(march(5), 8))
    page, response = discharge(client, parent, in_force)
    text = page.content.decode()
    assert "Discharged on Friday 5 March?" in text
    going, standing = text.split("Shifts that stand")
    assert "Sat 6 Mar 09:00" in going and "Fri 5 Mar" not in going
    assert "Fri 5 Mar 09:00" in standing
    assert response.status_code == 302
    in_force.refresh_from_db()
    assert in_force.state == State.DISCHARGED and in_force.discharged_on == march(5)
    assert in_force.status == PROCESS.DONE
    assert shift_days(in_force, Shift.Status.CONFIRMED) == [2, 3, 4, 5]
    assert shift_days(in_force, Shift.Status.CANCELLED) == [6]
    told = Message.objects.filter(user=pa).exclude(purpose="hospital-active")
    assert [m.purpose for m in told] == ["hospital-discharge"]
    assert "ended on 05 Mar" in told.get().body and "after that day are cancelled" in told.get().body


def test_discharged_on_a_past_date_ends_it_now_and_cancels_the_shifts_after_that_date(client, clock, in_force,
                                                                                      parent, pa):
    clock.move_to(local(march(5), 8))
    page, response = discharge(client, parent, in_force, "2027-03-03")
    assert "Discharged on Wednesday 3 March?" in page.content.decode()
    assert response.status_code == 302
    in_force.refresh_from_db()
    assert in_force.state == State.DISCHARGED and in_force.discharged_on == march(3)
    assert shift_days(in_force, Shift.Status.CONFIRMED) == [2, 3]
    assert shift_days(in_force, Shift.Status.CANCELLED) == [4, 5, 6]
    assert Message.objects.filter(user=pa).exclude(purpose="hospital-active").count() == 1


def test_a_future_date_plans_the_discharge_and_the_job_ends_it_on_that_day(client, clock, in_force, parent, pa):
    clock.move_to(local(march(3), 8))
    page, response = discharge(client, parent, in_force, "2027-03-05")
    assert "Plan the discharge for Friday 5 March?" in page.content.decode()
    assert response.status_code == 302
    in_force.refresh_from_db()
    # still in force until the day; only the shift after it goes now, and the PA hears once
    assert in_force.state == State.ACTIVE and in_force.planned_discharge == march(5)
    assert in_force.expected_discharge == march(5)
    assert shift_days(in_force, Shift.Status.CONFIRMED) == [2, 3, 4, 5]
    assert shift_days(in_force, Shift.Status.CANCELLED) == [6]
    told = Message.objects.filter(user=pa, purpose="hospital-discharge")
    assert "ends on 05 Mar" in told.get().body
    client.force_login(parent)
    assert "Discharge planned for" in client.get(detail_url(in_force)).content.decode()

    clock.move_to(local(march(4), 23, 30))
    assert jobs.hospital_planned_discharges() == {"planned_discharges_ended": 0}
    clock.move_to(local(march(5), 0, 30))
    assert jobs.hospital_planned_discharges() == {"planned_discharges_ended": 1}
    assert jobs.hospital_planned_discharges() == {"planned_discharges_ended": 0}
    in_force.refresh_from_db()
    assert in_force.state == State.DISCHARGED and in_force.discharged_on == march(5)
    assert in_force.status == PROCESS.DONE
    assert shift_days(in_force, Shift.Status.CONFIRMED) == [2, 3, 4, 5]
    assert Message.objects.filter(user=pa).exclude(purpose="hospital-active").count() == 1


def test_nothing_is_cancelled_before_the_person_confirms(client, clock, in_force, parent):
    clock.move_to(local(march(3), 8))
    client.force_login(parent)
    assert client.post(action_url("discharge", in_force), {"discharged_on": "2027-03-03"}).status_code == 200
    in_force.refresh_from_db()
    assert in_force.state == State.ACTIVE and shift_days(in_force, Shift.Status.CANCELLED) == []


def test_a_rota_changed_since_the_confirmation_is_refused_and_changes_nothing(client, clock, in_force, parent):
    clock.move_to(local(march(3), 8))
    client.force_login(parent)
    url = action_url("discharge", in_force)
    stale = ",".join(str(s.pk) for s in Shift.objects.filter(start__gte=local(march(6), 0)))  # what a 5 Mar date shows
    response = client.post(url, {"discharged_on": "2027-03-03", "going": stale, "confirm": "yes"}, follow=True)
    assert "The hospital shifts changed since you looked" in response.content.decode()
    in_force.refresh_from_db()
    assert in_force.state == State.ACTIVE and shift_days(in_force, Shift.Status.CANCELLED) == []


def test_a_discharge_before_the_admission_is_refused_with_a_message(client, clock, in_force, parent):
    client.force_login(parent)
    response = client.post(action_url("discharge", in_force), {"discharged_on": "2027-03-01"}, follow=True)
    assert "The discharge cannot be before the admission" in response.content.decode()
    in_force.refresh_from_db()
    assert in_force.state == State.ACTIVE


def test_a_pa_cannot_record_the_discharge(client, clock, in_force, pa, parent):
    client.force_login(pa)
    assert client.post(action_url("discharge", in_force), {"discharged_on": ""}).status_code == 403
    # the same request as the family is allowed
    client.force_login(parent)
    assert client.post(action_url("discharge", in_force), {"discharged_on": ""}).status_code == 200
