"""The periodic jobs: allowances, carry-over and expiry on time, the 30-day reminder once, hours
back for respite shifts cancelled on the rota, and nothing more when a job runs twice."""
import datetime
from decimal import Decimal

from django.urls import reverse
from freezegun import freeze_time

from care.services import end_membership
from care.models import Membership, Role
from paworkflow.periodic import JOBS
from respite import jobs, services, settlement
from respite.models import BookingStatus, Entry, EntryKind, ExpiryReminder
from rota import services as rota_services
from rota.models import Shift
from tests.factories import ProfileFactory
from tests.respite.conftest import texts_to
from tests.respite.factories import RespiteAccountFactory, local


def run_jobs():
    return (jobs.settle_respite_accounts(), jobs.remind_expiring_respite_hours(), jobs.tidy_respite_bookings())


def state():
    return (
        list(Entry.objects.order_by("pk").values_list("pk", "kind", "hours")),
        list(ExpiryReminder.objects.values_list("pk", flat=True)),
    )


def test_the_jobs_are_registered_with_the_scheduler():
    for name in ("settle_respite_accounts", "remind_expiring_respite_hours", "tidy_respite_bookings"):
        assert f"respite.jobs.{name}" in JOBS


def test_running_the_jobs_twice_changes_nothing_more(family, carer, parent, django_capture_on_commit_callbacks):
    ProfileFactory(user=carer)
    with freeze_time(local(2026, 1, 1, 9)):
        weekly = RespiteAccountFactory(recipient=family, carer=carer, period_length=1, carry_over_hours=Decimal("12"),
                                       cap_hours=Decimal("20"), expiry_months=1, periods_start_on=datetime.date(2026, 1, 5))
        monthly = RespiteAccountFactory(recipient=family, carer=parent, period_unit="month", period_length=1,
                                        periods_start_on=datetime.date(2025, 12, 1), expiry_months=2)
    for moment in (local(2026, 1, 5, 0, 5), local(2026, 2, 1, 3), local(2026, 2, 10, 12), local(2026, 3, 1, 0)):
        with freeze_time(moment), django_capture_on_commit_callbacks(execute=True):
            first = run_jobs()
            after_first, texts = state(), len(texts_to(carer))
            second = run_jobs()
            assert state() == after_first and len(texts_to(carer)) == texts
            assert second == (0, 0, {"released": 0, "declined": 0}), (moment, first)
    kinds = set(Entry.objects.values_list("kind", flat=True))
    assert {EntryKind.CREDIT, EntryKind.EXPIRY, EntryKind.TRIM} <= kinds
    assert weekly.balance() <= 20 and monthly.balance() > 0


def test_the_carer_is_texted_once_thirty_days_before_hours_expire(family, carer, django_capture_on_commit_callbacks):
    ProfileFactory(user=carer)
    account = RespiteAccountFactory(recipient=family, carer=carer, period_unit="month", period_length=1,
                                    periods_start_on=datetime.date(2026, 1, 10), expiry_months=3)
    settlement.settle_account(account=account, now=local(2026, 1, 10, 9))  # expires 10 Apr
    with freeze_time(local(2026, 3, 10, 12)), django_capture_on_commit_callbacks(execute=True):
        assert jobs.remind_expiring_respite_hours() == 0  # 31 days ahead: not yet
    with freeze_time(local(2026, 3, 11, 0, 10)), django_capture_on_commit_callbacks(execute=True):
        assert jobs.remind_expiring_respite_hours() == 1
        assert jobs.remind_expiring_respite_hours() == 0
    with freeze_time(local(2026, 3, 20, 12)), django_capture_on_commit_callbacks(execute=True):
        assert jobs.remind_expiring_respite_hours() == 0
    (body,) = texts_to(carer)
    assert "8 hours of your respite expire on 10 Apr" in body
    assert f"Ref H{account.pk}" in body and reverse("respite:account", args=[account.pk]) in body
    reminder = ExpiryReminder.objects.get()
    assert (reminder.expires_on, reminder.hours) == (datetime.date(2026, 4, 10), Decimal("8.00"))


