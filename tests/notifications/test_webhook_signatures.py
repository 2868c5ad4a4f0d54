"""Twilio's webhooks accept only requests signed with our auth token over our public address."""
import pytest

from notifications.models import InboundMessage, Message, OptOut, Status
from tests.notifications.conftest import PUBLIC, signature
from tests.notifications.factories import MessageFactory

INBOUND = "/notifications/twilio/inbound/"
STATUS = "/notifications/twilio/status/"
STOP = {"From": "+447700900101", "Body": "STOP", "MessageSid": "SM" + "a" * 32, "AccountSid": "AC" + "1" * 32}


def test_a_validly_signed_stop_is_acted_on(db, twilio_post):
    response = twilio_post(INBOUND, STOP)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    assert OptOut.objects.filter(number="+447700900101").exists()


@pytest.mark.parametrize("path", [INBOUND, STATUS])
def test_an_invalid_signature_is_refused_and_changes_nothing(db, client, path):
    message = MessageFactory(status=Status.SENT, provider_id="SM" + "a" * 32)
    params = {**STOP, "MessageStatus": "delivered"}
    wrong = signature(PUBLIC + path, params, token="not-our-token")
    response = client.post(path, params, HTTP_X_TWILIO_SIGNATURE=wrong)
    assert response.status_code == 403
    tampered = client.post(path, {**params, "Body": "START"}, HTTP_X_TWILIO_SIGNATURE=signature(PUBLIC + path, params))
    assert tampered.status_code == 403
    assert not OptOut.objects.exists() and not InboundMessage.objects.exists()
    message.refresh_from_db()
    assert message.status == Status.SENT


@pytest.mark.parametrize("path", [INBOUND, STATUS])
def test_a_missing_signature_is_refused(db, client, path):
    assert client.post(path, {**STOP, "MessageStatus": "delivered"}).status_code == 403
    assert not OptOut.objects.exists() and not InboundMessage.objects.exists()


def test_nothing_is_accepted_when_no_auth_token_is_configured(db, settings, twilio_post):
    settings.TWILIO_AUTH_TOKEN = ""
    assert twilio_post(INBOUND, STOP).status_code == 403


def test_behind_a_proxy_the_signature_is_checked_against_the_public_address(db, settings, client):
    # Twilio signs https://pa.example.org/...; the app sees http://internal.lan:8000/... from the proxy.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "internal.lan"]
    as_signed_by_twilio = signature(PUBLIC + INBOUND, STOP)
    response = client.post(INBOUND, STOP, HTTP_HOST="internal.lan:8000", HTTP_X_TWILIO_SIGNATURE=as_signed_by_twilio)
    assert response.status_code == 200
    assert OptOut.objects.count() == 1

    # A signature over the address the request arrived at is not Twilio's, so it is refused.
    local = signature("http://internal.lan:8000" + INBOUND, {**STOP, "MessageSid": "SM" + "b" * 32})
    response = client.post(INBOUND, {**STOP, "MessageSid": "SM" + "b" * 32}, HTTP_HOST="internal.lan:8000",
                           HTTP_X_TWILIO_SIGNATURE=local)
    assert response.status_code == 403


def test_the_query_string_is_part_of_what_is_signed(db, twilio_post):
    message = MessageFactory(status=Status.SENDING, provider_id="")
    params = {"MessageSid": "SM" + "c" * 32, "MessageStatus": "sent"}
    signed_for_another = PUBLIC + STATUS + f"?message={message.pk + 1}"
    response = twilio_post(STATUS + f"?message={message.pk}", params, signed_url=signed_for_another)
    assert response.status_code == 403
    assert twilio_post(STATUS + f"?message={message.pk}", params).status_code == 204
    message.refresh_from_db()
    assert message.status == Status.SENT


@pytest.mark.parametrize("path", [INBOUND, STATUS])
def test_webhooks_reject_get(client, db, path):
    assert client.get(path).status_code == 405


def test_webhooks_need_no_csrf_token(db, settings):
    from django.test import Client

    csrf_checking = Client(enforce_csrf_checks=True)
    response = csrf_checking.post(INBOUND, STOP, HTTP_X_TWILIO_SIGNATURE=signature(PUBLIC + INBOUND, STOP))
    assert response.status_code == 200
    assert Message.objects.count() == 0
