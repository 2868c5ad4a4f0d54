"""50 carers' phones booking at once against hours for 10: the account row lock lets exactly 10 through."""
import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from respite import services, settlement
from respite.models import BookingStatus, Entry, EntryKind, RespiteBooking
from rota.models import Shift
from tests.respite.factories import RespiteAccountFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_fifty_concurrent_bookings_against_hours_for_ten(family, parent):
    account = RespiteAccountFactory(recipient=family, carer=parent, allowance_hours=Decimal("40.00"))
    settlement.settle_account(account=account)
    assert account.balance() == Decimal("40.00")
    first = timezone.make_aware(datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=2),
                                                          datetime.time(9)))
    barrier = threading.Barrier(50)
    outcomes = []

    def book(i):
        try:
            barrier.wait()
            start = first + datetime.timedelta(days=i)
            services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=4), actor=parent)
            outcomes.append("booked")
        except ValidationError as refusal:
            outcomes.append(refusal.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("booked") == 10
    refusals = [o for o in outcomes if o != "booked"]
    assert len(refusals) == 40 and all("your balance is 0 hours" in o for o in refusals)
    assert account.balance() == 0
    bookings = RespiteBooking.objects.filter(account=account)
    assert bookings.count() == 10 and set(bookings.values_list("status", flat=True)) == {BookingStatus.BOOKED}
    debits = Entry.objects.filter(account=account, kind=EntryKind.BOOKING)
    assert debits.count() == 10 and sum(d.hours for d in debits) == Decimal("-40.00")
    # No shift without its booking: the refused ones left nothing on the rota.
    assert Shift.objects.filter(recipient=family, kind=Shift.Kind.RESPITE).count() == 10