def test_the_home_page_shows_hours_about_to_expire_and_requests_to_approve(client, family, carer, parent):
    account = RespiteAccountFactory(recipient=family, carer=carer, period_unit="month", period_length=1,
                                    periods_start_on=datetime.date(2026, 1, 10), expiry_months=3)
    with freeze_time(local(2026, 3, 20, 12)):
        settlement.settle_account(account=account, now=local(2026, 3, 20, 12))
        start = local(2026, 3, 28, 10)
        services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=3), actor=carer)
        client.force_login(carer)
        body = client.get(reverse("home")).content.decode()
        assert "5 hours of respite for Alfie Testcase expire on 10 Apr 2026" in body
        assert "Your respite hours for Alfie Testcase: 21 hours" in body  # 3 x 8 - 3
        client.force_login(parent)
        body = client.get(reverse("home")).content.decode()
        assert "asks for respite for Alfie Testcase" in body and "expire on" not in body
        assert "Carers&#x27; respite accounts for Alfie Testcase" in body


def test_a_respite_shift_cancelled_on_the_rota_gives_its_hours_back(family, parent, funded_account):
    account = funded_account(parent)
    start = local(2026, 12, 5, 10)
    with freeze_time(local(2026, 11, 30, 9)):
        booking = services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=5),
                                        actor=parent)
        assert account.balance() == Decimal("3.00")
        rota_services.cancel_shift(shift=booking.shift, actor=parent, reason="Changed our minds")
        assert account.balance() == Decimal("8.00")  # at once, through the rota's shift_cancelled signal
        assert jobs.tidy_respite_bookings() == {"released": 0, "declined": 0}
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and "Changed our minds" in booking.cancel_reason


def test_the_job_releases_a_respite_shift_cancelled_behind_the_services_back(family, parent, funded_account):
    account = funded_account(parent)
    start = local(2026, 12, 5, 10)
    with freeze_time(local(2026, 11, 30, 9)):
        booking = services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=5),
                                        actor=parent)
        # e.g. a bulk fix in the database by an operator: no signal, so the sweep is the safety net
        Shift.objects.filter(pk=booking.shift_id).update(status=Shift.Status.CANCELLED, cancel_reason="Bulk fix")
        assert account.balance() == Decimal("3.00")
        assert jobs.tidy_respite_bookings() == {"released": 1, "declined": 0}
        assert jobs.tidy_respite_bookings() == {"released": 0, "declined": 0}
    assert account.balance() == Decimal("8.00")


def test_a_request_nobody_approved_in_time_is_declined_and_the_hours_return(family, carer, funded_account):
    account = funded_account(carer)
    start = local(2026, 12, 5, 10)
    with freeze_time(local(2026, 11, 30, 9)):
        booking = services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=2),
                                        actor=carer)
    with freeze_time(local(2026, 12, 5, 10, 1)):
        assert jobs.tidy_respite_bookings() == {"released": 0, "declined": 1}
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED
    assert booking.shift.status == Shift.Status.CANCELLED
    assert account.balance() == Decimal("8.00")


def test_a_carer_who_leaves_the_circle_earns_no_more_allowance(family, carer, parent):
    account = RespiteAccountFactory(recipient=family, carer=carer, period_length=1,
                                    periods_start_on=datetime.date(2026, 11, 2))
    settlement.settle_account(account=account, now=local(2026, 11, 2, 9))
    membership = Membership.objects.get(user=carer, recipient=family, role=Role.CARER)
    end_membership(membership=membership, actor=parent, reason="Moved away")
    account.refresh_from_db()
    assert account.closed_on is not None
    settlement.settle_account(account=account, now=local(2027, 1, 4, 9))
    credited = account.entries.filter(kind=EntryKind.CREDIT).values_list("period_start", flat=True)
    assert max(credited) <= account.closed_on
