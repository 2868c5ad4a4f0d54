"""The rota page (`rota:week`, as its budget holder sees it): server time and SQL queries with 1,
100 and 1,000 shifts in the week shown (Django's test Client against the real view, median of
BENCH_ROTA_PAGE_REQUESTS requests), both as a repeat view finds it (the week kept by rota.week_cache)
and afresh (`_afresh`: the kept week forgotten before each request); then requests per second, p50/p95 latency and errors of the
demo family's rota page under 50 concurrent logged-in clients on a real server (`runembedded`,
the daphne process `make run` serves with) in a subprocess.

Every shift of a size is in the one week the page shows, so the page renders all of them: the
query count must not grow with the number of shifts.

Then the same page in production shape (bench/_production.py): the Procfile's web line twice on
PostgreSQL and Redis, against a bare view running the same SQL on the same processes: ratio_rps.

Environment: BENCH_ROTA_PAGE_REQUESTS (15), BENCH_ROTA_PAGE_CLIENTS (50), BENCH_ROTA_PAGE_SECONDS (10),
BENCH_DATABASE_URL (default: a throwaway SQLite file; point it at a scratch PostgreSQL database to
measure that — its tables are created and the data left behind).
"""
import asyncio
import datetime
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from decimal import Decimal
from pathlib import Path

from bench.setup import configure_django

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1, 100, 1000)
PAS = 10


def setting(name, default):
    return type(default)(os.environ.get(name, default))



# --- Server time and queries at 1, 100 and 1,000 shifts -----------------------------------------


def rota_with_shifts(count, monday):
    """A person with a budget, a budget holder, PAS PAs, and `count` shifts spread over the week of
    `monday`: two in three booked with a PA, one in three open with a delegated task on it."""
    from django.contrib.auth import get_user_model

    from care.models import CareRecipient, PAProfile, PersonalHealthBudget, Role
    from care.services import add_member
    from competencies.models import HealthcareTask
    from rota.models import Shift
    from rota.queries import local_midnight
    from tests.factories import nhs_number

    User = get_user_model()
    run = uuid.uuid4().hex[:6]  # a scratch database may hold an earlier run's people

    def user(name):
        u = User(username=f"{run}-{name}", first_name=name.title())
        u.set_unusable_password()
        u.save()
        return u

    recipient = CareRecipient.objects.create(display_name=f"Rota {count}", date_of_birth="2015-01-01",
                                             nhs_number=nhs_number(20_000 + CareRecipient.objects.count()))
    holder = user(f"holder{count}")
    add_member(recipient=recipient, user=holder, role=Role.BUDGET_HOLDER)
    pas = []
    for n in range(PAS):
        pa = user(f"pa{count}-{n}")
        add_member(recipient=recipient, user=pa, role=Role.PA)
        PAProfile.objects.create(user=pa, hourly_rate=Decimal("13.50"), sleep_in_rate=Decimal("95.00"))
        pas.append(pa)
    PersonalHealthBudget.objects.create(
        recipient=recipient, management_option="direct_payment", period_start=monday - datetime.timedelta(days=90),
        period_end=monday + datetime.timedelta(days=270), amount=Decimal("78000.00"), contingency=Decimal("2500.00"),
    )
    week_start = local_midnight(monday)
    step = datetime.timedelta(days=7) / count
    # Each PA takes every PAS-th shift; shorter shifts when the week is crowded, so nobody is
    # double-booked (PostgreSQL refuses that with an exclusion constraint).
    length = min(datetime.timedelta(hours=4), step * PAS)
    shifts = []
    for n in range(count):
        start = week_start + step * n
        open_shift = n % 3 == 2
        shifts.append(Shift(
            recipient=recipient, start=start, end=start + length, kind=Shift.Kind.DAY,
            pa=None if open_shift else pas[n % PAS],
            status=Shift.Status.DRAFT if open_shift else Shift.Status.CONFIRMED, notes=f"Shift {n}",
            created_by=holder,
        ))
    shifts = Shift.objects.bulk_create(shifts)
    task = HealthcareTask.objects.get(code="tracheostomy-suction")
    Shift.tasks.through.objects.bulk_create(
        Shift.tasks.through(shift_id=shift.pk, healthcaretask_id=task.pk) for shift in shifts if shift.pa_id is None
    )
    return recipient, holder


