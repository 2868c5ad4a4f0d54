"""The rota page in production shape (called by bench/rota_page.py, in its own process): the
Procfile's `web` line, twice, on PostgreSQL and Redis, behind nothing but the clients themselves
(each client keeps to one process, as a load balancer's sticky sessions would); and, in the same
run and on the same processes, a bare Django view that runs the same SQL as the rota page and
renders a trivial template (bench/_bare.py). The phases alternate (ours, bare, ours, bare) so load
from elsewhere on the machine falls on both.

Environment: BENCH_PRODUCTION_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
paworkflow_bench_page, created if missing; its tables are created and its rows left behind),
REDIS_URL (default redis://127.0.0.1:6379/15), BENCH_PRODUCTION_WEB_PROCESSES (2),
BENCH_PRODUCTION_WEB (the command for one web process; default the Procfile's `web` line),
BENCH_ROTA_PAGE_CLIENTS (50), BENCH_PRODUCTION_SECONDS (10 per phase, two phases each),
BENCH_PRODUCTION_CONN_MAX_AGE (0).
"""
import asyncio
import datetime
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from bench.setup import configure_django

ROOT = Path(__file__).resolve().parent.parent
PROCFILE = ROOT / "deploy" / "Procfile"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/paworkflow_bench_page"


def web_line():
    for line in PROCFILE.read_text().splitlines():
        match = re.match(r"^web:\s*(.+)$", line.strip())
        if match:
            return match.group(1)
    raise RuntimeError("deploy/Procfile has no web line")


