"""Arrangement helpers: terms and absences straight into the tables, to set a scene."""
import datetime
from decimal import Decimal

from django.utils import timezone

from employment.models import Absence, Terms


def terms(recipient, pa, *, effective_from=datetime.date(2024, 4, 1), **values):
    defaults = {
        "hourly_rate": Decimal("14.00"), "sleep_in_allowance": Decimal("80.00"),
        "leave_year_start": datetime.date(2024, 4, 1), "contract": "regular", "weekly_hours": Decimal("30"),
        "pay_period": "monthly",
    }
    defaults.update(values)
    if defaults["contract"] == "irregular":
        defaults["weekly_hours"] = None
    return Terms.objects.create(recipient=recipient, pa=pa, effective_from=effective_from, **defaults)


def absence(recipient, pa, first_day, last_day=None, *, kind="holiday", status="approved", **values):
    decided = {"decided_at": timezone.now()} if status != "requested" else {}
    if kind == "sickness":
        values.setdefault("category", "illness")
    return Absence.objects.create(recipient=recipient, pa=pa, kind=kind, first_day=first_day,
                                  last_day=last_day or first_day, status=status, **decided, **values)


def worked(shift, *, approver, woken_minutes=0, break_minutes=0, approve=True):
    """The shift's timesheet through the real services: opened as planned, corrected by the PA when
    there was time woken or a break, confirmed, and approved by `approver` (unless approve=False)."""
    from django.db import transaction

    from rota import timesheets

    with transaction.atomic():
        timesheet = timesheets.open_timesheet(shift=shift)
    if woken_minutes or break_minutes:
        timesheets.correct_timesheet(timesheet=timesheet, actor=shift.pa, start=shift.start, end=shift.end,
                                     woken_minutes=woken_minutes, break_minutes=break_minutes, reason="As worked")
    else:
        timesheets.confirm_timesheet(timesheet=timesheet, pa=shift.pa)
    if approve:
        timesheets.approve_timesheet(timesheet=timesheet, actor=approver)
    timesheet.refresh_from_db()
    return timesheet
