"""seed_demo gives grandparent banked hours, some expiring next month and a booked respite shift,
and family two an account of its own."""
import datetime

from django.core.management import call_command
from django.utils import timezone

from care.models import CareRecipient
from respite.models import BookingStatus, RespiteAccount
from respite.queries import expiring_soon
from rota.models import Shift


def test_demo_grandparent_has_banked_hours_some_expiring_soon_and_a_booked_respite_shift(db):
    call_command("seed_demo")
    account = RespiteAccount.objects.get(carer__username="grandparent")
    assert account.balance() > 40
    soon = expiring_soon(account, days=40)
    assert soon and soon[0][0] - timezone.localdate() <= datetime.timedelta(days=40)
    booking = account.bookings.get()
    assert booking.status == BookingStatus.BOOKED and booking.decision.decided_by.username == "parent"
    assert booking.shift.kind == Shift.Kind.RESPITE and booking.start > timezone.now()
    # The history was credited period by period, so the chart has something to show.
    assert account.entries.order_by("at").first().at < timezone.now() - datetime.timedelta(days=300)


def test_demo_family_two_has_its_own_account_and_booking(db):
    call_command("seed_demo")
    two = CareRecipient.objects.get(nhs_number="4010232137")
    account = RespiteAccount.objects.get(recipient=two)
    assert account.carer.username == "other-parent" and account.bookings.exists()
