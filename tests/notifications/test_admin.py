"""The admin shows texts, opt-outs and replies but cannot change them."""
import pytest
from django.urls import reverse

from notifications.models import Status
from tests.factories import UserFactory
from tests.notifications.factories import MessageFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_messages_are_listed_and_read_only(admin_client):
    message = MessageFactory(status=Status.FAILED, provider_id="", last_error="Twilio 400 (code 21211): bad number")
    listing = admin_client.get(reverse("admin:notifications_message_changelist"))
    assert listing.status_code == 200 and message.masked_to in listing.content.decode()

    change_url = reverse("admin:notifications_message_change", args=[message.pk])
    page = admin_client.get(change_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    admin_client.post(change_url, {"status": Status.DELIVERED, "body": "changed"})
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.body != "changed"
    assert admin_client.get(reverse("admin:notifications_message_add")).status_code == 403
    assert admin_client.get(reverse("admin:notifications_message_delete", args=[message.pk])).status_code == 403


@pytest.mark.parametrize("model", ["optout", "inboundmessage"])
def test_opt_outs_and_replies_cannot_be_added(admin_client, model):
    assert admin_client.get(reverse(f"admin:notifications_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:notifications_{model}_add")).status_code == 403
