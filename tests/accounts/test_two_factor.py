import datetime

from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_a_clinician_sets_up_an_authenticator_and_is_verified_for_the_session(client, nurse):
    client.force_login(nurse)
    page = client.get(reverse("two-factor"))
    assert page.status_code == 200 and "Set up your authenticator" in page.content.decode()
    device = TOTPDevice.objects.get(user=nurse)
    assert not device.confirmed

    response = client.post(reverse("two-factor"), {"code": "000000", "next": "/"})
    assert "did not match" in response.content.decode()

    # One wrong code does not make the next right one wait.
    response = client.post(reverse("two-factor"), {"code": current_code(device), "next": "/"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session.get("otp_device_id")


def test_the_next_address_cannot_point_off_site(client, nurse):
    client.force_login(nurse)
    client.get(reverse("two-factor"))
    device = TOTPDevice.objects.get(user=nurse)
    response = client.post(reverse("two-factor"), {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_two_factor_page_needs_login(client, db):
    assert client.get(reverse("two-factor")).status_code == 302


def test_a_few_wrong_codes_are_forgiven_then_guessing_slows_down(client, nurse):
    client.force_login(nurse)
    client.get(reverse("two-factor"))
    device = TOTPDevice.objects.get(user=nurse)
    for _ in range(3):
        response = client.post(reverse("two-factor"), {"code": "000000", "next": "/"})
        assert "did not match" in response.content.decode()
    response = client.post(reverse("two-factor"), {"code": current_code(device), "next": "/"})
    assert "wait a few seconds" in response.content.decode()
    with freeze_time(timezone.now() + datetime.timedelta(seconds=30)):
        device.refresh_from_db()
        response = client.post(reverse("two-factor"), {"code": current_code(device), "next": "/"})
    assert response.status_code == 302
def test_the_set_up_page_says_what_the_second_step_is_for_in_this_persons_role(client, coordinator, nurse):
    from django.urls import reverse

    client.force_login(coordinator)
    body = client.get(reverse("two-factor")).content.decode()
    assert "Granting or adjusting carers&#x27; respite hours need a second step" in body
    assert "clinical" not in body.lower() and "delegated" not in body
    client.force_login(nurse)
    body = client.get(reverse("two-factor")).content.decode()
    assert "delegated healthcare tasks need a second step" in body and "respite" not in body