def time_page(recipient, holder, monday, requests, afresh=False):
    """Median ms and the query counts of the page; `afresh`: with the kept week (rota.week_cache)
    forgotten before each request, so the page reads, costs and renders the rota every time."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(holder)
    url = reverse("rota:week", args=[recipient.pk]) + f"?week={monday.isoformat()}"
    assert client.get(url).status_code == 200  # warm caches, not counted
    times, counts = [], set()
    for _ in range(requests):
        if afresh:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        counts.add(len(queries.captured_queries))
    shown = response.content.decode().count("data-shift-id=")
    return statistics.median(times), counts, shown


# --- Requests per second under 50 concurrent clients ----------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port, log):
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runembedded", "--port", str(port), "--scheduler-interval", "3600"],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited; see its log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


async def hammer(base, path, username, password, clients, seconds):
    """Log `clients` clients in through the login form, then each GETs `path` back to back."""
    import httpx

    async def logged_in_client():
        client = httpx.AsyncClient(base_url=base, timeout=60)
        await client.get("/login/")
        response = await client.post("/login/", data={
            "username": username, "password": password, "csrfmiddlewaretoken": client.cookies["csrftoken"],
        }, headers={"Referer": f"{base}/login/"})
        if response.status_code != 302 or "sessionid" not in client.cookies:
            raise RuntimeError(f"login failed: HTTP {response.status_code}")
        return client

    logins = asyncio.Semaphore(4)  # password hashing is deliberately slow; do not time it

    async def log_in():
        async with logins:
            return await logged_in_client()

    pool = await asyncio.gather(*(log_in() for _ in range(clients)))
    latencies, errors = [], []
    stop_at = time.monotonic() + seconds

    async def worker(client):
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                response = await client.get(path)
                ok = response.status_code == 200 and b"data-shift-id=" in response.content
                if not ok:
                    errors.append(f"HTTP {response.status_code}")
            except httpx.HTTPError as exc:
                ok = False
                errors.append(repr(exc))
            if ok:
                latencies.append((time.perf_counter() - started) * 1000)

    started = time.monotonic()
    await asyncio.gather(*(worker(client) for client in pool))
    elapsed = time.monotonic() - started
    await asyncio.gather(*(client.aclose() for client in pool))
    return latencies, errors, elapsed


def percentile(values, p):
    return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1], 1) if len(values) > 1 else None


def main():
    requests = setting("BENCH_ROTA_PAGE_REQUESTS", 15)
    clients = setting("BENCH_ROTA_PAGE_CLIENTS", 50)
    seconds = setting("BENCH_ROTA_PAGE_SECONDS", 10)
    result = {}
    with tempfile.TemporaryDirectory() as workdir:
        # no PUBLIC_BASE_URL: https would turn on the SSL redirect
        configure_django(workdir, CELERY_TASK_ALWAYS_EAGER="1", SMS_BACKEND="locmem", PUBLIC_BASE_URL=None)
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        from care.demo import DEMO_PASSWORD
        from care.models import CareRecipient
        from rota.models import Shift
        from rota.queries import monday_of

        result["database"] = connection.vendor
        monday = monday_of(timezone.localdate()) + datetime.timedelta(days=14)
        for count in SIZES:
            recipient, holder = rota_with_shifts(count, monday)
            for afresh, suffix in ((False, ""), (True, "_afresh")):
                ms, counts, shown = time_page(recipient, holder, monday, requests, afresh=afresh)
                assert shown == count, (shown, count)
                result[f"server_ms_{count}_shifts{suffix}"] = round(ms, 1)
                result[f"queries_{count}_shifts{suffix}"] = max(counts) if len(counts) == 1 else sorted(counts)

        call_command("seed_demo", stdout=io.StringIO())
        alfie = CareRecipient.objects.get(nhs_number="9434765919")
        # Demo shifts start tomorrow: the week from eight days on is always a full one.
        week = monday_of(timezone.localdate() + datetime.timedelta(days=8))
        path = f"/rota/{alfie.pk}/?week={week.isoformat()}"
        shown = Shift.objects.filter(recipient=alfie).in_week(week).count()
        connection.close()
        load_before = os.getloadavg()[0]

        port = free_port()
        with open(Path(workdir) / "server.log", "w") as log:
            server = start_server(port, log)
            try:
                latencies, errors, elapsed = asyncio.run(
                    hammer(f"http://127.0.0.1:{port}", path, "parent", DEMO_PASSWORD, clients, seconds)
                )
            finally:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
        if errors:
            print("".join((Path(workdir) / "server.log").read_text().splitlines(keepends=True)[-20:]))
        result.update({
            "concurrent_clients": clients,
            "concurrent_page_shifts": shown,
            "concurrent_seconds": round(elapsed, 1),
            "concurrent_requests_per_second": round(len(latencies) / elapsed, 1),
            "concurrent_p50_ms": percentile(latencies, 50),
            "concurrent_p95_ms": percentile(latencies, 95),
            "concurrent_errors": len(errors),
            "concurrent_error_sample": errors[:2],
            "load_average_1m_before_concurrent": round(load_before, 2),
        })
    result.update(production_shape())
    for key, value in result.items():
        print(f"{key}: {value}")
    return result


def production_shape():
    """bench/_production.py in its own process (it configures Django for PostgreSQL and Redis):
    the Procfile's web processes against a bare view running the same SQL. BENCH_PRODUCTION=0 skips it."""
    if os.environ.get("BENCH_PRODUCTION", "1") == "0":
        return {"ratio_rps": "skipped (BENCH_PRODUCTION=0)"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "production.json"
        done = subprocess.run([sys.executable, "-m", "bench._production", str(out)], cwd=ROOT)
        if done.returncode != 0 or not out.exists():
            return {"ratio_rps": "FAILED (needs PostgreSQL and Redis: see bench/README.md)"}
        return json.loads(out.read_text())


if __name__ == "__main__":
    main()
