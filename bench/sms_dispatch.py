"""5,000 queued texts through the Twilio backend to a fake Twilio on loopback that answers 429 to
5% and 500 to 5% of requests: messages per second against the configured rate, nothing lost,
nothing sent twice.

The real `twilio` client builds every request; a small HttpClient sends it to the loopback
server instead of api.twilio.com. Real Celery runs the sends: an in-process worker (thread
pool, in-memory broker) and retries as ETA tasks. Every message's task is sent twice, as an
at-least-once broker may, so workers race for the same message all the time.

Environment: BENCH_SMS_MESSAGES (5000), BENCH_SMS_RATE (100 per second), BENCH_SMS_WORKERS (8),
BENCH_SMS_TIMES (a file to write every request's time to, to see the run second by second),
BENCH_DATABASE_URL (default: a throwaway SQLite file, on tmpfs when /dev/shm exists; point it at a
scratch PostgreSQL database to measure that: its tables are created there and its rows left behind).
"""
import json
import multiprocessing
import os
import random
import shutil
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from bench.setup import configure_django

FAULTS = {429: 0.05, 500: 0.05}
RETRY_BASE_SECONDS = 0.5  # production waits 10 s; the shape of the retries is the same


# --- The fake Twilio (its own process, so it does not share our GIL) ------------------------------


def serve_fake_twilio(port_queue, seed):
    rng = random.Random(seed)
    lock = threading.Lock()
    stats = {"requests": 0, "by_status": {}, "accepted": {}, "times": []}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the real client gets from Twilio

        def log_message(self, *args):
            pass

        def reply(self, status, payload):
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            with lock:
                self.reply(200, stats)

        def do_POST(self):
            form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            text = form["Body"][0]
            with lock:
                stats["requests"] += 1
                stats["times"].append(time.time())
                roll = rng.random()
                status = 429 if roll < FAULTS[429] else 500 if roll < FAULTS[429] + FAULTS[500] else 201
                stats["by_status"][str(status)] = stats["by_status"].get(str(status), 0) + 1
                if status == 201:
                    stats["accepted"][text] = stats["accepted"].get(text, 0) + 1
            if status == 429:
                self.reply(429, {"code": 20429, "message": "Too Many Requests", "status": 429})
            elif status == 500:
                self.reply(500, {"code": 20500, "message": "Internal Server Error", "status": 500})
            else:
                self.reply(201, {"sid": "SM" + uuid.uuid4().hex, "status": "accepted", "to": form["To"][0], "body": text})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_queue.put(server.server_address[1])
    server.serve_forever()


def loopback_client(port):
    import requests
    from twilio.http import HttpClient
    from twilio.http.response import Response

    class LoopbackHttpClient(HttpClient):
        """Twilio's requests, unchanged, sent to the fake on loopback; one HTTP session per worker thread."""

        def __init__(self):
            super().__init__(logger=None, is_async=False, timeout=10)
            self.local = threading.local()

        def request(self, method, url, params=None, data=None, headers=None, auth=None, timeout=None,
                    allow_redirects=False):
            if not hasattr(self.local, "session"):
                self.local.session = requests.Session()
            url = url.replace("https://api.twilio.com", f"http://127.0.0.1:{port}", 1)
            answer = self.local.session.request(method, url, params=params, data=data, headers=headers, auth=auth,
                                                timeout=timeout or self.timeout, allow_redirects=allow_redirects)
            return Response(answer.status_code, answer.text, answer.headers)

    return LoopbackHttpClient()


def fetch_stats(port):
    import requests

    return requests.get(f"http://127.0.0.1:{port}/", timeout=10).json()


# --- The benchmark ---------------------------------------------------------------------------------



