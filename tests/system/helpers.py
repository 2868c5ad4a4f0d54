"""Real processes for the system tests, and a live-rota client that behaves like the page.

`Stack` runs deploy/Procfile's `web` line twice (processes A and B), its `worker` and its `beat`
line through bash, as a Procfile runner would, with the environment an operator sets
(deploy/paworkflow.env.example), against the test's PostgreSQL database and a redis-server of
our own. `RotaPage` loads the rota page over HTTP and then speaks static/js/rota.js's protocol.
"""
import asyncio
import datetime
import json
import os
import random
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import httpx
import websockets
from django.utils import timezone
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parents[2]
PROCFILE = ROOT / "deploy" / "Procfile"
VENV_BIN = Path(sys.executable).parent
PASSWORD = "demo-pass-2026"
TWILIO_AUTH_TOKEN = "system-test-auth-token"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, what, timeout=30, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what() if callable(what) else what}")


def procfile_lines():
    lines = {}
    for line in PROCFILE.read_text().splitlines():
        match = re.match(r"^([a-z]+):\s*(.+)$", line.strip())
        if match:
            lines[match.group(1)] = match.group(2)
    return lines


def database_url(settings_dict):
    """pytest-django's test database as a DATABASE_URL for the child processes."""
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


class Process:
    """One child in its own process group (so its pool children die with it), output in a log file."""

    def __init__(self, name, command, env, workdir):
        self.name, self.command, self.env = name, command, env
        self.log_path = Path(workdir) / f"{name}.log"
        self.popen = None

    def start(self):
        with open(self.log_path, "ab") as log:
            self.popen = subprocess.Popen(
                ["bash", "-c", f"exec {self.command}"], cwd=ROOT, env=self.env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        return self

    def alive(self):
        return self.popen is not None and self.popen.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=60):
        """Stop as deploy/systemd does (KillMode=mixed): `sig` to the main process only, SIGKILL to
        the whole group after `timeout`. A SIGTERM to the whole group would also kill the Celery
        pool's children mid-send, which is why the worker's unit sets KillMode=mixed."""
        if self.popen is None:
            return
        try:
            os.kill(self.popen.pid, sig)
            self.popen.wait(timeout)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)
        try:  # anything the group left behind (a pool child) goes too
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def output(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class RedisServer:
    """A redis-server on a free loopback port that keeps nothing on disk, so a restart loses everything."""

    def __init__(self, workdir):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.generation = 0
        self.process = None

    def start(self):
        command = (f"redis-server --bind 127.0.0.1 --port {self.port} --save '' --appendonly no "
                   f"--dir {shlex.quote(str(self.workdir))}")
        self.process = Process(f"redis-{self.generation}", command, dict(os.environ), self.workdir).start()
        self.generation += 1
        wait_for(self.answers, f"redis-server on port {self.port}", timeout=15)
        return self

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self, sig=signal.SIGTERM):
        if self.process is not None:
            self.process.stop(sig, timeout=10)
            self.process = None


