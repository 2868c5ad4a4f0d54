"""Every respite form, posted by the person it is for with hostile input in any field
(tests/hostile.py): never a 500, and nothing invalid saved — new rows only when the page
redirected, every row passes its model's validation, dates stay in their windows and hours are
quarter hours no bigger than a year's."""
import datetime
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from respite import periods, services
from respite.models import (
    MAX_HOURS, QUARTER, BookingDecision, Draw, Entry, Lot, RespiteAccount, RespiteBooking,
)
from rota import rules
from rota.models import Shift
from tests.factories import log_in_with_second_factor
from tests.hostile import FORM_PROPERTY, assert_no_invalid_rows, hostile_form_data
from tests.respite.factories import assessment_for

RESPITE_MODELS = (RespiteAccount, Entry, Lot, Draw, RespiteBooking, BookingDecision, Shift)
LOCAL = "%Y-%m-%dT%H:%M"


def quarter_hours(hours):
    return hours is None or (abs(hours) <= MAX_HOURS and hours % QUARTER == 0)


def last_pks():
    return {model: (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
            for model in RESPITE_MODELS}


def snapshot():
    return list(RespiteBooking.objects.values_list("pk", "status", "notes", "cancel_reason")), \
        list(Shift.objects.values_list("pk", "status", "version"))


def post(client, url, data):
    before_pk, before = last_pks(), snapshot()
    response = client.post(url, data)
    assert response.status_code < 500
    redirected = response.status_code == 302
    for model, last in before_pk.items():
        if not redirected:
            assert not model.objects.filter(pk__gt=last).exists(), (model, response.status_code)
        assert_no_invalid_rows(model)
    if not redirected:
        assert snapshot() == before
    today = timezone.localdate()
    for account in RespiteAccount.objects.all():
        assert abs(account.periods_start_on - today) <= periods.PERIODS_START_WITHIN
        assert all(quarter_hours(h) for h in (account.allowance_hours, account.cap_hours, account.carry_over_hours))
    for entry in Entry.objects.filter(kind="adjustment"):
        assert quarter_hours(entry.hours)
    first, last = rules.shift_window()
    for booking in RespiteBooking.objects.all():
        assert booking.booked_at < booking.start and timezone.localdate(booking.start) <= last
    return response


@pytest.fixture
def days():
    counter = itertools.count(2)
    return lambda: timezone.localdate() + datetime.timedelta(days=next(counter))


def at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@FORM_PROPERTY
@given(data=st.data())
def test_opening_an_account_never_crashes_or_saves_nonsense(client, family, carer, coordinator, data):
    log_in_with_second_factor(client, coordinator)
    fields = hostile_form_data(
        ["carer", "assessment", "allowance_hours", "period_length", "period_unit", "periods_start_on", "cap_hours",
         "carry_over_hours", "expiry_months"],
        valid={"carer": str(carer.pk), "assessment": str(assessment_for(carer).pk), "allowance_hours": "8",
               "period_length": "4", "period_unit": "week",
               "periods_start_on": timezone.localdate().isoformat(), "cap_hours": "40", "carry_over_hours": "24",
               "expiry_months": "12"},
    )
    post(client, reverse("respite:person", args=[family.pk]), data.draw(fields))


@FORM_PROPERTY
@given(data=st.data())
def test_adjusting_hours_never_crashes_or_saves_nonsense(client, carer, coordinator, funded_account, data):
    account = RespiteAccount.objects.filter(carer=carer).first() or funded_account(carer)
    log_in_with_second_factor(client, coordinator)
    form = data.draw(hostile_form_data(["hours", "reason"], valid={"hours": "2.5", "reason": "Agreed at review"}))
    post(client, reverse("respite:adjust", args=[account.pk]), form)


@FORM_PROPERTY
@given(data=st.data())
def test_booking_never_crashes_or_saves_nonsense(client, parent, funded_account, days, data):
    account = RespiteAccount.objects.filter(carer=parent).first() or funded_account(parent, hours="500.00")
    client.force_login(parent)
    start = at(days(), 10)
    form = data.draw(hostile_form_data(["start", "end", "notes"], valid={
        "start": timezone.localtime(start).strftime(LOCAL),
        "end": timezone.localtime(start + datetime.timedelta(hours=2)).strftime(LOCAL), "notes": "Key under the mat",
    }))
    post(client, reverse("respite:book", args=[account.pk]), form)
    assert account.balance() >= 0


@FORM_PROPERTY
@given(data=st.data(), action=st.sampled_from(["approve", "decline", "cancel"]))
def test_deciding_and_cancelling_never_crash_or_save_nonsense(client, parent, carer, funded_account, days, data,
                                                              action):
    account = RespiteAccount.objects.filter(carer=carer).first() or funded_account(carer, hours="500.00")
    start = at(days(), 10)
    booking = services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=1),
                                    actor=carer)
    client.force_login(carer if action == "cancel" else parent)
    field = "reason" if action == "cancel" else "note"
    form = data.draw(hostile_form_data([field], valid={field: "Fine by me"}))
    post(client, reverse(f"respite:{action}", args=[booking.pk]), form)
    live = RespiteBooking.objects.live().filter(account=account)
    assert account.balance() == Decimal("500.00") - sum((b.hours for b in live), Decimal(0))