def ensure_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def capture_page_sql(path, parent, queries_file):
    """The rota page's SQL, less what the middleware asks for any page (sessions, the user): the
    queries of one real request minus those of a request to the bare view with nothing to replay."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(parent)
    assert client.get(path).status_code == 200  # warm caches, not counted
    queries_file.write_text("[]")
    with CaptureQueriesContext(connection) as common:
        assert client.get("/bench/bare-rota/").status_code == 200
    with CaptureQueriesContext(connection) as page:
        response = client.get(path)
    assert response.status_code == 200
    leave_out = Counter(q["sql"] for q in common.captured_queries)
    replay = []
    for query in page.captured_queries:
        sql = query["sql"]
        if leave_out[sql]:
            leave_out[sql] -= 1
        elif sql.lstrip().upper().startswith("SELECT"):
            replay.append(sql)
    queries_file.write_text(json.dumps(replay))
    return len(page.captured_queries), len(replay)


def start_web(command, port, env, log):
    process = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=ROOT, env={**env, "PORT": str(port)},
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the web process on port {port} exited; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise RuntimeError(f"the web process on port {port} did not start")


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(15)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


async def log_in_clients(bases, count, username, password):
    import httpx

    async def one(base):
        client = httpx.AsyncClient(base_url=base, timeout=60)
        await client.get("/login/")
        response = await client.post("/login/", data={
            "username": username, "password": password, "csrfmiddlewaretoken": client.cookies["csrftoken"],
        }, headers={"Referer": f"{base}/login/"})
        if response.status_code != 302 or "sessionid" not in client.cookies:
            raise RuntimeError(f"login failed: HTTP {response.status_code}")
        return client

    logins = asyncio.Semaphore(4)  # password hashing is deliberately slow; do not time it

    async def limited(base):
        async with logins:
            return await one(base)

    return await asyncio.gather(*(limited(bases[i % len(bases)]) for i in range(count)))


async def phase(clients, path, marker, seconds):
    import httpx

    latencies, errors = [], []
    stop_at = time.monotonic() + seconds

    async def worker(client):
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                response = await client.get(path)
                ok = response.status_code == 200 and marker in response.content
                if not ok:
                    errors.append(f"HTTP {response.status_code}")
            except httpx.HTTPError as exc:
                ok = False
                errors.append(repr(exc))
            if ok:
                latencies.append((time.perf_counter() - started) * 1000)

    started = time.monotonic()
    await asyncio.gather(*(worker(c) for c in clients))
    return latencies, errors, time.monotonic() - started


async def drive(bases, path, clients_count, seconds, password):
    clients = await log_in_clients(bases, clients_count, "parent", password)
    runs = {"ours": ([], [], 0.0), "bare": ([], [], 0.0)}
    try:
        for kind in ("ours", "bare", "ours", "bare"):
            target, marker = (path, b"data-shift-id=") if kind == "ours" else ("/bench/bare-rota/", b"rows from")
            latencies, errors, elapsed = await phase(clients, target, marker, seconds)
            before = runs[kind]
            runs[kind] = (before[0] + latencies, before[1] + errors, before[2] + elapsed)
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    return runs


def percentile(values, p):
    import statistics

    return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1], 1) if len(values) > 1 else None


def main():
    database = os.environ.get("BENCH_PRODUCTION_DATABASE_URL", DEFAULT_DATABASE)
    redis = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    processes = int(os.environ.get("BENCH_PRODUCTION_WEB_PROCESSES", "2"))
    command = os.environ.get("BENCH_PRODUCTION_WEB", web_line())
    clients = int(os.environ.get("BENCH_ROTA_PAGE_CLIENTS", "50"))
    seconds = float(os.environ.get("BENCH_PRODUCTION_SECONDS", "10"))
    ensure_database(database)
    workdir = Path(tempfile.mkdtemp(prefix="bench-production-"))
    queries_file = workdir / "bare-queries.json"
    os.environ["BENCH_DATABASE_URL"] = database
    shared = {
        "DJANGO_SETTINGS_MODULE": "bench._production_settings", "REDIS_URL": redis,
        # 0, not deploy/paworkflow.env.example's 60: under ASGI each request's sync code runs in a
        # thread of its own, so persistent connections pile up one per thread until PostgreSQL
        # refuses more ("too many clients": measured here with 60). Django's docs say the same.
        "DB_CONN_MAX_AGE": os.environ.get("BENCH_PRODUCTION_CONN_MAX_AGE", "0"),
        "BENCH_BARE_QUERIES": str(queries_file), "STATIC_ROOT": str(workdir / "static"), "DEBUG": "0",
    }
    configure_django(workdir, "production", CELERY_TASK_ALWAYS_EAGER="1", SMS_BACKEND="locmem", PUBLIC_BASE_URL=None,
                     **shared)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from care.demo import DEMO_PASSWORD
    from care.models import CareRecipient
    from rota.models import Shift
    from rota.queries import monday_of

    call_command("seed_demo", stdout=io.StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)
    alfie = CareRecipient.objects.get(nhs_number="9434765919")
    week = monday_of(timezone.localdate() + datetime.timedelta(days=8))
    path = f"/rota/{alfie.pk}/?week={week.isoformat()}"
    shown = Shift.objects.filter(recipient=alfie).in_week(week).count()
    page_queries, replayed = capture_page_sql(path, get_user_model().objects.get(username="parent"), queries_file)
    connection.close()

    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "PYTEST", "SMS_", "BENCH_"))}
    env.update(shared, DATABASE_URL=database, SECRET_KEY="bench-production-" + "k" * 40, ALLOWED_HOSTS="127.0.0.1",
               SMS_BACKEND="console", LOG_LEVEL="WARNING", BENCH_BARE_QUERIES=str(queries_file),
               PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
    from bench.rota_page import free_port

    ports = [free_port() for _ in range(processes)]
    logs, webs = [], []
    try:
        for port in ports:
            logs.append(open(workdir / f"web-{port}.log", "w"))
            webs.append(start_web(command, port, {**env, "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}, logs[-1]))
        load_before = os.getloadavg()[0]
        runs = asyncio.run(drive([f"http://127.0.0.1:{p}" for p in ports], path, clients, seconds, DEMO_PASSWORD))
    finally:
        for web in webs:
            stop(web)
        for log in logs:
            log.close()
    ours, bare = runs["ours"], runs["bare"]
    rps = {kind: len(run[0]) / run[2] if run[2] else 0 for kind, run in runs.items()}
    if ours[1] or bare[1]:
        for log in workdir.glob("web-*.log"):
            print(log.read_text()[-3000:])
    return {
        "production_web_command": command,
        "production_web_processes": processes,
        "production_db_conn_max_age": shared["DB_CONN_MAX_AGE"],
        "production_clients": clients,
        "production_page_shifts": shown,
        "production_page_queries": page_queries,
        "production_bare_queries_replayed": replayed,
        "ratio_rps": round(rps["ours"] / rps["bare"], 2) if rps["bare"] else None,
        "production_rps": round(rps["ours"], 1),
        "production_p50_ms": percentile(ours[0], 50),
        "production_p95_ms": percentile(ours[0], 95),
        "production_errors": len(ours[1]),
        "bare_rps": round(rps["bare"], 1),
        "bare_p50_ms": percentile(bare[0], 50),
        "bare_p95_ms": percentile(bare[0], 95),
        "bare_errors": len(bare[1]),
        "production_error_sample": (ours[1] + bare[1])[:2],
        "production_seconds_each": round(ours[2], 1),
        "load_average_1m_before_production": round(load_before, 2),
    }


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else None
    figures = main()
    print(json.dumps(figures, indent=2))
    if out:
        Path(out).write_text(json.dumps(figures))
