"""Every rota form, posted by the person it is for with hostile input in any field (tests/hostile.py):
never a 500, and nothing invalid saved — new rows only when the page redirected, every row passes
its model's validation and the shift window (rota.rules), and a refused change leaves the shift
as it was."""
from paworkflow import settings as project_settings
import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from rota import rules, services
from rota.models import CalendarFeed, Offer, OfferRecipient, OfferResponse, Shift
from tests.hostile import FORM_PROPERTY, assert_no_invalid_rows, hostile_form_data

from .factories import at

ROTA_MODELS = (Shift, Offer, OfferRecipient, OfferResponse, CalendarFeed)
SHIFT_FIELDS = ["day", "start_time", "end_time", "kind", "tasks", "location", "notes"]


@pytest.fixture(autouse=True)
def real_window(settings):
    """The planning horizon a family has: hostile dates are judged against the real one."""
    settings.ROTA_SHIFTS_AHEAD_DAYS = project_settings.ROTA_SHIFTS_AHEAD_DAYS


@pytest.fixture
def days():
    """A fresh day for each example's shift, so a booking never clashes with an earlier example's."""
    counter = itertools.count(3)
    return lambda: timezone.localdate() + datetime.timedelta(days=next(counter))


def snapshot():
    return {pk: (start, end, kind, notes, location, status, pa, version)
            for pk, start, end, kind, notes, location, status, pa, version in Shift.objects.values_list(
                "pk", "start", "end", "kind", "notes", "location", "status", "pa", "version")}


def assert_nothing_invalid(response, before_pk, before):
    """`before_pk` the last pk of each model before the request, `before` the shifts as they were."""
    assert response.status_code < 500
    for model, last in before_pk.items():
        if response.status_code != 302:
            assert not model.objects.filter(pk__gt=last).exists(), (model, response.status_code)
        assert_no_invalid_rows(model, since_pk=0)
    first, last = rules.shift_window()
    for shift in Shift.objects.all():
        assert first <= timezone.localdate(shift.start) <= last + datetime.timedelta(days=1), shift.start
        assert len(shift.notes) <= rules.NOTES_MAX_LENGTH
    if response.status_code != 302:
        assert snapshot() == before


def last_pks():
    return {model: (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) for model in ROTA_MODELS}


def post(client, url, data):
    before_pk, before = last_pks(), snapshot()
    response = client.post(url, data)
    assert_nothing_invalid(response, before_pk, before)
    return response


@FORM_PROPERTY
@given(data=st.data())
def test_the_new_shift_form_never_crashes_or_saves_nonsense(client, family, parent, pa, days, data):
    client.force_login(parent)
    day = days()
    fields = hostile_form_data(SHIFT_FIELDS + ["pa"], valid={
        "day": day.isoformat(), "start_time": "09:00", "end_time": "17:00", "kind": "day", "tasks": "",
        "location": "Home", "notes": "Bring the hoist sling", "pa": str(pa.pk),
    })
    post(client, reverse("rota:new", args=[family.pk]), data.draw(fields))


@FORM_PROPERTY
@given(data=st.data())
def test_the_edit_form_never_crashes_or_saves_nonsense(client, family, parent, pa, days, data):
    client.force_login(parent)
    day = days()
    shift = services.create_shift(recipient=family, start=at(day, 9), end=at(day, 12), kind="day", actor=parent,
                                  pa=pa)
    fields = hostile_form_data(SHIFT_FIELDS + ["version"], valid={
        "day": day.isoformat(), "start_time": "10:00", "end_time": "13:00", "kind": "day", "tasks": "",
        "location": "Park", "notes": "Changed", "version": str(shift.version),
    })
    post(client, reverse("rota:edit", args=[shift.pk]), data.draw(fields))


@FORM_PROPERTY
@given(data=st.data(), action=st.sampled_from(["assign", "offer", "cancel", "needs_cover"]))
def test_the_shift_actions_never_crash_or_save_nonsense(client, family, parent, pa, pa2, days, data, action):
    client.force_login(parent)
    day = days()
    booked = action == "needs_cover"
    shift = services.create_shift(recipient=family, start=at(day, 9), end=at(day, 12), kind="day", actor=parent,
                                  pa=pa if booked else None)
    fields = {"assign": ["pa", "version"], "offer": ["version"], "cancel": ["reason", "version"],
              "needs_cover": ["reason", "version"]}[action]
    form = data.draw(hostile_form_data(fields, valid={"pa": str(pa2.pk), "version": str(shift.version),
                                                      "reason": "Not needed after all"}))
    post(client, reverse(f"rota:{action}", args=[shift.pk]), form)


@FORM_PROPERTY
@given(data=st.data())
def test_answering_an_offer_never_crashes_or_saves_nonsense(client, family, parent, pa, days, data):
    day = days()
    shift = services.create_shift(recipient=family, start=at(day, 9), end=at(day, 12), kind="day", actor=parent)
    services.offer_shift(shift=shift, actor=parent)
    client.force_login(pa)
    form = data.draw(hostile_form_data(["answer"], valid={"answer": "yes"}))
    post(client, reverse("rota:answer", args=[shift.pk]), form)


@FORM_PROPERTY
@given(data=st.data())
def test_the_calendar_settings_never_crash(client, pa, data):
    client.force_login(pa)
    post(client, reverse("rota:calendar"), data.draw(hostile_form_data(["action"], valid={"action": "revoke"})))
    assert CalendarFeed.objects.filter(pa=pa, revoked_at__isnull=True).count() <= 1
