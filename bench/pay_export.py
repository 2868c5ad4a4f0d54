"""The payroll bureau's export (`GET /pay/<recipient>/export.csv`, as the budget holder asks for it):
server time and SQL queries for one family with 10 PAs and 12 months of shifts, every one with an
approved timesheet (a day shift a PA a day, every fourth a sleep-in with time woken), exported for
the 12 months and for 1 month. The query count must not grow with the months.

Environment: BENCH_PAY_EXPORT_REQUESTS (5), BENCH_DATABASE_URL (default: a throwaway SQLite file).
"""
import datetime
import os
import statistics
import tempfile
import time
import uuid
from decimal import Decimal

from bench.setup import configure_django

PAS = 10
DAYS = 365


def family_with_a_year_worked(first_day):
    """The family, its budget holder, PAS PAs with terms, and DAYS days of approved timesheets."""
    from django.contrib.auth import get_user_model

    from care.models import CareRecipient, PAProfile, Role
    from care.services import add_member
    from employment.models import Terms
    from rota.models import Shift, Timesheet, TimesheetVersion
    from rota.queries import local_instant
    from tests.factories import nhs_number

    User = get_user_model()
    run = uuid.uuid4().hex[:6]

    def user(name):
        u = User(username=f"{run}-{name}", first_name=name.title())
        u.set_unusable_password()
        u.save()
        return u

    recipient = CareRecipient.objects.create(display_name="Pay bench", date_of_birth="2015-01-01",
                                             nhs_number=nhs_number(30_000 + CareRecipient.objects.count()))
    holder = user("holder")
    add_member(recipient=recipient, user=holder, role=Role.BUDGET_HOLDER)
    pas = []
    for n in range(PAS):
        pa = user(f"pa{n}")
        add_member(recipient=recipient, user=pa, role=Role.PA)
        PAProfile.objects.create(user=pa, hourly_rate=Decimal("13.50"), sleep_in_rate=Decimal("95.00"))
        Terms.objects.create(recipient=recipient, pa=pa, effective_from=first_day, hourly_rate=Decimal("13.75"),
                             sleep_in_allowance=Decimal("95.00"), night_uplift_percent=Decimal("10"),
                             bank_holiday_uplift_percent=Decimal("50"), leave_year_start=datetime.date(2024, 4, 1),
                             contract="irregular" if n % 2 else "regular",
                             weekly_hours=None if n % 2 else Decimal("30"))
        pas.append(pa)
    shifts = []
    for d in range(DAYS):
        day = first_day + datetime.timedelta(days=d)
        for n, pa in enumerate(pas):
            sleep_in = (d + n) % 4 == 0
            start = local_instant(day, datetime.time(22 if sleep_in else 8 + n % 6))
            if start is None:  # the hour the clocks skip
                continue
            end = start + datetime.timedelta(hours=9 if sleep_in else 6)
            shifts.append(Shift(recipient=recipient, pa=pa, start=start, end=end, status="completed",
                                kind="sleep_in" if sleep_in else "day"))
    shifts = Shift.objects.bulk_create(shifts, batch_size=500)
    timesheets = Timesheet.objects.bulk_create(
        # Confirmed first: an approved timesheet must point at its approved version, written next.
        [Timesheet(shift=s, pa_id=s.pa_id, status="confirmed", code=f"{i % 900000 + 100000}")
         for i, s in enumerate(shifts)], batch_size=500)
    versions = TimesheetVersion.objects.bulk_create(
        [TimesheetVersion(timesheet=t, number=1, start=s.start, end=s.end, source="plan",
                          woken_minutes=30 if s.kind == "sleep_in" else 0) for t, s in zip(timesheets, shifts)],
        batch_size=500)
    for timesheet, version in zip(timesheets, versions):
        timesheet.current_version = timesheet.approved_version = version
        timesheet.approved_by, timesheet.status = holder, "approved"
    Timesheet.objects.bulk_update(timesheets, ["current_version", "approved_version", "approved_by", "status"],
                                  batch_size=500)
    return recipient, holder, len(shifts)


def time_export(recipient, holder, first, last, requests):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(holder)
    url = f"/pay/{recipient.pk}/export.csv?from={first.isoformat()}&to={last.isoformat()}"
    client.get(url)  # warm
    times, counts = [], set()
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        counts.add(len(queries))
    rows = response.content.decode().count("\n") - 2  # less the header and the TOTAL row
    return statistics.median(times), counts, rows


def main():
    requests = int(os.environ.get("BENCH_PAY_EXPORT_REQUESTS", "5"))
    result = {}
    with tempfile.TemporaryDirectory() as workdir:
        configure_django(workdir, CELERY_TASK_ALWAYS_EAGER="1", SMS_BACKEND="locmem", PUBLIC_BASE_URL=None,
                         ALLOWED_HOSTS="testserver")
        from django.db import connection

        result["database"] = connection.vendor
        first = datetime.date.today() - datetime.timedelta(days=DAYS + 1)
        started = time.perf_counter()
        recipient, holder, shifts = family_with_a_year_worked(first)
        result["setup_s"] = round(time.perf_counter() - started, 1)
        result["shifts_with_timesheets"] = shifts
        last = first + datetime.timedelta(days=DAYS - 1)
        for label, (a, b) in {"12_months": (first, last), "1_month": (first, first + datetime.timedelta(days=30))}.items():
            ms, counts, rows = time_export(recipient, holder, a, b, requests)
            assert rows == PAS, rows
            result[f"export_ms_{label}"] = round(ms, 1)
            result[f"queries_{label}"] = max(counts) if len(counts) == 1 else sorted(counts)
        assert result["queries_12_months"] == result["queries_1_month"], result
    return result


if __name__ == "__main__":
    print(main())
