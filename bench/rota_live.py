"""Live rota under load: 1,000 WebSocket clients over 100 rotas on one daphne with the Redis layer,
20 rota changes a second for 30 seconds. Prints p50/p95/p99 latency from commit to receipt and
messages lost, then the same for a bare `group_send` of the same payloads to the same clients, so
our path's overhead (service, row locks, change log, render, on_commit) is a ratio.

Three processes, so no one's GIL skews another's clock: daphne (the server), the clients, and this
driver (making changes through rota.services, like a second server process would; broadcasts cross
through Redis). Times are wall-clock (time.time()) on one machine.

Environment: BENCH_ROTA_DATABASE_URL (default: database `paworkflow_bench_rota` on the PostgreSQL
server of DATABASE_URL, or postgres://postgres@127.0.0.1:5432; created if missing), REDIS_URL
(default redis://127.0.0.1:6379/15), BENCH_ROTA_CLIENTS (1000), BENCH_ROTA_ROTAS (100),
BENCH_ROTA_RATE (20 per second), BENCH_ROTA_SECONDS (30), BENCH_ROTA_CONCURRENCY (3 changes in flight).
"""
import asyncio
import datetime
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.setup import migrate

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "paworkflow_bench_rota"
# Recipient ids start high so the bench's groups ("rota.<pk>") never meet a test's on a shared Redis:
# the pub/sub layer's channels ignore the Redis database number.
FIRST_RECIPIENT_ID = 900_001


def setting(name, default):
    return type(default)(os.environ.get(name, default))


def bench_database_url():
    if os.environ.get("BENCH_ROTA_DATABASE_URL"):
        return os.environ["BENCH_ROTA_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        base = "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{DB_NAME}"))


def ensure_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentiles(values):
    if not values:
        return {"p50": None, "p95": None, "p99": None}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49], 2), "p95": round(cuts[94], 2), "p99": round(cuts[98], 2)}


# --- Arrange: rotas, people, sessions (in this driver, with Django set up) ------------------------


def nhs_number(n):
    for candidate in range(n * 11 + 600_000_000, n * 11 + 600_000_011):
        digits = f"{candidate:09d}"
        check = 11 - sum(int(d) * w for d, w in zip(digits, range(10, 1, -1))) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return digits + str(check)
    raise ValueError(n)


