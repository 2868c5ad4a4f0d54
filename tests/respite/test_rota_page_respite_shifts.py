"""A respite shift changed on the rota page keeps the carer's hours right: cancelling it there gives
the hours back at once (once), and its times can only change through the booking."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from respite import services
from respite.models import BookingStatus, EntryKind
from rota.forms import ShiftForm
from rota.models import Shift

from .test_booking import next_saturday

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(parent, funded_account):
    account = funded_account(parent)
    start = next_saturday(10)
    return services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=6), actor=parent)


def test_cancelling_a_respite_shift_on_the_rota_gives_the_hours_back_at_once(client, parent, booking):
    account = booking.account
    assert account.balance() == Decimal("2.00")
    client.force_login(parent)
    response = client.post(reverse("rota:cancel", args=[booking.shift.pk]),
                           {"reason": "We are staying in", "version": booking.shift.version})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_by == parent
    assert booking.shift.status == Shift.Status.CANCELLED
    assert account.balance() == Decimal("8.00")
    assert account.entries.filter(kind=EntryKind.RELEASE).count() == 1
    # the periodic safety net finds nothing left to release
    assert services.release_cancelled_shifts() == 0
    assert account.balance() == Decimal("8.00")


def test_cancelling_the_booking_releases_the_hours_once(parent, booking):
    services.cancel_booking(booking=booking, actor=parent, reason="Plans changed")
    booking.refresh_from_db()
    assert booking.shift.status == Shift.Status.CANCELLED
    assert booking.account.entries.filter(kind=EntryKind.RELEASE).count() == 1
    assert booking.account.balance() == Decimal("8.00")


def test_a_respite_shifts_times_cannot_be_moved_on_the_rota(client, parent, booking):
    shift = booking.shift
    initial = ShiftForm.initial_for(shift)
    data = {"day": initial["day"].isoformat(), "start_time": "11:00", "end_time": "17:00", "kind": shift.kind,
            "location": shift.location, "notes": shift.notes, "version": shift.version}
    client.force_login(parent)
    response = client.post(reverse("rota:edit", args=[shift.pk]), data)
    assert response.status_code == 400
    assert "cancel the respite booking" in response.content.decode()
    shift.refresh_from_db()
    assert (shift.start, shift.end) == (booking.start, booking.end)
    assert booking.account.balance() == Decimal("2.00")
