"""A made-up X-Forwarded-For does not buy fresh attempts: the login lockout and the per-IP
limit on recovery texts count the address our proxy saw, never one the client typed."""
import pytest
from django.urls import reverse

from tests.accounts.conftest import texts_to

PROXY_SAW = "203.0.113.9"  # the attacker's real address, appended by our proxy


@pytest.fixture(params=["direct", "behind_proxy"])
def mode(request, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.BEHIND_TLS_PROXY = request.param == "behind_proxy"
    settings.TRUSTED_PROXY_COUNT = 1
    return request.param


def forwarded(mode, i):
    """Headers for attempt `i`: a fresh spoofed address each time, as the attacker sends them."""
    spoofed = f"198.51.100.{i}"
    if mode == "behind_proxy":
        return {"HTTP_X_FORWARDED_FOR": f"{spoofed}, {PROXY_SAW}", "REMOTE_ADDR": "10.0.0.2"}
    return {"HTTP_X_FORWARDED_FOR": spoofed, "REMOTE_ADDR": PROXY_SAW}


def test_rotating_forwarded_for_does_not_escape_the_login_lockout(client, parent, mode):
    for i in range(5):
        client.post(reverse("login"), {"username": "parent", "password": "wrong-password"}, **forwarded(mode, i))
    for i in range(5, 8):
        response = client.post(reverse("login"), {"username": "parent", "password": "wrong-password"},
                               **forwarded(mode, i))
        assert response.status_code == 429
    response = client.post(reverse("login"), {"username": "parent", "password": "demo-pass-2026"},
                           **forwarded(mode, 99))
    assert response.status_code == 429 and "locked for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_rotating_forwarded_for_does_not_escape_the_per_address_text_limit(client, committed, mode, db):
    statuses = []
    for i in range(11):
        with committed():
            statuses.append(client.post(reverse("recover_by_text"), {"mobile": f"+4477009006{i:02d}"},
                                        **forwarded(mode, i)).status_code)
    assert statuses[:10] == [302] * 10 and statuses[10] == 429
    assert texts_to("+447700900610") == []
