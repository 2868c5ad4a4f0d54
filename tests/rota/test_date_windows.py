"""Dates people can mistype (0001, 1900, 9999) never crash a rota page and are never saved: a shift
is recorded at most a year after the fact and planned at most two years ahead (rota.rules), and
a week far outside that is shown as the nearest week the rota can hold, with a note saying so."""
from paworkflow import settings as project_settings
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rota import rules, services
from rota.models import Shift

from .factories import YEAR, at


@pytest.fixture
def real_window(settings):
    """The window a family has, not the one the rota tests widen to reach their March of YEAR."""
    settings.ROTA_SHIFTS_AHEAD_DAYS = project_settings.ROTA_SHIFTS_AHEAD_DAYS


def new_shift(client, recipient, day, start="09:00", end="17:00", **extra):
    return client.post(reverse("rota:new", args=[recipient.pk]),
                       {"day": day, "start_time": start, "end_time": end, "kind": "day", **extra})


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "1900-01-01", "2999-06-15"])
def test_a_week_outside_the_rota_is_shown_as_the_nearest_week_it_holds(client, family, parent, week, real_window):
    client.force_login(parent)
    response = client.get(reverse("rota:week", args=[family.pk]), {"week": week})
    assert response.status_code == 200
    first, last = rules.rota_weeks()
    monday = response.context["monday"]
    assert first <= monday <= last
    assert "The rota shows weeks from" in response.content.decode()


def test_a_week_inside_the_rota_has_no_note(client, family, parent):
    client.force_login(parent)
    response = client.get(reverse("rota:week", args=[family.pk]), {"week": f"{YEAR}-03-03"})
    assert response.context["monday"] == datetime.date(YEAR, 3, 1)
    assert "The rota shows weeks from" not in response.content.decode()


def test_the_budget_page_for_an_impossible_day_does_not_crash(client, family, parent):
    client.force_login(parent)
    for day in ("9999-12-31", "0001-01-01"):
        assert client.get(reverse("rota:budget", args=[family.pk]), {"on": day}).status_code == 200


@pytest.mark.parametrize("day, start, end", [
    ("9999-12-31", "22:00", "06:00"),  # a night that would end in the year 10000
    ("9999-12-31", "09:00", "17:00"),
    ("0001-01-01", "09:00", "17:00"),
    ("1900-01-01", "09:00", "17:00"),
    ("2999-01-01", "09:00", "17:00"),
])
def test_a_shift_far_from_today_is_refused_on_the_form(client, family, parent, day, start, end, real_window):
    client.force_login(parent)
    response = new_shift(client, family, day, start, end)
    assert response.status_code == 400
    assert "Shifts can be recorded from" in response.content.decode()
    assert not Shift.objects.exists()


def test_a_new_shift_page_opened_on_an_impossible_day_still_renders(client, family, parent):
    client.force_login(parent)
    assert client.get(reverse("rota:new", args=[family.pk]), {"day": "9999-12-31"}).status_code == 200


def test_the_service_refuses_a_shift_outside_the_window(family, parent, real_window):
    today = timezone.localdate()
    first, last = rules.shift_window()
    assert first == today - datetime.timedelta(days=rules.SHIFTS_BACK_DAYS)
    assert last == today + datetime.timedelta(days=2 * 366)
    for day in (first - datetime.timedelta(days=1), last + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError, match="Shifts can be recorded from"):
            services.create_shift(recipient=family, start=at(day, 9), end=at(day, 17), kind="day", actor=parent)
    for day in (first, last):  # the edges themselves are inside
        services.create_shift(recipient=family, start=at(day, 9), end=at(day, 17), kind="day", actor=parent)
    assert Shift.objects.count() == 2


def test_moving_a_shift_outside_the_window_is_refused(family, parent, real_window):
    day = timezone.localdate() + datetime.timedelta(days=3)
    shift = services.create_shift(recipient=family, start=at(day, 9), end=at(day, 17), kind="day", actor=parent)
    far = datetime.datetime(2999, 1, 1, 9, tzinfo=datetime.timezone.utc)
    with pytest.raises(ValidationError, match="Shifts can be recorded from"):
        services.update_shift(shift=shift, actor=parent, expected_version=shift.version, start=far,
                              end=far + datetime.timedelta(hours=8), kind="day", tasks=[])
    shift.refresh_from_db()
    assert shift.start == at(day, 9) and shift.version == 1


def test_notes_and_locations_longer_than_their_limit_are_refused(client, family, parent, monday):
    client.force_login(parent)
    response = new_shift(client, family, f"{YEAR}-03-01", notes="x" * 100_000, location="y" * 300)
    assert response.status_code == 400
    body = response.content.decode()
    assert f"at most {rules.NOTES_MAX_LENGTH} characters" in body
    assert not Shift.objects.exists()
    with pytest.raises(ValidationError, match="at most"):
        services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 17), kind="day", actor=parent,
                              notes="x" * (rules.NOTES_MAX_LENGTH + 1))
    with pytest.raises(ValidationError, match="at most"):
        services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 17), kind="day", actor=parent,
                              location="y" * 201)
    assert not Shift.objects.exists()
    shift = Shift(recipient=family, start=at(monday, 9), end=at(monday, 17), notes="x" * (rules.NOTES_MAX_LENGTH + 1))
    with pytest.raises(ValidationError):
        shift.full_clean()  # the model says so too, for the admin and any other form
