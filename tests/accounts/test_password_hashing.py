"""The suite hashes with a fast hasher; this proves the product itself hashes with Argon2."""
import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.test import override_settings

from paworkflow import settings as project_settings


def test_production_hashes_passwords_with_argon2():
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        hashed = make_password("demo-pass-2026")
        assert hashed.startswith("argon2$")
        assert check_password("demo-pass-2026", hashed)


@pytest.mark.django_db
def test_a_user_saved_with_production_settings_gets_an_argon2_hash(django_user_model):
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        user = django_user_model.objects.create_user("hash-check", password="a long passphrase 2026")
        assert user.password.startswith("argon2$")
        assert user.check_password("a long passphrase 2026")
