"""The periodic delegation sweep (fire due Viewflow timers, expire competencies past their date,
send the 28- and 7-day reminders) over 200,000 competencies: its time and its SQL queries,
against the same sweep over a tenth of the rows with the same number due — the query count
must depend on what is due, never on how many rows exist — and a second run, which must do
(and send) nothing.

Texts are queued in the outbox (the in-memory broker keeps the send tasks), so the figures
are the sweep's own, not Twilio's.

Environment: BENCH_COMPETENCIES (200000), BENCH_DUE (50 of each: expired, in the 28-day
window, in the 7-day window), BENCH_DATABASE_URL (default: a throwaway SQLite file).
"""
import datetime
import os
import tempfile
import time
import uuid

from bench.setup import configure_django

TASKS_PER_PAIR = 16  # every delegable task of the catalogue
PAS_PER_PERSON = 25



def populate(total, due, now):
    """`total` signed-off competencies: `due` past their date, `due` expiring in 8–27 days, `due`
    in under 7 days, the rest valid for months. Each person has a budget holder; everyone
    has a mobile with consent (so every reminder really queues texts)."""
    from django.contrib.auth import get_user_model

    from care.models import CareRecipient, Membership, Profile, Role
    from competencies.models import Competency, HealthcareTask, Status

    User = get_user_model()
    tasks = list(HealthcareTask.objects.filter(delegable=True).order_by("pk"))[:TASKS_PER_PAIR]
    people = -(-total // (PAS_PER_PERSON * len(tasks)))
    start = CareRecipient.objects.count()
    CareRecipient.objects.bulk_create(
        CareRecipient(display_name=f"Sweep {start + i}", date_of_birth="2000-01-01", nhs_number=f"{start + i:010d}")
        for i in range(people)
    )
    recipients = list(CareRecipient.objects.order_by("-pk")[:people])
    prefix = uuid.uuid4().hex[:6]
    User.objects.bulk_create(
        [User(username=f"{prefix}-bh{r.pk}", password="!") for r in recipients]
        + [User(username=f"{prefix}-pa{r.pk}-{j}", password="!") for r in recipients for j in range(PAS_PER_PERSON)],
        batch_size=5000,
    )
    users = {u.username: u for u in User.objects.filter(username__startswith=f"{prefix}-")}
    Profile.objects.bulk_create(
        [Profile(user=u, mobile=f"+4477{10_000_000 + u.pk:08d}"[:13], sms_consent=True) for u in users.values()],
        batch_size=5000,
    )
    Membership.objects.bulk_create(
        [Membership(recipient=r, user=users[f"{prefix}-bh{r.pk}"], role=Role.BUDGET_HOLDER, started_on="2025-01-01")
         for r in recipients]
        + [Membership(recipient=r, user=users[f"{prefix}-pa{r.pk}-{j}"], role=Role.PA, started_on="2025-01-01")
           for r in recipients for j in range(PAS_PER_PERSON)],
        batch_size=5000,
    )
    signer = users[f"{prefix}-bh{recipients[0].pk}"]
    windows = [datetime.timedelta(minutes=-5), datetime.timedelta(days=20), datetime.timedelta(days=3)]

    def rows():
        n = 0
        for r in recipients:
            for j in range(PAS_PER_PERSON):
                pa = users[f"{prefix}-pa{r.pk}-{j}"]
                for task in tasks:
                    if n == total:
                        return
                    kind = n // due if n < 3 * due else None
                    until = now + (windows[kind] if kind is not None else datetime.timedelta(days=60 + n % 300))
                    yield Competency(pa=pa, recipient=r, task=task, status=Status.SIGNED_OFF, signed_off_by=signer,
                                     signed_off_at=until - datetime.timedelta(days=365),
                                     valid_from=until - datetime.timedelta(days=365), valid_until=until)
                    n += 1

    Competency.objects.bulk_create(rows(), batch_size=5000)


def measure(sweep):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = sweep()
        elapsed = time.perf_counter() - started
    return result, len(queries.captured_queries), elapsed


def main():
    total = int(os.environ.get("BENCH_COMPETENCIES", "200000"))
    due = int(os.environ.get("BENCH_DUE", "50"))
    with tempfile.TemporaryDirectory() as workdir:
        configure_django(workdir, "sweep", CELERY_TASK_ALWAYS_EAGER="0", CELERY_BROKER_URL="memory://",
                         SMS_BACKEND="locmem", PUBLIC_BASE_URL="https://bench.invalid")
        from django.db import connection
        from django.utils import timezone

        from competencies.models import Competency
        from notifications.models import Message
        from workflows.delegation.jobs import delegation_sweep

        figures = {"database": connection.vendor, "due_each_kind": due}
        # warm-up, not measured: the first sweep fills Django's content-type cache
        populate(3, 1, timezone.now())
        delegation_sweep()
        for label, rows in (("small", total // 10), ("large", total)):
            Competency.objects.all().delete()
            Message.objects.all().delete()
            started = time.perf_counter()
            populate(rows, due, timezone.now())
            figures[f"{label}_rows"] = Competency.objects.count()
            figures[f"{label}_populate_s"] = round(time.perf_counter() - started, 1)
            result, queries, elapsed = measure(delegation_sweep)
            assert result["expired"] == due and result["reminders"] == 2 * due, result
            figures[f"{label}_sweep_queries"] = queries
            # the goal: at most 4 per due competency (expired, or reminded at 28 or 7 days)
            figures[f"{label}_queries_per_due_competency"] = round(queries / (3 * due), 2)
            figures[f"{label}_sweep_ms"] = round(1000 * elapsed, 1)
            figures[f"{label}_texts_queued"] = Message.objects.count()
            again, queries, elapsed = measure(delegation_sweep)
            assert again == {"timers_fired": 0, "expired": 0, "reminders": 0}, again
            figures[f"{label}_second_run_queries"] = queries
            figures[f"{label}_second_run_ms"] = round(1000 * elapsed, 1)
        assert figures["small_sweep_queries"] == figures["large_sweep_queries"], figures
        figures["queries_grow_with_rows"] = figures["small_sweep_queries"] != figures["large_sweep_queries"]
    for key, value in figures.items():
        print(f"{key}: {value}")
    return figures


if __name__ == "__main__":
    main()
