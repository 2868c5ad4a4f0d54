"""A carer books respite by choosing when: the hours are debited and a respite shift goes on the rota."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from respite import services, settlement
from respite.models import BookingDecision, BookingStatus, Entry, EntryKind, RespiteBooking
from rota.models import Shift
from tests.factories import ProfileFactory
from tests.respite.conftest import texts_to
from tests.respite.factories import RespiteAccountFactory, local


def next_saturday(hour):
    today = timezone.localdate()
    day = today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def form(start, end, notes=""):
    fmt = "%Y-%m-%dT%H:%M"
    return {"start": timezone.localtime(start).strftime(fmt), "end": timezone.localtime(end).strftime(fmt), "notes": notes}


def test_budget_holder_who_cares_books_and_the_shift_is_offered_to_pas(
    client, parent, pa, funded_account, django_capture_on_commit_callbacks
):
    account = funded_account(parent)
    start = next_saturday(10)
    client.force_login(parent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("respite:book", args=[account.pk]),
                               form(start, start + datetime.timedelta(hours=6), "Key under the mat"))
    assert response.status_code == 302
    booking = RespiteBooking.objects.get()
    assert booking.status == BookingStatus.BOOKED and booking.hours == Decimal("6.00")
    assert booking.shift.kind == Shift.Kind.RESPITE and booking.shift.status == Shift.Status.OFFERED
    assert (booking.shift.start, booking.shift.end) == (booking.start, booking.end)
    assert booking.shift.notes == "Respite cover booked by " + parent.get_full_name() + ". Key under the mat"
    assert account.balance() == Decimal("2.00")
    assert any("shift available" in body for body in texts_to(pa))


def test_a_carer_who_is_not_the_budget_holder_waits_for_approval(
    client, parent, carer, pa, funded_account, django_capture_on_commit_callbacks
):
    ProfileFactory(user=parent)  # the budget holder has a mobile
    account = funded_account(carer)
    start = next_saturday(9)
    client.force_login(carer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("respite:book", args=[account.pk]), form(start, start + datetime.timedelta(hours=4)))
    booking = RespiteBooking.objects.get()
    assert booking.status == BookingStatus.AWAITING_APPROVAL
    assert booking.shift.status == Shift.Status.DRAFT  # not offered before the budget holder agrees
    assert account.balance() == Decimal("4.00")  # the hours are held from the moment of booking
    assert any(booking.reference in body for body in texts_to(parent))
    assert texts_to(pa) == []

    client.force_login(parent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("respite:approve", args=[booking.pk]))
    assert response.status_code == 302
    booking.refresh_from_db()
    decision = BookingDecision.objects.get(booking=booking)
    assert (decision.outcome, decision.decided_by) == (BookingDecision.Outcome.APPROVED, parent)
    assert decision.decided_at is not None
    assert booking.status == BookingStatus.BOOKED and booking.shift.status == Shift.Status.OFFERED
    assert any("shift available" in body for body in texts_to(pa))


def test_only_the_budget_holder_approves(client, parent, carer, coordinator, funded_account):
    account = funded_account(carer)
    start = next_saturday(9)
    booking = services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=2), actor=carer)
    for user in (carer, coordinator):
        client.force_login(user)
        assert client.post(reverse("respite:approve", args=[booking.pk])).status_code == 403
    booking.refresh_from_db()
    assert booking.status == BookingStatus.AWAITING_APPROVAL
    client.force_login(parent)
    client.post(reverse("respite:approve", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_a_declined_request_gives_the_hours_back_and_cancels_the_shift(client, parent, carer, funded_account):
    account = funded_account(carer)
    start = next_saturday(9)
    booking = services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=8), actor=carer)
    assert account.balance() == 0
    client.force_login(parent)
    client.post(reverse("respite:decline", args=[booking.pk]), {"note": "We need the car that day"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED
    assert booking.decision.outcome == BookingDecision.Outcome.DECLINED
    assert booking.shift.status == Shift.Status.CANCELLED
    assert account.balance() == Decimal("8.00")


def test_not_enough_hours_is_refused_with_the_balance_shown_and_nothing_saved(client, parent, funded_account):
    account = funded_account(parent)
    start = next_saturday(8)
    before = (Entry.objects.count(), Shift.objects.count())
    client.force_login(parent)
    response = client.post(reverse("respite:book", args=[account.pk]), form(start, start + datetime.timedelta(hours=9)))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Not enough respite hours: this needs 9 hours and your balance is 8 hours." in body
    assert RespiteBooking.objects.count() == 0
    assert (Entry.objects.count(), Shift.objects.count()) == before


def test_hours_that_expire_before_the_shift_cannot_pay_for_it(family, parent):
    with freeze_time(local(2026, 1, 5, 9)):
        account = RespiteAccountFactory(
            recipient=family, carer=parent, allowance_hours=Decimal("6"), periods_start_on=datetime.date(2025, 1, 13),
            period_length=1, period_unit="year", expiry_months=12,
        )
        # The 2025 allowance expires on 13 Jan 2026; the next one arrives that day.
        settlement.settle_account(account=account)
        assert account.balance() == Decimal("6.00")
        late = local(2026, 1, 13, 9)
        with pytest.raises(ValidationError) as refused:
            services.book_respite(account=account, start=late, end=late + datetime.timedelta(hours=2), actor=parent)
        assert "Your balance is 6 hours, but only 0 hours will still be valid on 13 Jan 2026" in refused.value.messages[0]
        assert RespiteBooking.objects.count() == 0

        # A shift that ends by midnight on the 12th is still covered.
        early = local(2026, 1, 12, 20)
        booking = services.book_respite(account=account, start=early, end=early + datetime.timedelta(hours=4), actor=parent)
        assert booking.hours == Decimal("4.00")


def test_booking_across_the_spring_clock_change_counts_the_hours_really_worked(family, parent, funded_account):
    account = funded_account(parent, hours="10.00")
    with freeze_time(local(2027, 3, 1, 12)):
        settlement.settle_account(account=account)
        start, end = local(2027, 3, 28, 0), local(2027, 3, 28, 6)  # clocks go forward at 01:00
        booking = services.book_respite(account=account, start=start, end=end, actor=parent)
    assert booking.hours == Decimal("5.00")


@pytest.mark.parametrize(
    "start_hour, length, message",
    [
        (-30, 2, "has not started yet"),
        (30, 0, "must end after it starts"),
    ],
)
def test_impossible_times_are_refused(parent, funded_account, start_hour, length, message):
    account = funded_account(parent)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=start_hour)
    with pytest.raises(ValidationError, match=message):
        services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=length), actor=parent)
    assert RespiteBooking.objects.count() == 0


def test_times_must_be_quarter_hours(parent, funded_account):
    account = funded_account(parent)
    start = next_saturday(10) + datetime.timedelta(minutes=10)
    with pytest.raises(ValidationError, match="quarter hours"):
        services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=1), actor=parent)


def test_only_the_carer_books_from_their_account(client, parent, carer, coordinator, funded_account):
    account = funded_account(carer)
    start = next_saturday(10)
    for user in (parent, coordinator):
        client.force_login(user)
        assert client.get(reverse("respite:book", args=[account.pk])).status_code == 403
        assert client.post(reverse("respite:book", args=[account.pk]), form(start, start + datetime.timedelta(hours=1))).status_code == 403
    assert RespiteBooking.objects.count() == 0
    client.force_login(carer)
    assert client.post(reverse("respite:book", args=[account.pk]), form(start, start + datetime.timedelta(hours=1))).status_code == 302
    assert RespiteBooking.objects.count() == 1


def test_without_a_free_pa_the_booking_stands_and_the_page_says_it_was_not_offered(client, parent, funded_account):
    account = funded_account(parent)  # no PA in this circle
    start = next_saturday(10)
    client.force_login(parent)
    response = client.post(reverse("respite:book", args=[account.pk]), form(start, start + datetime.timedelta(hours=3)), follow=True)
    booking = RespiteBooking.objects.get()
    assert booking.status == BookingStatus.BOOKED and booking.shift.status == Shift.Status.DRAFT
    assert "not offered" in response.content.decode()
    assert account.balance() == Decimal("5.00")
    assert Entry.objects.filter(kind=EntryKind.BOOKING, booking=booking).get().hours == Decimal("-3.00")


def test_a_time_the_clocks_skip_is_refused_on_the_form(client, parent, funded_account):
    account = funded_account(parent)
    with freeze_time(local(2027, 3, 1, 12)):
        client.force_login(parent)
        response = client.post(reverse("respite:book", args=[account.pk]),
                               {"start": "2027-03-28T01:30", "end": "2027-03-28T05:00"})
    assert response.status_code == 400
    assert "Europe/London" in response.content.decode()
    assert RespiteBooking.objects.count() == 0