class Stack:
    """Web A, web B, one worker and one beat from deploy/Procfile, sharing PostgreSQL and our Redis."""

    WEB = ("web_a", "web_b")

    def __init__(self, workdir, database, redis):
        self.workdir, self.redis = Path(workdir), redis
        self.lines = procfile_lines()
        self.ports = {name: free_port() for name in self.WEB}
        self.generation = {}
        self.processes = {}
        self.history = []  # every process ever started, for the logs
        self.failed = False
        # The operator's environment (deploy/paworkflow.env.example), with loopback addresses.
        # CELERY_TASK_ALWAYS_EAGER is the test process's own (make test-services sets it) and
        # must not reach the children: the worker has to consume from Redis for real.
        inherited = {k: v for k, v in os.environ.items()
                     if not k.startswith(("CELERY_", "DJANGO_", "PYTEST", "TWILIO_", "SMS_", "AXES_"))
                     and k not in {"DEBUG", "PORT", "REQUIRE_SERVICES", "REQUIRE_BROWSER"}}
        self.env = {
            **inherited,
            "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": database,
            "DB_CONN_MAX_AGE": "60",
            "REDIS_URL": redis.url,
            "REDIS_MAX_CONNECTIONS": "2000",
            "SECRET_KEY": "system-test-secret-key-" + "k" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            # The address Twilio is given and signs; both web processes check signatures against it.
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{self.ports['web_a']}",
            "DEBUG": "0",
            "SMS_BACKEND": "console",
            "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
            # Slow enough that a queue of texts takes seconds to drain, so the worker can be stopped mid-queue.
            "SMS_RATE_PER_SECOND": "4",
            "WORKER_CONCURRENCY": "2",
            "BEAT_SCHEDULE": str(self.workdir / "celerybeat-schedule"),
            "STATIC_ROOT": str(self.workdir / "static"),
        }

    # --- processes ---------------------------------------------------------------------------

    def start(self, name):
        line = self.lines["web" if name in self.WEB else name]
        env = dict(self.env)
        if name in self.ports:
            env["PORT"] = str(self.ports[name])
        generation = self.generation.get(name, 0)
        self.generation[name] = generation + 1
        process = Process(f"{name}-{generation}", line, env, self.workdir).start()
        self.processes[name] = process
        self.history.append(process)
        return process

    def release(self):
        """The Procfile's release line (migrations, collectstatic), run to completion first."""
        done = subprocess.run(["bash", "-c", self.lines["release"]], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"release failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"

    def start_all(self):
        self.release()
        for name in (*self.WEB, "worker", "beat"):
            self.start(name)
        for name in self.WEB:
            self.wait_healthy(name)
        self.wait_worker_ready()
        return self

    def wait_healthy(self, name, timeout=90):
        def healthy():
            if not self.processes[name].alive():
                raise AssertionError(f"{name} exited:\n{self.processes[name].output()[-3000:]}")
            try:
                response = httpx.get(self.url(name) + "/healthz", timeout=2)
            except httpx.HTTPError:
                return False
            report = response.json() if response.status_code == 200 else {}
            return report.get("status") == "ok"

        wait_for(healthy, f"{name} /healthz to say ok", timeout=timeout, interval=0.3)

    def wait_worker_ready(self, timeout=90):
        worker = self.processes["worker"]
        wait_for(lambda: " ready." in worker.output(), "the Celery worker to be ready", timeout=timeout, interval=0.2)

    def stop(self, name, sig=signal.SIGTERM, timeout=60):
        self.processes[name].stop(sig, timeout)

    def stop_all(self):
        for process in self.processes.values():
            process.stop(timeout=20)

    def mark(self):
        """Where each process's log ends now, so a test reads only what happened during it."""
        return {p.name: len(p.output()) for p in self.history}

    def worker_output(self, since=None):
        """What every worker generation printed (the console SMS backend prints each text it sends),
        after `since` (a mark) if given."""
        since = since or {}
        return "".join(p.output()[since.get(p.name, 0):] for p in self.history if p.name.startswith("worker-"))

    def logs(self, tail=6000):
        return "\n".join(f"===== {p.name} ({p.log_path})\n{p.output()[-tail:]}" for p in self.history)

    # --- addresses ---------------------------------------------------------------------------

    def url(self, name):
        return f"http://127.0.0.1:{self.ports[name]}"

    def ws_url(self, name):
        return f"ws://127.0.0.1:{self.ports[name]}"


# --- HTTP as a browser does it ------------------------------------------------------------------


class Browser:
    """A logged-in person on one web process: cookies, CSRF token and Referer as a browser sends them."""

    def __init__(self, base_url, username, password=PASSWORD):
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url, timeout=30, follow_redirects=False)
        self.http.get("/login/")
        response = self.post("/login/", {"username": username, "password": password})
        assert response.status_code == 302, (username, response.status_code, response.text[:1000])

    @property
    def session_cookie(self):
        return self.http.cookies["sessionid"]

    def get(self, path):
        return self.http.get(path)

    def post(self, path, data):
        return self.http.post(path, data={**data, "csrfmiddlewaretoken": self.http.cookies["csrftoken"]},
                              headers={"Referer": self.base_url + path})

    def close(self):
        self.http.close()


