"""Pages that only show something answer any other method with 405 (STYLE.md rule 11)."""
import pytest
from django.urls import reverse


@pytest.mark.parametrize("name", ["password_reset_done", "password_reset_complete"])
def test_pages_that_only_show_something_refuse_a_post(client, db, name):
    assert client.post(reverse(name)).status_code == 405


@pytest.mark.parametrize("name", ["twilio-inbound", "twilio-status"])
def test_the_twilio_webhooks_refuse_a_get(client, db, name):
    assert client.get(reverse(f"notifications:{name}")).status_code == 405


def test_logging_out_needs_a_post(client, parent):
    client.force_login(parent)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
