"""The home rota during an admission: when the hospital shifts are planned the family chooses,
shift by shift, to keep, cancel or turn each home shift inside the stay into that day's hospital
shift; every clash is listed at once; times already begun are not offered; after discharge the
home shifts that fall after it are offered back."""
import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from care.models import Role
from notifications.models import Message
from rota import services as rota
from rota.models import Shift
from tests.factories import member
from workflows.hospital.flow import HospitalAgreementFlow as Flow
from workflows.hospital.models import HomeShift, State

from .agreement_steps import (
    action_url, conditions, detail_url, discharge, funding, latest, open_task, review_url, start, start_data, take,
    task_answers, ward_manager,
)

pytestmark = pytest.mark.django_db


def local(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def march(n):
    return datetime.date(2027, 3, n)


def home_shift(family, parent, pa, day, start=8, end=14):
    return rota.create_shift(recipient=family, start=local(day, start), end=local(day, end), kind="day",
                             actor=parent, pa=pa)


@pytest.fixture
def clock():
    with freeze_time(local(march(2), 7)) as frozen:
        yield frozen


@pytest.fixture
def agreed(client, clock, family, parent, pa):
    """Admitted 2 Mar, expected home 6 Mar, the ward's hours 09:00-17:00; only `pa` is named."""
    ward = ward_manager(family)
    start(client, parent, family, start_data(pas=[pa], ward=ward, expected_discharge="2027-03-06"))
    agreement = latest(family)
    client.force_login(ward)
    client.post(review_url(agreement), {**conditions("accept"), **task_answers(agreement)})
    return agreement


@pytest.fixture
def home(family, parent, pa):
    """The home rota inside the stay: `pa` mornings 3-5 Mar, another PA the afternoon of 3 Mar."""
    pa_two = member(family, Role.PA, username="pa-two")
    shifts = {"mornings": [home_shift(family, parent, pa, march(n)) for n in (3, 4, 5)],
              "afternoon": home_shift(family, parent, pa_two, march(3), 14, 20), "pa_two": pa_two}
    Message.objects.all().delete()  # the rota's booking texts, from before the admission
    return shifts


def choices(home, mornings, afternoon):
    data = {f"home_{s.pk}": c for s, c in zip(home["mornings"], mornings)}
    return {**data, f"home_{home['afternoon'].pk}": afternoon}


def test_the_fund_page_lists_the_home_shifts_in_the_stay_and_offers_turn_only_for_named_pas(client, agreed, home,
                                                                                            parent):
    task = open_task(agreed, Flow.fund)
    client.force_login(parent)
    client.post(Flow.fund.reverse("assign", args=[agreed.pk, task.pk]))
    page = client.get(Flow.fund.reverse("execute", args=[agreed.pk, task.pk])).content.decode()
    assert "Home shifts during the stay (4)" in page
    assert page.count('value="turn"') == 3  # the other PA is not named in the agreement
    assert f'name="home_{home["afternoon"].pk}" value="cancel"' in page


def test_three_clashes_are_listed_together_and_nothing_changes(client, agreed, home, parent, pa):
    plan = {n: pa for n in range(5)}  # 2-6 Mar on the ward, while every home shift is kept
    response = take(client, parent, agreed, Flow.fund,
                     funding(agreed, plan=plan, **choices(home, ["keep"] * 3, "keep")))
    page = response.content.decode()
    assert response.status_code == 200
    for day in ("Wed 03 Mar", "Thu 04 Mar", "Fri 05 Mar"):
        assert f"on {day}: " in page and "already has a shift then" in page.split(f"on {day}: ")[1][:200], day
    agreed.refresh_from_db()
    assert agreed.state == State.FUNDING and not agreed.hospital_shifts.exists()
    assert not HomeShift.objects.exists()
    assert all(Shift.objects.get(pk=s.pk).status == Shift.Status.CONFIRMED for s in home["mornings"])
    assert not Message.objects.exists(), list(Message.objects.values_list("purpose", "body"))


def test_each_home_shift_is_kept_cancelled_or_turned_as_chosen_and_each_pa_told_once(client, agreed, home,
                                                                                    parent, pa):
    plan = {0: pa, 1: pa, 2: None, 3: None, 4: pa}
    response = take(client, parent, agreed, Flow.fund,
                    funding(agreed, plan=plan, **choices(home, ["turn", "cancel", "keep"], "cancel")))
    assert response.status_code == 302, response.content.decode()[:3000]
    wednesday, thursday, friday = (Shift.objects.get(pk=s.pk) for s in home["mornings"])
    # turned: the same shift, now on the ward at its hours, linked to the agreement
    assert wednesday.kind == "hospital" and wednesday.status == Shift.Status.CONFIRMED and wednesday.pa == pa
    assert (timezone.localtime(wednesday.start).hour, timezone.localtime(wednesday.end).hour) == (9, 17)
    assert wednesday.hospital_agreement_link.agreement == agreed
    assert thursday.status == Shift.Status.CANCELLED
    assert friday.status == Shift.Status.CONFIRMED and friday.kind == "day"
    assert Shift.objects.get(pk=home["afternoon"].pk).status == Shift.Status.CANCELLED
    hospital_days = sorted(timezone.localdate(s.start).day for s in
                           Shift.objects.filter(hospital_agreement_link__agreement=agreed))
    assert hospital_days == [2, 3, 6]
    assert list(Message.objects.filter(user=pa).values_list("purpose", flat=True)) == ["hospital-active"]
    assert "Your home shifts in the stay are cancelled" in Message.objects.get(user=pa).body
    told = Message.objects.get(user=home["pa_two"])
    assert told.purpose == "hospital-home" and "3 Mar" in told.body and "Ward" not in told.body


def test_times_already_begun_are_not_offered(client, clock, agreed, home, parent, pa):
    clock.move_to(local(march(3), 9, 30))  # the ward's hours on 3 Mar and the 08:00 home shift have begun
    task = open_task(agreed, Flow.fund)
    client.force_login(parent)
    client.post(Flow.fund.reverse("assign", args=[agreed.pk, task.pk]))
    page = client.get(Flow.fund.reverse("execute", args=[agreed.pk, task.pk])).content.decode()
    assert "day_20270303" not in page and "day_20270304" in page
    assert f'name="home_{home["mornings"][0].pk}"' not in page
    assert f'name="home_{home["mornings"][1].pk}"' in page


def test_after_discharge_the_home_shifts_after_it_are_offered_back(client, clock, agreed, home, parent, pa):
    take(client, parent, agreed, Flow.fund,
         funding(agreed, plan={0: pa, 1: pa}, **choices(home, ["turn", "cancel", "cancel"], "cancel")))
    clock.move_to(local(march(3), 7))
    discharge(client, parent, agreed, "2027-03-03")
    agreed.refresh_from_db()
    assert agreed.state == State.DISCHARGED
    page = client.get(detail_url(agreed)).content.decode()
    assert "Put the home rota back" in page
    section = page.split("Put the home rota back")[1].split("</section>")[0]
    assert "Thu 4 Mar 08:00" in section and "Fri 5 Mar 08:00" in section
    assert "Wed 3 Mar" not in section  # on the discharge day: not offered back
    rows = HomeShift.objects.filter(agreement=agreed, choice="cancel", shift__pa=pa).order_by("shift__start")
    response = client.post(action_url("home_back", agreed), {"home": [r.pk for r in rows]})
    assert response.status_code == 302
    back = Shift.objects.filter(recipient=agreed.recipient, kind="day", status=Shift.Status.CONFIRMED, pa=pa)
    assert sorted(timezone.localdate(s.start).day for s in back) == [4, 5]
    assert Message.objects.filter(user=pa, purpose="hospital-home").count() == 1
    assert "Put the home rota back" not in client.get(detail_url(agreed)).content.decode()
    # the PA cannot do it
    client.force_login(pa)
    assert client.post(action_url("home_back", agreed), {"home": [rows[0].pk]}).status_code == 403
