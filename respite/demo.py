"""Demo respite accounts: `grandparent` has banked hours, some expiring next month, and a booked
respite shift; `other-parent` (family two) has an account and a booking too. Idempotent."""
import datetime
from decimal import Decimal

from django.utils import timezone

from care.kernel.clock import local_midnight

from . import services, settlement
from .models import CarerAssessment, Eligibility, PeriodUnit, RespiteAccount
from .periods import period_starts


def _account(recipient, carer, coordinator, **terms):
    """The account, with its history credited at each period's own start (as the job would have)."""
    account, created = RespiteAccount.objects.get_or_create(
        recipient=recipient, carer=carer, defaults={**terms, "opened_by": coordinator}
    )
    if created:
        for start in period_starts(account.periods_start_on, account.period_unit, account.period_length,
                                   through=timezone.localdate()):
            settlement.settle_account(account=account, now=local_midnight(start))
    return account


def _assessment(recipient, carer, coordinator):
    """The carer's assessment behind their respite account (invented, recorded by the coordinator)."""
    today = timezone.localdate()
    existing = CarerAssessment.objects.current().filter(recipient=recipient, carer=carer).first()
    return existing or CarerAssessment.objects.create(
        recipient=recipient, carer=carer, assessed_on=today - datetime.timedelta(weeks=50),
        assessor="Jo Example, carers' assessment team (demo council)", able_to_continue=True,
        willing_to_continue=True, impact="Broken sleep on the nights the suction alarm goes; less time with friends.",
        outcomes="A regular day off; to keep up choir on Thursday evenings.", eligibility=Eligibility.ELIGIBLE,
        support="Respite cover by Alfie's own PAs, booked by Pat.", respite_hours=Decimal("8.00"),
        respite_period_length=4, respite_period_unit=PeriodUnit.WEEK,
        # due for review within the month, so the coordinator's caseload shows it
        review_on=today + datetime.timedelta(days=20), recorded_by=coordinator,
    )


def _next(weekday, hour):
    today = timezone.localdate()
    day = today + datetime.timedelta(days=(weekday - today.weekday()) % 7 or 7)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed(cast):
    users = cast["users"]
    today = timezone.localdate()

    # Family one: 8 hours every 4 weeks for 48 weeks, so the first hours expire within the month.
    assessment = _assessment(cast["family_one"], users["grandparent"], users["coordinator"])
    grandparent = _account(
        cast["family_one"], users["grandparent"], users["coordinator"], assessment=assessment,
        allowance_hours=Decimal("8.00"), period_length=4, period_unit=PeriodUnit.WEEK,
        periods_start_on=today - datetime.timedelta(weeks=48), cap_hours=Decimal("80.00"), expiry_months=12,
    )
    if not grandparent.bookings.exists():
        start = _next(5, 10)  # next Saturday 10:00-16:00
        booking = services.book_respite(account=grandparent, start=start, end=start + datetime.timedelta(hours=6),
                                        actor=users["grandparent"], notes="Day out at the coast")
        services.approve_booking(booking=booking, actor=users["parent"])

    # Family two: 300 hours a year from April, up to 100 carried into the next year.
    april = datetime.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    other = _account(
        cast["family_two"], users["other-parent"], None,
        allowance_hours=Decimal("300.00"), period_length=1, period_unit=PeriodUnit.YEAR,
        periods_start_on=april, cap_hours=Decimal("400.00"), carry_over_hours=Decimal("100.00"), expiry_months=12,
    )
    if not other.bookings.exists():
        start = _next(6, 13)  # next Sunday 13:00-17:00
        services.book_respite(account=other, start=start, end=start + datetime.timedelta(hours=4),
                              actor=users["other-parent"])