def arrange(rotas, clients):
    """Idempotent: 100 recipients, a budget holder each, a logged-in session each; returns the client plan."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    from care.models import CareRecipient, Membership, Role
    from care.services import add_member
    from rota.live import current_seq

    if not CareRecipient.objects.exists() and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('care_carerecipient', 'id'), %s, false)",
                           [FIRST_RECIPIENT_ID])
    User = get_user_model()
    plan = []
    for n in range(rotas):
        recipient, _ = CareRecipient.objects.get_or_create(
            nhs_number=nhs_number(n), defaults={"display_name": f"Bench Person {n}", "date_of_birth": datetime.date(1990, 1, 1)}
        )
        user, created = User.objects.get_or_create(username=f"bench-holder-{n}")
        if created:
            user.set_unusable_password()
            user.save()
        if not Membership.objects.filter(recipient=recipient, user=user, role=Role.BUDGET_HOLDER).exists():
            add_member(recipient=recipient, user=user, role=Role.BUDGET_HOLDER, started_on=datetime.date(2025, 1, 1))
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        plan.append({"rota": recipient.pk, "user": user.pk, "cookie": session.session_key,
                     "seq": current_seq(recipient.pk)})
    return [plan[i % rotas] for i in range(clients)]


# --- The clients (their own process) --------------------------------------------------------------


async def run_clients(url, plan, out, ready_file):
    import websockets

    origin = url.replace("ws://", "http://").rsplit("/ws/", 1)[0]
    received = [[] for _ in plan]
    sockets = [None] * len(plan)
    failures = []

    async def listen(i, ws):
        try:
            async for raw in ws:
                now = time.time()
                message = json.loads(raw)
                if message.get("type") == "change":
                    received[i].append((message["seq"], now))
        except websockets.ConnectionClosed as closed:
            failures.append(f"client {i} closed: {closed.rcvd.code if closed.rcvd else 'no code'}")

    async def open_one(i, spec):
        ws = await websockets.connect(f"{url}/ws/rota/{spec['rota']}/", origin=origin,
                                      additional_headers={"Cookie": f"sessionid={spec['cookie']}"},
                                      max_size=2 ** 22, open_timeout=60)
        await ws.send(json.dumps({"type": "hello", "last_seq": spec["seq"], "week": None}))
        reply = json.loads(await ws.recv())
        assert reply["type"] == "synced", reply
        sockets[i] = ws
        return asyncio.create_task(listen(i, ws))

    started = time.time()
    listeners = []
    for batch in range(0, len(plan), 100):
        listeners += await asyncio.gather(*(open_one(i, plan[i]) for i in range(batch, min(batch + 100, len(plan)))))
    Path(ready_file).write_text(json.dumps({"connect_seconds": round(time.time() - started, 2)}))
    stop = Path(ready_file + ".stop")
    while not stop.exists():
        await asyncio.sleep(0.2)
    await asyncio.sleep(3)  # let the last messages land
    for ws in sockets:
        await ws.close()
    for task in listeners:
        task.cancel()
    Path(out).write_text(json.dumps({"received": received, "failures": failures}))


# --- The driver ---------------------------------------------------------------------------------

FIRST_DAY = datetime.date.today() + datetime.timedelta(days=30)


def make_change(n, rota_pk, shifts):
    """One rota change through the services, timed at commit. Returns (rota, seq, commit time)."""
    from django.db import transaction

    from care.models import CareRecipient
    from rota import services
    from rota.models import RotaSequence, Shift

    holder = {}
    with transaction.atomic():
        # Registered before the service's own broadcast callback, so it runs first, right at commit.
        transaction.on_commit(lambda: holder.__setitem__("at", time.time()))
        # within the window shifts may be planned in (up to two years ahead), whatever today is
        day = FIRST_DAY + datetime.timedelta(days=n % 50)
        start = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.timezone.utc)
        if rota_pk not in shifts:
            recipient = CareRecipient.objects.get(pk=rota_pk)
            shift = services.create_shift(recipient=recipient, start=start, end=start + datetime.timedelta(hours=4),
                                          kind="day", actor=None)
            shifts[rota_pk] = shift.pk
        else:
            shift = Shift.objects.get(pk=shifts[rota_pk])
            services.update_shift(shift=shift, actor=None, expected_version=shift.version, start=start,
                                  end=start + datetime.timedelta(hours=4), kind="day", tasks=[], notes=f"change {n}")
        holder["seq"] = RotaSequence.objects.get(recipient_id=rota_pk).last
    return rota_pk, holder["seq"], holder["at"]


async def drive(rotas, rate, seconds, concurrency):
    from asgiref.sync import sync_to_async
    from django.db import close_old_connections

    shifts = {}
    total = rate * seconds
    commits = []
    errors = []

    def change(n):
        try:
            return make_change(n, rotas[n % len(rotas)], shifts)
        finally:
            close_old_connections()

    in_flight = asyncio.Semaphore(concurrency)
    busy = set()

    async def one(n, at):
        await asyncio.sleep(max(0, at - time.monotonic()))
        async with in_flight:
            # Like a server's request threads: a few changes at once (never two on one rota), each
            # in a worker thread; the broadcast inside goes out on this loop's Redis connection.
            rota = rotas[n % len(rotas)]
            while rota in busy:
                await asyncio.sleep(0.005)
            busy.add(rota)
            try:
                commits.append(await sync_to_async(change, thread_sensitive=False)(n))
            except Exception as exc:  # counted, not hidden
                errors.append(repr(exc))
            finally:
                busy.discard(rota)

    start = time.monotonic() + 0.5
    await asyncio.gather(*(one(n, start + n / rate) for n in range(total)))
    return commits, errors, total / (time.monotonic() - start)


async def bare(rotas, rate, seconds, last_seq, payload):
    """The same number of group_sends, of a real change's payload, straight to the layer."""
    from channels.layers import get_channel_layer

    from rota.live import group_name

    layer = get_channel_layer()
    sent = []
    seqs = dict(last_seq)
    start = time.monotonic() + 0.5
    for n in range(rate * seconds):
        rota = rotas[n % len(rotas)]
        await asyncio.sleep(max(0, start + n / rate - time.monotonic()))
        seqs[rota] += 1
        at = time.time()
        await layer.group_send(group_name(rota), {**payload, "type": "rota.change", "seq": seqs[rota]})
        sent.append((rota, seqs[rota], at))
    return sent


def measure(plan, received, sent):
    """Latency (ms) of every delivery of `sent`, and how many expected deliveries never came."""
    sent_at = {(rota, seq): at for rota, seq, at in sent}
    by_rota = {}
    for rota, seq, _ in sent:
        by_rota.setdefault(rota, set()).add(seq)
    latencies, lost = [], 0
    for spec, got in zip(plan, received):
        got_seqs = {}
        for seq, at in got:
            got_seqs.setdefault(seq, at)
        for seq in by_rota.get(spec["rota"], ()):
            if seq in got_seqs:
                latencies.append((got_seqs[seq] - sent_at[(spec["rota"], seq)]) * 1000)
            else:
                lost += 1
    return latencies, lost