def next_week(weekday=2):
    """Next week's Monday and one of its days (Wednesday by default): always ahead, whatever today is."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=7)
    return monday, monday + datetime.timedelta(days=weekday)


def new_shift(browser, recipient_pk, day, start, end, pa=None):
    """Add a shift through the rota's own form, as the budget holder does on their phone."""
    return browser.post(f"/rota/{recipient_pk}/new/", {
        "day": day.isoformat(), "start_time": start, "end_time": end, "kind": "day",
        "pa": pa.pk if pa else "", "location": "", "notes": "",
    })


def twilio_inbound(stack, web, *, number, body):
    """Post a text to the inbound webhook of `web`, signed as Twilio signs it (against PUBLIC_BASE_URL)."""
    path = "/notifications/twilio/inbound/"
    params = {"From": number, "To": "+447700900000", "Body": body, "MessageSid": f"SM{time.time_ns():032x}"}
    signature = RequestValidator(TWILIO_AUTH_TOKEN).compute_signature(stack.env["PUBLIC_BASE_URL"] + path, params)
    return httpx.post(stack.url(web) + path, data=params, headers={"X-Twilio-Signature": signature}, timeout=30)


# --- The live rota page -------------------------------------------------------------------------


class _RotaMarkup(HTMLParser):
    """What rota.js reads from the page: #rota's data attributes and the cards already on it."""

    def __init__(self):
        super().__init__()
        self.rota, self.cards = None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "rota":
            self.rota = attrs
        if "data-shift-id" in attrs:
            self.cards[int(attrs["data-shift-id"])] = attrs


REFUSED = {4401, 4403, 4404}


