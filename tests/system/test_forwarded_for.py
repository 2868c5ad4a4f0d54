"""The login lockout holds against a made-up X-Forwarded-For on the web process as deployed:
deploy/Procfile's own `web` command, with its own flags, and the operator's proxy settings from
deploy/paworkflow.env.example. Our proxy appends the address it saw; whatever the client put to
the left of it must not count (daphne's --proxy-headers took the left-most, so every attempt
came from a new address and the lockout never held). It runs twice: behind the proxy as the
operator sets it, and with no proxy in front (BEHIND_TLS_PROXY unset), where X-Forwarded-For is
the client's own invention throughout and only the connection's address may count."""
import os
import re
import shutil
import tempfile

import httpx
import pytest
from django.db import connection

from tests.factories import UserFactory

from .helpers import ROOT, VENV_BIN, Process, database_url, free_port, procfile_lines, wait_for

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

PASSWORD = "Lantern-Orchard-Pebble-42"
PROXY_SAW = "203.0.113.9"  # the attacker's real address, appended by our proxy


def operator_settings(*names):
    example = (ROOT / "deploy" / "paworkflow.env.example").read_text()
    found = {name: re.search(rf"^{name}=(.*)$", example, re.MULTILINE) for name in names}
    return {name: match.group(1).strip() for name, match in found.items() if match}


@pytest.fixture(params=["behind_proxy", "direct"])
def web(request, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the system tests run real processes against PostgreSQL")
    workdir = tempfile.mkdtemp(prefix="pw-system-xff-")
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CELERY_", "DJANGO_", "PYTEST", "TWILIO_", "SMS_", "AXES_"))
           and k not in {"DEBUG", "PORT", "REQUIRE_SERVICES", "REQUIRE_BROWSER"}}
    env.update({
        "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",
        "PORT": str(port),
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": "system-test-secret-key-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "DEBUG": "0",
        "SMS_BACKEND": "console",
        "STATIC_ROOT": str(os.path.join(workdir, "static")),
    })
    env.pop("BEHIND_TLS_PROXY", None)
    env.pop("TRUSTED_PROXY_COUNT", None)
    if request.param == "behind_proxy":  # as the operator sets them behind their load balancer
        env.update(operator_settings("BEHIND_TLS_PROXY", "TRUSTED_PROXY_COUNT"))
        assert env.get("BEHIND_TLS_PROXY") == "1"
    process = Process("web-xff", procfile_lines()["web"], env, workdir).start()

    def up():
        if not process.alive():
            raise AssertionError(f"web exited:\n{process.output()[-3000:]}")
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(up, "the Procfile's web process to answer /healthz", timeout=90, interval=0.3)
        yield f"http://127.0.0.1:{port}", process, request.param
    finally:
        process.stop(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)


def attempt(base_url, mode, password, spoofed):
    with httpx.Client(base_url=base_url, timeout=30) as http:
        http.get("/login/")
        # What reaches daphne: behind our proxy, the client's own header and then the address the
        # proxy saw; with nothing in front, the client's header as it typed it.
        forwarded = f"{spoofed}, {PROXY_SAW}" if mode == "behind_proxy" else spoofed
        return http.post("/login/", data={"username": "xff-target", "password": password,
                                          "csrfmiddlewaretoken": http.cookies["csrftoken"]},
                         headers={"X-Forwarded-For": forwarded, "Referer": base_url + "/login/"})


def test_rotating_forwarded_for_does_not_escape_the_login_lockout_on_the_procfile_web_process(settings, web):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the web process reads
    user = UserFactory(username="xff-target")
    user.set_password(PASSWORD)
    user.save()
    base_url, process, mode = web
    assert attempt(base_url, mode, "wrong-password", "198.51.100.0").status_code == 200  # a plain wrong password
    for i in range(1, 5):  # the fifth failure locks the account
        attempt(base_url, mode, "wrong-password", f"198.51.100.{i}")
    for i in range(5, 8):  # a fresh address each time buys nothing
        assert attempt(base_url, mode, "wrong-password", f"198.51.100.{i}").status_code == 429
    response = attempt(base_url, mode, PASSWORD, "198.51.100.200")
    assert response.status_code == 429, (response.status_code, process.output()[-2000:])
    assert "locked for 15 minutes" in response.text
