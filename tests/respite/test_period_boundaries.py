"""Cap, carry-over and expiry where periods meet, in London time across the clock changes,
and cancellations that give hours back with the expiry they had."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from respite import services, settlement
from respite.models import BookingStatus, Entry, EntryKind, Lot
from rota import services as rota_services
from tests.respite.factories import RespiteAccountFactory, local

UTC = datetime.timezone.utc


def kinds(account):
    return [(e.kind, e.hours) for e in account.entries.order_by("at", "pk")]


def remaining(account):
    return {lot.credited_on: lot.remaining for lot in account.lots.with_remaining().order_by("pk")}


def test_the_allowance_arrives_at_local_midnight_when_the_period_starts(family, carer):
    account = RespiteAccountFactory(recipient=family, carer=carer, periods_start_on=datetime.date(2026, 1, 5))
    settlement.settle_account(account=account, now=local(2026, 2, 1, 23, 59))
    assert account.balance() == Decimal("8.00")  # only the period from 5 Jan
    settlement.settle_account(account=account, now=local(2026, 2, 2, 0, 0))
    assert account.balance() == Decimal("16.00")
    assert list(account.entries.filter(kind=EntryKind.CREDIT).values_list("period_start", flat=True)) == [
        datetime.date(2026, 1, 5), datetime.date(2026, 2, 2)
    ]


def test_spring_forward_a_period_starting_the_day_after_begins_at_2300_utc(family, carer):
    # Weekly periods from Mon 23 Mar 2026; the clocks go forward on Sun 29 Mar, so the
    # period from Mon 30 Mar starts at 23:00 UTC on the 29th — 167 hours after the last.
    account = RespiteAccountFactory(
        recipient=family, carer=carer, period_length=1, periods_start_on=datetime.date(2026, 3, 23)
    )
    settlement.settle_account(account=account, now=datetime.datetime(2026, 3, 29, 22, 59, tzinfo=UTC))
    assert account.balance() == Decimal("8.00")
    settlement.settle_account(account=account, now=datetime.datetime(2026, 3, 29, 23, 0, tzinfo=UTC))
    assert account.balance() == Decimal("16.00")


def test_fall_back_hours_expire_at_local_midnight_on_the_clock_change_day(family, carer):
    # Credited on 25 Oct 2025, expiring 12 months later on Sun 25 Oct 2026, the day BST ends:
    # local midnight that day is still BST, 23:00 UTC on the 24th.
    account = RespiteAccountFactory(
        recipient=family, carer=carer, period_length=1, period_unit="year", periods_start_on=datetime.date(2025, 10, 25)
    )
    settlement.settle_account(account=account, now=local(2025, 10, 25, 9))
    settlement.settle_account(account=account, now=datetime.datetime(2026, 10, 24, 22, 59, tzinfo=UTC))
    assert account.balance() == Decimal("8.00")
    settlement.settle_account(account=account, now=datetime.datetime(2026, 10, 24, 23, 0, tzinfo=UTC))
    # Last year's hours go before this year's allowance (due the same midnight) arrives.
    assert kinds(account) == [
        (EntryKind.CREDIT, Decimal("8.00")), (EntryKind.EXPIRY, Decimal("-8.00")), (EntryKind.CREDIT, Decimal("8.00")),
    ]
    assert remaining(account) == {datetime.date(2025, 10, 25): Decimal("0.00"), datetime.date(2026, 10, 25): Decimal("8.00")}


def test_the_cap_limits_credits_and_a_full_bank_earns_nothing(family, carer):
    account = RespiteAccountFactory(
        recipient=family, carer=carer, period_length=1, cap_hours=Decimal("20"), periods_start_on=datetime.date(2026, 1, 5),
    )
    settlement.settle_account(account=account, now=local(2026, 1, 26, 8))  # four weekly periods
    credits = list(account.entries.filter(kind=EntryKind.CREDIT).order_by("period_start"))
    assert [c.hours for c in credits] == [Decimal("8.00"), Decimal("8.00"), Decimal("4.00"), Decimal("0.00")]
    assert credits[2].reason == "Capped: the bank holds at most 20 hours"
    assert account.balance() == Decimal("20.00")
    assert Lot.objects.filter(account=account).count() == 3  # an empty credit is no lot


def test_carry_over_trims_the_oldest_hours_before_the_new_allowance(family, carer):
    account = RespiteAccountFactory(
        recipient=family, carer=carer, period_length=1, carry_over_hours=Decimal("10"),
        periods_start_on=datetime.date(2026, 1, 5),
    )
    settlement.settle_account(account=account, now=local(2026, 1, 19, 0))
    # 5 Jan: +8 (8). 12 Jan: 8 <= 10, +8 (16). 19 Jan: trim 6 -> 10, +8 (18).
    assert kinds(account) == [
        (EntryKind.CREDIT, Decimal("8.00")), (EntryKind.CREDIT, Decimal("8.00")),
        (EntryKind.TRIM, Decimal("-6.00")), (EntryKind.CREDIT, Decimal("8.00")),
    ]
    assert remaining(account) == {
        datetime.date(2026, 1, 5): Decimal("2.00"), datetime.date(2026, 1, 12): Decimal("8.00"),
        datetime.date(2026, 1, 19): Decimal("8.00"),
    }
    trim = account.entries.get(kind=EntryKind.TRIM)
    assert trim.period_start == datetime.date(2026, 1, 19)


def test_expiry_takes_the_oldest_hours_and_only_what_is_left_of_them(family, carer):
    account = RespiteAccountFactory(
        recipient=family, carer=carer, period_length=1, period_unit="month", expiry_months=2,
        periods_start_on=datetime.date(2026, 1, 1),
    )
    settlement.settle_account(account=account, now=local(2026, 2, 10))
    assert remaining(account) == {datetime.date(2026, 1, 1): Decimal("8.00"), datetime.date(2026, 2, 1): Decimal("8.00")}
    settlement.settle_account(account=account, now=local(2026, 3, 1, 0))
    # 1 Mar: January's hours expire, March's arrive.
    assert remaining(account) == {
        datetime.date(2026, 1, 1): Decimal("0.00"), datetime.date(2026, 2, 1): Decimal("8.00"),
        datetime.date(2026, 3, 1): Decimal("8.00"),
    }
    expiry = account.entries.get(kind=EntryKind.EXPIRY)
    assert expiry.hours == Decimal("-8.00") and "Credited 01 Jan 2026, expired 01 Mar 2026" == expiry.reason


def test_a_cancellation_returns_hours_to_the_lots_they_came_from_with_their_expiry(family, parent):
    with freeze_time(local(2026, 2, 10, 9)):
        account = RespiteAccountFactory(
            recipient=family, carer=parent, period_length=1, period_unit="month", expiry_months=2,
            periods_start_on=datetime.date(2026, 1, 1),
        )
        settlement.settle_account(account=account)
        start = local(2026, 2, 20, 10)
        booking = services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=10), actor=parent)
        # 8 from January's lot (expiring 1 Mar) and 2 from February's (expiring 1 Apr).
        assert remaining(account) == {datetime.date(2026, 1, 1): Decimal("0.00"), datetime.date(2026, 2, 1): Decimal("6.00")}
        services.cancel_booking(booking=booking, actor=parent, reason="Plans changed")
    assert remaining(account) == {datetime.date(2026, 1, 1): Decimal("8.00"), datetime.date(2026, 2, 1): Decimal("8.00")}
    assert {lot.expires_on for lot in account.lots.all()} == {datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)}
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.shift.status == "cancelled"
    release = account.entries.get(kind=EntryKind.RELEASE)
    assert release.hours == Decimal("10.00") and release.booking == booking
    # Released hours keep their original expiry: January's still go on 1 March.
    settlement.settle_account(account=account, now=local(2026, 3, 1, 0))
    assert account.entries.get(kind=EntryKind.EXPIRY).hours == Decimal("-8.00")


def test_hours_released_after_their_expiry_expire_at_once(family, parent):
    with freeze_time(local(2026, 2, 20, 9)):
        account = RespiteAccountFactory(
            recipient=family, carer=parent, period_length=1, period_unit="month", expiry_months=2,
            periods_start_on=datetime.date(2026, 1, 1),
        )
        settlement.settle_account(account=account)
        start = local(2026, 2, 28, 10)
        booking = services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=4), actor=parent)
    with freeze_time(local(2026, 3, 2, 9)):
        settlement.settle_account(account=account)
        before = account.balance()
        # The PA never came: the shift is cancelled on the rota after the January hours expired.
        rota_services.cancel_shift(shift=booking.shift, actor=parent, reason="Nobody came")
        assert services.release_cancelled_shifts() == 0  # released as the shift was cancelled
    assert account.balance() == before  # given back to January's lot, which had expired: gone again
    last_two = list(account.entries.order_by("-at", "-pk")[:2])
    assert [e.kind for e in last_two] == [EntryKind.EXPIRY, EntryKind.RELEASE]
    assert last_two[0].hours == Decimal("-4.00")


def test_a_started_respite_cannot_be_cancelled(family, parent):
    with freeze_time(local(2026, 2, 10, 9)):
        account = RespiteAccountFactory(recipient=family, carer=parent, periods_start_on=datetime.date(2026, 2, 1))
        settlement.settle_account(account=account)
        start = local(2026, 2, 11, 10)
        booking = services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=2), actor=parent)
    with freeze_time(local(2026, 2, 11, 10, 30)):
        with pytest.raises(ValidationError, match="already started"):
            services.cancel_booking(booking=booking, actor=parent, reason="")
    assert not Entry.objects.filter(kind=EntryKind.RELEASE).exists()
