"""A ward's suspension is seen on the hospital shifts by everyone, told once to the PA and the
budget holder, and lifted from the shifts still to come when the ward resumes."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from notifications.models import Message
from rota.models import Shift
from tests.factories import ProfileFactory
from workflows.hospital.flow import HospitalAgreementFlow as Flow

from .agreement_steps import (
    action_url, conditions, funding, latest, review_url, start, start_data, take, task_answers, ward_manager,
)

pytestmark = pytest.mark.django_db

SUSPENDED = "Suspended by the ward"


def local(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def march(n):
    return datetime.date(2027, 3, n)


@pytest.fixture
def clock():
    with freeze_time(local(march(2), 7)) as frozen:
        yield frozen


@pytest.fixture
def in_force(client, clock, family, parent, pa):
    ProfileFactory(user=parent)  # the budget holder has a mobile and agreed to texts
    ward = ward_manager(family)
    start(client, parent, family, start_data(pas=[pa], ward=ward, expected_discharge="2027-03-06"))
    agreement = latest(family)
    client.force_login(ward)
    client.post(review_url(agreement), {**conditions("accept"), **task_answers(agreement)})
    assert take(client, parent, agreement, Flow.fund, funding(agreement, plan={n: pa for n in range(5)})).status_code == 302
    agreement.ward_user = ward
    return agreement


def shift_on(agreement, day):
    return Shift.objects.get(hospital_agreement_link__agreement=agreement, start__date=day)


def shift_page(client, user, shift):
    client.force_login(user)
    return client.get(reverse("rota:shift", args=[shift.pk])).content.decode()


def test_suspension_shows_on_every_shift_page_and_is_told_once(client, clock, in_force, family, parent, pa, carer):
    client.force_login(in_force.ward_user)
    assert client.post(action_url("suspend", in_force), {"reason": "Outbreak on the bay"}).status_code == 302
    thursday = shift_on(in_force, march(4))
    for user in (pa, parent, carer, in_force.ward_user):
        assert SUSPENDED in shift_page(client, user, thursday), user
    client.force_login(pa)
    assert SUSPENDED in client.get(reverse("rota:mine")).content.decode()
    client.force_login(parent)
    week = client.get(reverse("rota:week", args=[family.pk]) + "?week=2027-03-01").content.decode()
    assert week.count(SUSPENDED) == 5
    # five shifts, one text each
    assert Message.objects.filter(user=pa, purpose="hospital-suspended").count() == 1
    assert Message.objects.filter(user=parent, purpose="hospital-suspended").count() == 1
    assert not Message.objects.filter(user=pa, purpose__startswith="rota-").exists()


def test_resuming_clears_the_shifts_still_to_come_and_keeps_the_record_of_those_missed(client, clock, in_force, pa,
                                                                                     parent):
    client.force_login(in_force.ward_user)
    client.post(action_url("suspend", in_force), {"reason": "Outbreak on the bay"})
    clock.move_to(local(march(4), 8))
    client.force_login(in_force.ward_user)
    assert client.post(action_url("resume", in_force)).status_code == 302
    assert SUSPENDED in shift_page(client, pa, shift_on(in_force, march(3)))  # fell inside the suspension
    for day in (4, 5, 6):
        assert SUSPENDED not in shift_page(client, pa, shift_on(in_force, march(day)))
    assert Message.objects.filter(user=pa, purpose="hospital-resumed").count() == 1
    assert Message.objects.filter(user=parent, purpose="hospital-resumed").count() == 1


def test_only_the_ward_suspends(client, clock, in_force, parent, pa):
    for user in (parent, pa):
        client.force_login(user)
        assert client.post(action_url("suspend", in_force), {"reason": "x"}).status_code == 403
    assert SUSPENDED not in shift_page(client, pa, shift_on(in_force, march(4)))
