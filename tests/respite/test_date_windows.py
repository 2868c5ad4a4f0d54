"""Respite dates and hours that cannot be meant are refused with a reason and change nothing:
bookings fit the rota's window (rota.rules), periods start within a year of today, and hours
(allowances, caps, carry-over, adjustments) are quarter hours no bigger than a year's hours."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from respite import periods, services
from respite.models import Entry, RespiteAccount, RespiteBooking
from rota import rules
from rota.models import Shift
from tests.factories import log_in_with_second_factor
from tests.respite.factories import assessment_for


def book(client, account, start, end):
    return client.post(reverse("respite:book", args=[account.pk]), {"start": start, "end": end, "notes": ""})


@pytest.mark.parametrize("start, end", [
    ("9999-12-31T20:00", "9999-12-31T23:45"),
    ("9999-12-31T23:00", "9999-12-31T23:45"),
    ("2999-01-01T10:00", "2999-01-01T12:00"),
    ("0001-01-01T00:00", "0001-01-01T02:00"),
    ("1900-01-01T10:00", "1900-01-01T12:00"),
])
def test_a_booking_far_from_today_is_refused_on_the_form(client, parent, funded_account, start, end):
    account = funded_account(parent)
    client.force_login(parent)
    response = book(client, account, start, end)
    assert response.status_code == 400
    assert "Respite can be booked" in response.content.decode() or "not started yet" in response.content.decode()
    assert not RespiteBooking.objects.exists() and not Shift.objects.exists()
    assert account.balance() == Decimal("8.00")


def test_a_booking_after_the_rota_window_is_refused_by_the_service(parent, funded_account):
    account = funded_account(parent)
    _first, last = rules.shift_window()
    start = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(10)))
    with pytest.raises(ValidationError, match="Respite can be booked up to"):
        services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=2), actor=parent)
    assert not RespiteBooking.objects.exists()


def terms(carer, **changes):
    data = {"carer": carer.pk, "assessment": assessment_for(carer).pk, "allowance_hours": "8", "period_length": "4",
            "period_unit": "week",
            "periods_start_on": timezone.localdate().isoformat(), "cap_hours": "40", "carry_over_hours": "24",
            "expiry_months": "12"}
    return {**data, **changes}


@pytest.mark.parametrize("changes, field_message", [
    ({"periods_start_on": "9999-01-01"}, "The first period starts at most a year ahead."),
    ({"periods_start_on": (datetime.date.today() + datetime.timedelta(days=400)).isoformat()},
     "The first period starts at most a year ahead."),
    ({"periods_start_on": "0001-01-01"}, "The first period starts at most a year ago."),
    ({"allowance_hours": "7.13"}, "quarter hours"),
    ({"cap_hours": "40.1"}, "quarter hours"),
    ({"carry_over_hours": "0.13"}, "quarter hours"),
    ({"allowance_hours": "9000", "cap_hours": ""}, "at most 8784 hours"),
    ({"cap_hours": "99999"}, "at most 8784 hours"),
])
def test_impossible_account_terms_are_refused_and_nothing_saved(client, family, carer, coordinator, changes,
                                                                field_message):
    log_in_with_second_factor(client, coordinator)
    response = client.post(reverse("respite:person", args=[family.pk]), terms(carer, **changes))
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not RespiteAccount.objects.exists()


def test_periods_may_start_up_to_a_year_ahead(client, family, carer, coordinator):
    log_in_with_second_factor(client, coordinator)
    ahead = timezone.localdate() + periods.PERIODS_START_WITHIN
    response = client.post(reverse("respite:person", args=[family.pk]), terms(carer, periods_start_on=ahead.isoformat()))
    assert response.status_code == 302
    assert RespiteAccount.objects.get().balance() == 0  # nothing credited before the first period begins


@pytest.mark.parametrize("hours, message", [
    ("0.13", "quarter hours"), ("-0.13", "quarter hours"), ("9000", "at most 8784 hours"),
    ("-9000", "at most 8784 hours"),
])
def test_an_adjustment_must_be_quarter_hours_and_bounded(client, coordinator, carer, funded_account, hours, message):
    account = funded_account(carer)
    log_in_with_second_factor(client, coordinator)
    response = client.post(reverse("respite:adjust", args=[account.pk]), {"hours": hours, "reason": "Review"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Entry.objects.filter(account=account).count() == 1 and account.balance() == Decimal("8.00")
    with pytest.raises(ValidationError, match=message):
        services.adjust_hours(account=account, hours=Decimal(hours), reason="Review", actor=coordinator)
    assert account.balance() == Decimal("8.00")


def test_a_carer_id_too_large_for_the_database_is_refused_on_the_form(client, family, carer, coordinator):
    log_in_with_second_factor(client, coordinator)
    response = client.post(reverse("respite:person", args=[family.pk]), {**terms(carer), "carer": "9" * 40})
    assert response.status_code == 400 and "valid choice" in response.content.decode()
    assert not RespiteAccount.objects.exists()


@pytest.mark.parametrize("action, field", [("approve", "note"), ("decline", "note"), ("cancel", "reason")])
def test_a_decision_with_an_overlong_note_is_refused_and_changes_nothing(client, parent, carer, funded_account,
                                                                         action, field):
    account = funded_account(carer)
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=3),
                                                          datetime.time(10)))
    booking = services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=2), actor=carer)
    client.force_login(carer if action == "cancel" else parent)
    response = client.post(reverse(f"respite:{action}", args=[booking.pk]), {field: "x" * 100_000}, follow=True)
    assert "at most" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "awaiting_approval" and account.balance() == Decimal("6.00")
    client.post(reverse(f"respite:{action}", args=[booking.pk]), {field: "Fine"})  # the same, sensibly put
    booking.refresh_from_db()
    assert booking.status != "awaiting_approval"
