"""Demo employment for family one: each PA's terms (one on irregular hours), an approved and a
waiting holiday request, and a day off sick. Through employment.services; idempotent.

Dates keep clear of the rota's demo: the approved holiday is after its four planned weeks, and the
sick day is yesterday (the worked weeks in rota/demo_worked.py leave that PA's shift out).
"""
import datetime
from decimal import Decimal

from django.utils import timezone

from . import services
from .models import Absence, Terms

TERMS = {
    # username: (hourly, sleep-in allowance, night %, weekend %, bank holiday %, contract, weekly hours, days a week)
    "pa1": (Decimal("13.50"), Decimal("95.00"), Decimal("0"), Decimal("0"), Decimal("50"), "regular", Decimal("30"),
            Decimal("5")),
    "pa2": (Decimal("13.50"), Decimal("95.00"), Decimal("0"), Decimal("10"), Decimal("50"), "regular", Decimal("24"),
            Decimal("3")),
    "pa3": (Decimal("14.00"), Decimal("95.00"), Decimal("10"), Decimal("0"), Decimal("50"), "irregular", None, None),
}


def sick_day():
    return timezone.localdate() - datetime.timedelta(days=1)


def seed(cast):
    one, users = cast["family_one"], cast["users"]
    parent = users["parent"]
    today = timezone.localdate()
    leave_year = datetime.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    for username, (hourly, sleep_in, night, weekend, holiday, contract, weekly, days) in TERMS.items():
        pa = users[username]
        if not Terms.objects.filter(recipient=one, pa=pa).exists():
            services.set_terms(recipient=one, pa=pa, actor=parent, effective_from=today - datetime.timedelta(days=60),
                               hourly_rate=hourly, sleep_in_allowance=sleep_in, night_uplift_percent=night,
                               weekend_uplift_percent=weekend, bank_holiday_uplift_percent=holiday,
                               leave_year_start=leave_year, contract=contract, weekly_hours=weekly,
                               days_per_week=days)
    if not Absence.objects.filter(recipient=one).exists():
        approved = services.request_leave(recipient=one, pa=users["pa2"], actor=users["pa2"],
                                          first_day=today + datetime.timedelta(days=35),
                                          last_day=today + datetime.timedelta(days=39))
        services.decide_leave(absence=approved, actor=parent, approve=True)
        services.request_leave(recipient=one, pa=users["pa1"], actor=users["pa1"],
                               first_day=today + datetime.timedelta(days=50),
                               last_day=today + datetime.timedelta(days=52))
        services.record_sickness(recipient=one, pa=users["pa3"], actor=parent, first_day=sick_day(),
                                 last_day=sick_day(), category="illness")
