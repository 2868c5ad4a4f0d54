"""Every signing-in form survives whatever is typed or pasted into it: never a 500, and nothing
is changed by input that is not valid (no new password, no recovery code, no device)."""
import itertools

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given

from care.models import Profile, RecoveryCode
from tests.factories import UserFactory
from tests.hostile import FORM_PROPERTY, hostile_form_data, mostly_valid_form_data

PASSWORD = "demo-pass-2026"
addresses = (f"198.51.100.{n % 250}" for n in itertools.count())


def answered(response):
    """A page's answer to bad input: the form again, a redirect, a refusal; never a crash."""
    assert response.status_code in (200, 302, 400, 403, 404, 405, 409, 429), response.status_code
    return response


@FORM_PROPERTY
@given(data=hostile_form_data(["username", "password"]))
def test_the_login_form_never_crashes(client, db, data):
    user = UserFactory(username="sign-in-fuzz")
    cache.clear()
    answered(client.post(reverse("login"), data, REMOTE_ADDR=next(addresses)))
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@FORM_PROPERTY
@given(data=mostly_valid_form_data(["mobile"], {"mobile": "+447700900777"}))
def test_asking_for_a_code_by_text_never_crashes(client, db, django_capture_on_commit_callbacks, data):
    user = UserFactory(username="recover-fuzz", email="")
    Profile.objects.get_or_create(user=user, defaults={"mobile": "+447700900777", "sms_consent": True})
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answered(client.post(reverse("recover_by_text"), data, REMOTE_ADDR=next(addresses)))
    valid = data["mobile"] == "+447700900777"
    assert RecoveryCode.objects.filter(user=user).exists() or not valid
    if not valid:
        assert not RecoveryCode.objects.exclude(user=user).exists()


@FORM_PROPERTY
@given(data=hostile_form_data(["code", "password1", "password2"]))
def test_entering_a_texted_code_never_crashes_or_sets_a_password(client, db, data):
    user = UserFactory(username="code-fuzz", email="")
    Profile.objects.get_or_create(user=user, defaults={"mobile": "+447700900778", "sms_consent": True})
    session = client.session
    session["care.recovery_mobile"] = "+447700900778"
    session.save()
    cache.clear()
    answered(client.post(reverse("recover_by_text_code"), data, REMOTE_ADDR=next(addresses)))
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # no code was ever texted, so nothing typed can match


@FORM_PROPERTY
@given(data=hostile_form_data(["email"]))
def test_the_password_reset_form_never_crashes(client, db, data):
    user = UserFactory(username="reset-fuzz")
    cache.clear()
    answered(client.post(reverse("password_reset"), data, REMOTE_ADDR=next(addresses)))
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and get_user_model().objects.count() == 1


@FORM_PROPERTY
@given(data=hostile_form_data(["code"]))
def test_the_authenticator_code_form_never_crashes_or_confirms_a_device(client, db, data):
    user = UserFactory(username="totp-fuzz")
    client.force_login(user)
    answered(client.post(reverse("two-factor"), data))
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