class RotaPage:
    """One open rota page, doing what static/js/rota.js does.

    It takes `data-seq`, `data-week` and `data-ws-path` from the page it loaded, says hello with
    its last number on every (re)connect, applies changes strictly in order, holds a change that
    arrives after a gap and asks again 0.8 s later, replaces its week on a snapshot, and reconnects
    with the same backoff after any close that is not a refusal; and says hello every 15 s anyway,
    because an open socket can miss a broadcast without closing.
    """

    def __init__(self, browser, recipient_pk, web_url, ws_base, name, week=None):
        self.name = name
        # The page's own timings, read from the script the browser runs, so the two cannot drift apart.
        script = (ROOT / "static" / "js" / "rota.js").read_text()
        self.gap_wait = int(re.search(r"hello\(\); \}, (\d+)\)", script).group(1)) / 1000
        self.resync_every = int(re.search(r"var RESYNC_EVERY = (\d+);", script).group(1)) / 1000
        assert "setInterval(hello, RESYNC_EVERY)" in script, "rota.js no longer says hello now and then"
        page = browser.get(f"/rota/{recipient_pk}/" + (f"?week={week}" if week else ""))
        assert page.status_code == 200, (page.status_code, page.text[:500])
        markup = _RotaMarkup()
        markup.feed(page.text)
        self.week = markup.rota["data-week"]
        self.last_seq = int(markup.rota["data-seq"] or 0)
        self.first_seq = self.last_seq
        # shift id -> its card's html this week (cards rendered with the page keep their attributes)
        self.cards = {pk: str(attrs) for pk, attrs in markup.cards.items()}
        self.url = ws_base + markup.rota["data-ws-path"]
        self.headers = {"Cookie": f"sessionid={browser.session_cookie}"}
        self.origin = web_url
        self.applied = []  # every seq applied as a change, in order
        self.snapshots = []  # the seq of every snapshot taken
        self.connects, self.closes = 0, []
        self.refused = None
        self.events = []
        self._pending = {}
        self._gap_task = None
        self._socket = None
        self._retry = 0
        self._stopping = False

    # rota.js's functions, one for one

    def _apply(self, message):
        self.cards.pop(message["shift_id"], None)
        if message["week"] == self.week:
            self.cards[message["shift_id"]] = message["html"]
        self.applied.append(message["seq"])
        self.last_seq = message["seq"]

    def _flush_pending(self):
        while self.last_seq + 1 in self._pending:
            self._apply(self._pending.pop(self.last_seq + 1))
        for seq in [s for s in self._pending if s <= self.last_seq]:
            del self._pending[seq]
        if not self._pending and self._gap_task:
            self._gap_task.cancel()
            self._gap_task = None

    async def _hello(self):
        if self._socket is not None:
            try:
                await self._socket.send(json.dumps({"type": "hello", "last_seq": self.last_seq, "week": self.week}))
                self.events.append(("hello", self.last_seq))
            except websockets.ConnectionClosed as exc:
                self.events.append(("hello-failed", repr(exc)))

    async def _after_gap(self):
        await asyncio.sleep(self.gap_wait)
        self._gap_task = None
        await self._hello()

    async def _on_change(self, message):
        if message["seq"] <= self.last_seq:
            return
        if message["seq"] > self.last_seq + 1:
            self._pending[message["seq"]] = message
            if self._gap_task is None:
                self._gap_task = asyncio.ensure_future(self._after_gap())
            return
        self._apply(message)
        self._flush_pending()

    def _on_snapshot(self, message):
        if message["week"] == self.week:
            self.cards = {card["shift_id"]: card["html"] for card in message["cards"]}
        self.snapshots.append(message["seq"])
        self.last_seq = message["seq"]
        self._flush_pending()

    async def _resync_now_and_then(self):
        while not self._stopping:
            await asyncio.sleep(self.resync_every)
            await self._hello()

    async def run(self):
        resync = asyncio.ensure_future(self._resync_now_and_then())
        try:
            await self._connect_until_stopped()
        finally:
            resync.cancel()

    async def _connect_until_stopped(self):
        while not self._stopping:
            try:
                async with websockets.connect(self.url, additional_headers=self.headers, origin=self.origin,
                                              open_timeout=10) as socket:
                    self._socket = socket
                    self._retry = 0
                    self.connects += 1
                    await self._hello()
                    async for raw in socket:
                        message = json.loads(raw)
                        self.events.append((message["type"], message.get("seq")))
                        if message["type"] == "change":
                            await self._on_change(message)
                        elif message["type"] == "snapshot":
                            self._on_snapshot(message)
                        elif message["type"] == "synced":
                            self._flush_pending()
                self.closes.append(socket.close_code)
            except (OSError, asyncio.TimeoutError, websockets.WebSocketException) as exc:
                self.closes.append(type(exc).__name__)
            self._socket = None
            if self._stopping:
                break
            if self.closes and self.closes[-1] in REFUSED:
                self.refused = self.closes[-1]
                break
            delay = min(15.0, 1.0 * 2 ** self._retry) * (0.75 + random.random() / 2)
            self._retry += 1
            await asyncio.sleep(delay)

    async def _close(self):
        self._stopping = True
        if self._socket is not None:
            await self._socket.close()

    def shows(self, shift_pk):
        return self.cards.get(shift_pk)

    def __repr__(self):
        return (f"<{self.name} last_seq={self.last_seq} applied={self.applied} snapshots={self.snapshots} "
                f"connects={self.connects} closes={self.closes} events={self.events}>")


class Pages:
    """Any number of RotaPages on one event loop in a background thread, beside the synchronous test."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.pages = []
        self.futures = []

    def open(self, browser, recipient_pk, stack, web, name, week=None):
        page = RotaPage(browser, recipient_pk, stack.url(web), stack.ws_url(web), name, week)
        self.pages.append(page)
        self.futures.append(asyncio.run_coroutine_threadsafe(page.run(), self.loop))
        return page

    def wait_connected(self, pages=None, timeout=30):
        pages = pages or self.pages
        wait_for(lambda: all(p.connects for p in pages), lambda: f"pages to connect: {pages}", timeout=timeout)

    def close(self):
        for page in self.pages:
            asyncio.run_coroutine_threadsafe(page._close(), self.loop).result(10)
        for future in self.futures:
            try:
                future.result(10)
            except Exception:
                pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
