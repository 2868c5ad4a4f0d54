"""Clinicians, coordinators and ward managers (who reach families' records through their job) are
signed out after STAFF_IDLE_TIMEOUT_MINUTES without a request, and enter their authenticator code
again SECOND_FACTOR_MAX_AGE_HOURS after they last did; families keep Django's two-week session."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from accounts.twofactor import has_second_factor
from tests.factories import log_in_with_second_factor


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enter_code(client, user):
    client.get(reverse("two-factor"))
    device = TOTPDevice.objects.get(user=user)
    assert client.post(reverse("two-factor"), {"code": current_code(device), "next": "/"}).status_code == 302


def seen_as(client):
    """The request as the page saw it, after every middleware."""
    return client.get(reverse("home")).wsgi_request


def signed_in(client):
    return seen_as(client).user.is_authenticated


def test_the_second_factor_lapses_after_twelve_hours(client, nurse, settings):
    assert settings.SECOND_FACTOR_MAX_AGE_HOURS == 12
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 24 * 60  # this test is about the code, not idleness
    start = timezone.now()
    with freeze_time(start) as clock:
        client.force_login(nurse)
        enter_code(client, nurse)
        assert has_second_factor(seen_as(client))
        clock.move_to(start + datetime.timedelta(hours=11, minutes=59))
        assert has_second_factor(seen_as(client))
        clock.move_to(start + datetime.timedelta(hours=12, minutes=1))
        request = seen_as(client)
        assert request.user.is_authenticated and not has_second_factor(request)
        assert not has_second_factor(seen_as(client))  # and it stays lapsed
        enter_code(client, nurse)
        assert has_second_factor(seen_as(client))


def test_a_session_verified_at_sign_in_lapses_twelve_hours_after_it(client, coordinator, settings):
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 24 * 60
    start = timezone.now()
    with freeze_time(start) as clock:
        log_in_with_second_factor(client, coordinator)
        assert has_second_factor(seen_as(client))
        clock.move_to(start + datetime.timedelta(hours=12, minutes=1))
        assert not has_second_factor(seen_as(client))


@pytest.mark.parametrize("who", ["nurse", "coordinator"])
def test_staff_are_signed_out_after_thirty_idle_minutes(client, request, who, settings):
    assert settings.STAFF_IDLE_TIMEOUT_MINUTES == 30
    user = request.getfixturevalue(who)
    start = timezone.now()
    with freeze_time(start) as clock:
        client.force_login(user)
        assert signed_in(client)
        for minutes in (29, 58, 87):  # busy: each request restarts the clock
            clock.move_to(start + datetime.timedelta(minutes=minutes))
            assert signed_in(client), minutes
        clock.move_to(start + datetime.timedelta(minutes=87 + 31))
        response = client.get(reverse("home"))
        assert not response.wsgi_request.user.is_authenticated
        assert "_auth_user_id" not in client.session
        assert not signed_in(client)


def test_families_are_not_signed_out_for_being_idle(client, parent):
    start = timezone.now()
    with freeze_time(start) as clock:
        client.force_login(parent)
        clock.move_to(start + datetime.timedelta(days=3))
        assert signed_in(client)


def test_activity_is_written_to_the_session_at_most_once_a_minute(client, nurse):
    start = timezone.now()
    with freeze_time(start) as clock:
        client.force_login(nurse)
        seen_as(client)
        first = client.session.get("accounts.last_seen")
        assert first is not None
        clock.move_to(start + datetime.timedelta(seconds=40))
        response = client.get(reverse("home"))
        assert not response.wsgi_request.session.modified
        assert client.session["accounts.last_seen"] == first
        clock.move_to(start + datetime.timedelta(seconds=70))
        seen_as(client)
        assert client.session["accounts.last_seen"] > first
