"""Two phones on the same rota, served by the real ASGI server (daphne via `runembedded`) in a
subprocess: a shift added on one appears on the other without a reload, the page says when it is
offline and catches up when the server is back, and nothing scrolls sideways at 360 px.

The server needs a database both processes can see: a SQLite file under `make test`, a throwaway
PostgreSQL database (and the Redis channel layer) under `make test-services`.
"""
import datetime
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import PHONE, has_horizontal_scroll, log_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(tmp_path):
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        import psycopg

        name = f"{db['NAME']}_rota_live"[:63]
        with psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"],
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    return f"sqlite:///{tmp_path / 'rota_live.sqlite3'}"


class Server:
    def __init__(self, env, port):
        self.env, self.port, self.process = env, port, None
        self.url = f"http://127.0.0.1:{port}"

    def manage(self, *args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True, timeout=300).stdout

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runembedded", "--port", str(self.port), "--scheduler-interval", "3600"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the ASGI server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {**os.environ, "DATABASE_URL": database_url(tmp_path_factory.mktemp("rota_live")), "SMS_BACKEND": "console",
           "CELERY_TASK_ALWAYS_EAGER": "1", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    if not settings.REDIS_URL:
        env.pop("REDIS_URL", None)
    port = free_port()
    env["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"
    server = Server(env, port)
    server.manage("migrate", "--noinput")
    # Only care's demo families (parent and grandparent plan family one's rota): the rest is not needed here.
    server.recipient_pk = int(server.manage(
        "shell", "-c", "from care.demo import seed; cast = {}; seed(cast); print(cast['family_one'].pk)"
    ).strip().splitlines()[-1])
    server.start()
    yield server
    server.stop()


def open_rota(context, server, username, week):
    page = context.new_page()
    log_in(page, server.url, username)
    page.goto(f"{server.url}/rota/{server.recipient_pk}/?week={week}")
    page.wait_for_selector('#live-status[data-state="online"]', state="attached", timeout=15000)
    page.evaluate("window.__notReloaded = true")
    return page


def add_shift(page, server, day, start, end):
    page.goto(f"{server.url}/rota/{server.recipient_pk}/new/?day={day}")
    page.fill("#id_start_time", start)
    page.fill("#id_end_time", end)
    page.select_option("#id_kind", "day")
    page.get_by_role("button", name="Add shift").click()
    page.wait_for_selector(".messages", timeout=15000)


def test_a_shift_added_on_one_phone_appears_on_the_other(server, chromium):
    week = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()
    day = datetime.date.fromisoformat(week) - datetime.timedelta(days=datetime.date.fromisoformat(week).weekday())
    one, two = chromium.new_context(**PHONE), chromium.new_context(**PHONE)
    try:
        planner = open_rota(one, server, "parent", week)
        watcher = open_rota(two, server, "grandparent", week)
        before = watcher.locator(".shift-card").count()

        add_shift(planner, server, day.isoformat(), "05:15", "06:45")
        card = watcher.locator(f'ul[data-day="{day.isoformat()}"] .shift-card', has_text="05:15–06:45")
        card.wait_for(timeout=10000)
        assert watcher.locator(".shift-card").count() == before + 1
        assert watcher.evaluate("window.__notReloaded") is True  # it arrived live, not by reloading
        assert "open-shift" in card.get_attribute("class")

        watcher.set_viewport_size({"width": 360, "height": 780})
        assert not has_horizontal_scroll(watcher)
    finally:
        one.close()
        two.close()


def test_the_page_shows_it_is_offline_and_catches_up(server, chromium):
    week = (datetime.date.today() + datetime.timedelta(days=21)).isoformat()
    day = datetime.date.fromisoformat(week) - datetime.timedelta(days=datetime.date.fromisoformat(week).weekday())
    one, two = chromium.new_context(**PHONE), chromium.new_context(**PHONE)
    try:
        watcher = open_rota(two, server, "grandparent", week)
        server.stop()
        watcher.wait_for_selector('#live-status[data-state="offline"]', timeout=10000)
        assert "Offline" in watcher.locator("#live-status").inner_text()

        server.start()
        planner = one.new_page()
        log_in(planner, server.url, "parent")
        add_shift(planner, server, day.isoformat(), "04:10", "05:20")

        watcher.locator(".shift-card", has_text="04:10–05:20").wait_for(timeout=30000)
        watcher.wait_for_selector('#live-status[data-state="online"]', state="attached", timeout=30000)
        assert watcher.evaluate("window.__notReloaded") is True
    finally:
        one.close()
        two.close()
        if server.process.poll() is not None:
            server.start()


def test_losing_the_network_says_offline_at_once_and_comes_back_live(server, chromium):
    """The trial: with the network off for 20 s the page still said "Live". The browser's offline
    event (and a hello nobody answers) must show it within seconds, and the page must catch up
    with what changed meanwhile when the network is back."""
    week = (datetime.date.today() + datetime.timedelta(days=28)).isoformat()
    day = datetime.date.fromisoformat(week) - datetime.timedelta(days=datetime.date.fromisoformat(week).weekday())
    one, two = chromium.new_context(**PHONE), chromium.new_context(**PHONE)
    try:
        watcher = open_rota(two, server, "grandparent", week)
        two.set_offline(True)
        watcher.wait_for_selector('#live-status[data-state="offline"]', state="attached", timeout=3000)
        assert watcher.locator("#live-status").inner_text() == "Offline — changes will appear when you are back."

        planner = one.new_page()
        log_in(planner, server.url, "parent")
        add_shift(planner, server, day.isoformat(), "03:10", "04:20")

        two.set_offline(False)
        watcher.locator(".shift-card", has_text="03:10–04:20").wait_for(timeout=30000)
        watcher.wait_for_selector('#live-status[data-state="online"]', state="attached", timeout=30000)
        assert watcher.evaluate("window.__notReloaded") is True
    finally:
        one.close()
        two.close()