def main():
    total = int(os.environ.get("BENCH_SMS_MESSAGES", "5000"))
    rate = float(os.environ.get("BENCH_SMS_RATE", "100"))
    workers = int(os.environ.get("BENCH_SMS_WORKERS", "8"))

    ports = multiprocessing.get_context("fork").Queue()
    server = multiprocessing.get_context("fork").Process(target=serve_fake_twilio, args=(ports, 2026), daemon=True)
    server.start()
    port = ports.get(timeout=10)
    # tmpfs when there is one: the figure is about the dispatch path, not the disk's fsync.
    workdir = tempfile.mkdtemp(prefix="bench-sms-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    try:
        configure_django(workdir, CELERY_TASK_ALWAYS_EAGER="0", CELERY_BROKER_URL="memory://", SMS_BACKEND="twilio",
                         TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN="bench-token",
                         TWILIO_MESSAGING_SERVICE_SID="MG" + "0" * 32, PUBLIC_BASE_URL="https://bench.invalid")
        return run(total=total, rate=rate, workers=workers, port=port)
    finally:
        server.terminate()
        shutil.rmtree(workdir, ignore_errors=True)


def run(*, total, rate, workers, port):
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings
    from django.db import connection, transaction

    from notifications import send_sms_many
    from notifications.backends import use_backend
    from notifications.backends.twilio import TwilioBackend
    from notifications.models import Message, Status
    from notifications.tasks import send_message
    from paworkflow.celery import app

    # kombu's in-memory transport polls once a second when a worker's prefetch is full; Redis
    # (production) pushes instead, so poll often to measure our code rather than the poll.
    app.conf.broker_transport_options = {"polling_interval": 0.005}
    settings.SMS_RATE_PER_SECOND = rate
    settings.SMS_RETRY_BASE_SECONDS = RETRY_BASE_SECONDS
    Message.objects.filter(purpose="bench").delete()
    run_id = uuid.uuid4().hex[:8]

    with use_backend(TwilioBackend(http_client=loopback_client(port))):
        started = time.monotonic()
        with transaction.atomic():
            # In batches (send_sms_many), as a sweep queues them; the queueing is not what is measured.
            for first in range(0, total, 500):
                send_sms_many([{"number": f"+447700900{i % 1000:03d}", "purpose": "bench", "body": _body(i),
                                "idempotency_key": f"bench:{run_id}:{i}"} for i in range(first, min(first + 500, total))])
        queued_in = time.monotonic() - started

        # Brokers deliver at least once (acks_late redelivers after a lost worker): send every
        # task a second time, so the claim, not luck, is what keeps each text to one send.
        for pk in Message.objects.filter(purpose="bench").values_list("pk", flat=True):
            send_message.delay(pk)

        with start_worker(app, pool="threads", concurrency=workers, perform_ping_check=False,
                          loglevel="ERROR", shutdown_timeout=30):
            started = time.monotonic()
            cpu_started = time.process_time()  # every thread of this process: the worker's CPU
            deadline = started + 900
            while time.monotonic() < deadline:
                if not Message.objects.filter(purpose="bench", status__in=[Status.QUEUED, Status.SENDING]).exists():
                    break
                time.sleep(0.1)
            elapsed = time.monotonic() - started
            cpu = time.process_time() - cpu_started

    stats = fetch_stats(port)
    if os.environ.get("BENCH_SMS_TIMES"):
        with open(os.environ["BENCH_SMS_TIMES"], "w") as out:
            json.dump({"start": time.time() - (time.monotonic() - started), "times": stats["times"]}, out)
    rows = dict(Message.objects.filter(purpose="bench").values_list("idempotency_key", "status"))
    accepted = stats["accepted"]
    sent = sum(1 for s in rows.values() if s == Status.SENT)
    lost = total - sum(1 for i in range(total) if accepted.get(_body(i)))
    duplicated = sum(count - 1 for count in accepted.values() if count > 1)
    times = sorted(stats["times"])
    busiest = _busiest_second(times)
    span = (times[-1] - times[0]) if len(times) > 1 else 0

    succeeded = stats["by_status"].get("201", 0)
    achievable = rate * succeeded / stats["requests"] if stats["requests"] else 0
    figures = {
        # The goal (>= 0.95): texts per second over what the rate allows when only this share of
        # requests succeeds (each 429 or 500 spends a moment of the rate too).
        "share_of_achievable_rate": round(total / elapsed / achievable, 3) if achievable else 0,
        "achievable texts/s (rate x share of requests accepted)": round(achievable, 1),
        # Load on the machine does not change this one much: CPU the sending process spent per text.
        # The rate is out of reach when it exceeds 1000 / achievable texts/s on the cores we get.
        "cpu_ms_per_text": round(1000 * cpu / total, 2),
        "messages": total,
        "workers (Celery threads)": workers,
        "configured rate (requests/s per sender)": rate,
        "queued in (s)": round(queued_in, 2),
        "all sent in (s)": round(elapsed, 2),
        "messages/s achieved": round(total / elapsed, 1),
        "API requests/s achieved": round(len(times) / span, 1) if span else 0,
        "busiest 1 s window (requests)": busiest,
        "API requests": stats["requests"],
        "answered 429": stats["by_status"].get("429", 0),
        "answered 500": stats["by_status"].get("500", 0),
        "retries": stats["requests"] - total,
        "tasks (each message's task sent twice)": 2 * total,
        "rows sent": sent,
        "rows failed": sum(1 for s in rows.values() if s == Status.FAILED),
        "lost": lost,
        "duplicated": duplicated,
        "database": connection.vendor,
    }
    if sent != total:
        unfinished = Message.objects.filter(purpose="bench").exclude(status=Status.SENT)
        print("not sent:", list(unfinished.values_list("status", "attempts", "last_error")[:10]))
    print(json.dumps(figures, indent=2))
    assert lost == 0, f"{lost} texts never reached Twilio"
    assert duplicated == 0, f"{duplicated} texts reached Twilio twice"
    assert sent == total, f"only {sent} of {total} rows are sent"
    # The pace books one moment per request, 1/rate apart, so a second holds rate + 1 of them; they
    # reach the server after a few ms that vary with load, which may squeeze in up to 10% more.
    assert busiest <= rate * 1.1 + 1, f"{busiest} requests in one second at a rate of {rate}/s"
    return figures


def _body(i):
    return f"paworkflow: shift {i:05d} is offered. Reply YES {i:05d}. https://bench.invalid/rota/"


def _busiest_second(times):
    busiest, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= 1:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