def main():
    clients = setting("BENCH_ROTA_CLIENTS", 1000)
    rota_count = setting("BENCH_ROTA_ROTAS", 100)
    rate = setting("BENCH_ROTA_RATE", 20)
    seconds = setting("BENCH_ROTA_SECONDS", 30)
    concurrency = setting("BENCH_ROTA_CONCURRENCY", 3)
    database_url = bench_database_url()
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    ensure_database(database_url)
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE":
           "paworkflow.settings", "CELERY_TASK_ALWAYS_EAGER": "1", "SMS_BACKEND": "locmem", "DB_CONN_MAX_AGE": "60",
           "LOG_LEVEL": "WARNING"}
    os.environ.update(env)
    migrate()
    plan = arrange(rota_count, clients)
    rotas = sorted({spec["rota"] for spec in plan})

    port = free_port()
    with tempfile.TemporaryDirectory() as tmp, open(Path(tmp) / "daphne.log", "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "daphne", "-v", "1", "-b", "127.0.0.1", "-p", str(port),
                                   "paworkflow.asgi:application"], cwd=ROOT, env=env, stdout=log, stderr=log)
        plan_file, out_file, ready_file = (str(Path(tmp) / n) for n in ("plan.json", "out.json", "ready"))
        try:
            wait_for_port(port)
            figures = run(plan, plan_file, out_file, ready_file, port, env, rotas, rate, seconds, clients, concurrency)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    for key, value in figures.items():
        print(f"{key:<34} {value}")
    return figures


def wait_for_port(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("daphne did not start")


def run(plan, plan_file, out_file, ready_file, port, env, rotas, rate, seconds, clients, concurrency):
    from rota.live import current_seq
    from rota.models import RotaChange

    Path(plan_file).write_text(json.dumps(plan))
    listener = subprocess.Popen([sys.executable, "-m", "bench.rota_live", "--clients", f"ws://127.0.0.1:{port}",
                                 plan_file, out_file, ready_file], cwd=ROOT, env=env)
    deadline = time.monotonic() + 300
    while not Path(ready_file).exists():
        if listener.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the clients did not connect")
        time.sleep(0.2)
    connect_seconds = json.loads(Path(ready_file).read_text())["connect_seconds"]

    from rota import live

    publish_ms = []
    broadcast = live.broadcast

    def timed_broadcast(recipient_id, payload):  # how much of the latency is before the publish
        started = time.time()
        broadcast(recipient_id, payload)
        publish_ms.append((time.time() - started) * 1000)

    live.broadcast = timed_broadcast
    try:
        commits, errors, achieved = asyncio.run(drive(rotas, rate, seconds, concurrency))
    finally:
        live.broadcast = broadcast
    if not commits:
        raise RuntimeError(f"every change failed, e.g. {errors[:2]}")
    time.sleep(2)
    last_seq = {rota: current_seq(rota) for rota in rotas}
    payload = RotaChange.objects.filter(recipient_id=rotas[0]).order_by("-seq").values_list("payload", flat=True)[0]
    sent = asyncio.run(bare(rotas, rate, seconds, last_seq, payload))
    Path(ready_file + ".stop").write_text("stop")
    listener.wait(timeout=120)
    result = json.loads(Path(out_file).read_text())

    ours, ours_lost = measure(plan, result["received"], commits)
    plain, plain_lost = measure(plan, result["received"], sent)
    p_ours, p_plain = percentiles(ours), percentiles(plain)
    return {
        "clients": clients,
        "rotas": len(rotas),
        "connect_seconds": connect_seconds,
        "changes": len(commits),
        "changes_per_second_achieved": round(achieved, 1),
        "changes_in_flight_max": concurrency,
        "change_errors": len(errors),
        "change_error_sample": errors[:2],
        "deliveries_expected": len(ours) + ours_lost,
        "commit_to_client_p50_ms": p_ours["p50"],
        "commit_to_client_p95_ms": p_ours["p95"],
        "commit_to_client_p99_ms": p_ours["p99"],
        "messages_lost": ours_lost,
        "commit_to_publish_p50_ms": percentiles(publish_ms)["p50"],
        "commit_to_publish_p99_ms": percentiles(publish_ms)["p99"],
        "bare_group_send_p50_ms": p_plain["p50"],
        "bare_group_send_p95_ms": p_plain["p95"],
        "bare_group_send_p99_ms": p_plain["p99"],
        "bare_messages_lost": plain_lost,
        "overhead_ratio_p50": round(p_ours["p50"] / p_plain["p50"], 2) if p_plain["p50"] else None,
        "overhead_ratio_p99": round(p_ours["p99"] / p_plain["p99"], 2) if p_plain["p99"] else None,
        "socket_failures": len(result["failures"]),
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--clients"]:
        url, plan_file, out_file, ready_file = sys.argv[2:6]
        asyncio.run(run_clients(url, json.loads(Path(plan_file).read_text()), out_file, ready_file))
    else:
        main()
