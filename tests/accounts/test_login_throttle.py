import pytest
from django.urls import reverse


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def test_repeated_wrong_passwords_lock_the_account_with_a_clear_message(client, parent, throttled):
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "parent", "password": "wrong-password"})
    assert response.status_code == 429
    assert "locked for 15 minutes" in response.content.decode()

    # Even the right password is refused while locked out: the lock is about the attempts.
    response = client.post(reverse("login"), {"username": "parent", "password": "demo-pass-2026"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_locked_username_does_not_lock_other_people(client, parent, carer, throttled):
    for _ in range(3):
        client.post(reverse("login"), {"username": "parent", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "grandparent", "password": "demo-pass-2026"})
    assert response.status_code == 302

