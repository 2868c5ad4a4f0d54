"""Races on PostgreSQL (row locks are a no-op on SQLite): a timesheet approved by two budget holders
at the same moment, and two overlapping holiday requests for one PA at once. One wins each time."""
import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from care.models import AuditEvent, Role
from employment import services as employment
from employment.models import Absence
from rota import timesheets
from rota.models import Timesheet
from tests.employment.factories import worked
from tests.factories import member

from .factories import ShiftFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def race(calls):
    start = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(n, call):
        try:
            start.wait()
            call()
            outcomes[n] = "ok"
        except ValidationError as refusal:
            outcomes[n] = " ".join(refusal.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_approved_by_two_at_once_one_wins_the_other_is_told(family, parent, pa):
    second = member(family, Role.BUDGET_HOLDER, username="second-holder")
    member(family, Role.CARER, user=second)
    end = timezone.now() - datetime.timedelta(hours=1)
    timesheet = worked(ShiftFactory(recipient=family, pa=pa, start=end - datetime.timedelta(hours=4), end=end),
                       approver=parent, approve=False)
    outcomes = race([
        lambda: timesheets.approve_timesheet(timesheet=timesheet, actor=parent, expected_version=timesheet.version),
        lambda: timesheets.approve_timesheet(timesheet=timesheet, actor=second, expected_version=timesheet.version),
    ])
    assert sorted(o[:16] for o in outcomes) == ["Already approved", "ok"]
    assert Timesheet.objects.get(pk=timesheet.pk).status == "approved"
    assert AuditEvent.objects.filter(action="rota.timesheet_approved").count() == 1


def test_two_overlapping_leave_requests_at_once_save_one(family, pa):
    first = timezone.localdate() + datetime.timedelta(days=20)
    outcomes = race([
        lambda: employment.request_leave(recipient=family, pa=pa, actor=pa, first_day=first,
                                         last_day=first + datetime.timedelta(days=3)),
        lambda: employment.request_leave(recipient=family, pa=pa, actor=pa, first_day=first + datetime.timedelta(days=2),
                                         last_day=first + datetime.timedelta(days=5)),
    ])
    assert outcomes.count("ok") == 1 and any("overlaps" in (o or "") for o in outcomes)
    assert Absence.objects.filter(pa=pa).count() == 1
