"""Property-based: for any account terms and any sequence of credits (time passing), bookings,
cancellations, adjustments and expiries, the ledger stays sound.

- the balance is never negative, at any line of the statement;
- it equals the sum of the entries and the sum of what the lots still hold;
- expiry takes the oldest hours: once the job has run, no lot past its expiry holds any;
- a booking takes the soonest-expiring hours still valid at its end, and is refused exactly when
  those do not cover it (and then nothing is written);
- a credit never lifts the balance above the cap, and a trim leaves exactly the carry-over limit.
"""
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from care.kernel.clock import local_midnight
from respite import services, settlement
from respite.models import Draw, Entry, EntryKind, RespiteAccount, RespiteBooking
from tests.respite.factories import local

quarters = st.integers(min_value=1, max_value=160).map(lambda q: Decimal(q) / 4)

terms = st.fixed_dictionaries({
    "allowance_hours": quarters,
    "period_length": st.integers(1, 6),
    "period_unit": st.sampled_from(["week", "month"]),
    "cap_extra": st.none() | st.integers(0, 80).map(Decimal),
    "carry_over_hours": st.none() | st.integers(0, 40).map(Decimal),
    "expiry_months": st.none() | st.integers(1, 6),
    "history_days": st.integers(0, 200),  # periods already begun when the account opens: several lots at once
})

operations = st.lists(
    st.one_of(
        st.tuples(st.just("advance"), st.integers(1, 75)),
        st.tuples(st.just("book"), st.integers(1, 120), st.integers(1, 64)),  # days ahead, quarter hours
        st.tuples(st.just("cancel"), st.integers(0, 30)),
        st.tuples(st.just("adjust"), st.integers(-80, 80).filter(bool)),
    ),
    max_size=18,
)


def order_key(lot):
    return (lot.expires_on is None, lot.expires_on or datetime.date.min, lot.pk)


def check_ledger(account, *, today):
    lots = list(account.lots.with_remaining())
    balance = account.balance()
    assert balance >= 0
    assert balance == sum((lot.remaining for lot in lots), Decimal(0))
    for lot in lots:
        assert 0 <= lot.remaining <= lot.hours
        if lot.expires_on is not None and lot.expires_on <= today:
            assert lot.remaining == 0, "expired hours left in a lot"
    # Every hour that left or came back went through a lot.
    unlotted = account.entries.exclude(kind=EntryKind.CREDIT).filter(lot__isnull=True)
    assert (unlotted.aggregate(s=Sum("hours"))["s"] or 0) == (
        Draw.objects.filter(entry__account=account).aggregate(s=Sum("hours"))["s"] or 0
    )
    for row in account.entries.statement():
        assert row.running_balance >= 0
        if row.kind == EntryKind.CREDIT and row.hours > 0 and account.cap_hours is not None:
            # (a release may take the balance over the cap: those hours were the carer's already)
            assert row.running_balance <= account.cap_hours
        if row.kind == EntryKind.TRIM:
            assert row.running_balance == account.carry_over_hours
        if row.kind == EntryKind.EXPIRY:
            (draw,) = row.draws.select_related("lot")
            assert draw.lot.expires_on <= timezone.localdate(row.at)


def usable_before(account, end):
    return sum(
        (lot.remaining for lot in account.lots.with_remaining()
         if lot.expires_on is None or local_midnight(lot.expires_on) >= end),
        Decimal(0),
    )


def check_booking_took_the_soonest_expiring(account, booking):
    drawn = [draw.lot for draw in booking.entries.get(kind=EntryKind.BOOKING).draws.select_related("lot")]
    latest = max(order_key(lot) for lot in drawn)
    for lot in account.lots.with_remaining():
        eligible = lot.expires_on is None or local_midnight(lot.expires_on) >= booking.end
        if eligible and order_key(lot) < latest:
            assert lot.remaining == 0, "a later-expiring lot was used before an earlier one"


@settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(terms=terms, ops=operations)
def test_the_ledger_stays_sound_whatever_happens(family, parent, coordinator, terms, ops):
    start = local(2026, 1, 5, 9)
    with transaction.atomic(), freeze_time(start) as clock:
        cap_extra = terms.pop("cap_extra")
        cap = None if cap_extra is None else terms["allowance_hours"] + cap_extra
        opened = start.date() - datetime.timedelta(days=terms.pop("history_days"))
        account = RespiteAccount.objects.create(
            recipient=family, carer=parent, periods_start_on=opened, cap_hours=cap, **terms
        )
        settlement.settle_account(account=account)
        now = start
        for op in ops:
            today = timezone.localdate(now)
            if op[0] == "advance":
                now += datetime.timedelta(days=op[1])
                clock.move_to(now)
                settlement.settle_account(account=account)
            elif op[0] == "book":
                begin = timezone.make_aware(datetime.datetime.combine(today, datetime.time(10))) + datetime.timedelta(days=op[1])
                end = begin + datetime.timedelta(minutes=15 * op[2])
                hours = Decimal(op[2]) / 4
                usable, entries = usable_before(account, end), Entry.objects.count()
                try:
                    booking = services.book_respite(account=account, start=begin, end=end, actor=parent)
                except ValidationError:
                    assert usable < hours
                    assert Entry.objects.count() == entries
                else:
                    assert usable >= hours and booking.hours == hours
                    check_booking_took_the_soonest_expiring(account, booking)
            elif op[0] == "cancel":
                live = list(RespiteBooking.objects.live().filter(account=account, start__gt=now).order_by("pk"))
                if live:
                    before = account.balance()
                    booking = live[op[1] % len(live)]
                    services.cancel_booking(booking=booking, actor=parent, reason="test")
                    assert account.balance() == before + booking.hours
            else:
                hours = Decimal(op[1]) / 4
                try:
                    services.adjust_hours(account=account, hours=hours, reason="property test", actor=coordinator)
                except ValidationError:
                    balance = account.balance()
                    assert balance + hours < 0 or (cap is not None and balance + hours > cap)
            check_ledger(account, today=timezone.localdate(now))
        transaction.set_rollback(True)
