"""What nobody types on purpose never crashes a page: a NUL character anywhere in a request (path,
query string, form body, a signed Twilio webhook) is a 400 with a plain reason, before any view
or query runs; an id too large for the database is a 404, like any id that matches nothing."""
import pytest
from django.db import connection

from notifications.models import InboundMessage, OptOut
from tests.notifications.conftest import PUBLIC, TOKEN, signature

INBOUND = "/notifications/twilio/inbound/"
STOP = {"From": "+447700900101", "Body": "STOP", "MessageSid": "SM" + "a" * 32}
NUL_REASON = "contains a NUL character"


@pytest.fixture
def twilio(settings):
    settings.PUBLIC_BASE_URL = PUBLIC
    settings.TWILIO_AUTH_TOKEN = TOKEN


def signed_post(client, path, params):
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature(PUBLIC + path, params))


def assert_refused_for_nul(response):
    assert response.status_code == 400, response.status_code
    assert NUL_REASON in response.content.decode()


def nul_cases(client, coordinator):
    client.force_login(coordinator)
    return [
        client.get("/rota/calendar/%00.ics"),
        client.get("/families/?q=%00"),
        client.get("/families/?q=a%00b"),
        client.post("/families/new/", {"display_name": "Nul\x00Person"}),
    ]


def test_a_nul_in_the_path_query_or_form_is_a_400_not_a_crash(client, coordinator):
    for response in nul_cases(client, coordinator):
        assert_refused_for_nul(response)


@pytest.mark.services
def test_a_nul_in_the_path_query_or_form_is_a_400_on_postgresql(client, coordinator):
    assert connection.vendor == "postgresql"  # where a NUL reaching a query is a crash
    for response in nul_cases(client, coordinator):
        assert_refused_for_nul(response)


@pytest.mark.parametrize("field", ["From", "Body", "MessageSid"])
def test_a_signed_webhook_with_a_nul_is_a_400_and_changes_nothing(client, db, twilio, field):
    params = {**STOP, field: STOP[field][:4] + "\x00" + STOP[field][4:]}
    assert_refused_for_nul(signed_post(client, INBOUND, params))
    assert not InboundMessage.objects.exists() and not OptOut.objects.exists()


@pytest.mark.services
@pytest.mark.parametrize("field", ["From", "Body", "MessageSid"])
def test_a_signed_webhook_with_a_nul_is_a_400_on_postgresql(client, db, twilio, field):
    assert connection.vendor == "postgresql"
    params = {**STOP, field: STOP[field][:4] + "\x00" + STOP[field][4:]}
    assert_refused_for_nul(signed_post(client, INBOUND, params))
    assert not InboundMessage.objects.exists() and not OptOut.objects.exists()


def test_a_clean_signed_webhook_still_works(client, db, twilio):
    assert signed_post(client, INBOUND, STOP).status_code == 200
    assert OptOut.objects.filter(number="+447700900101").exists()


@pytest.mark.parametrize("path", [
    "/workflows/delegation/9999999999999999999999999/",
    "/workflows/people/9999999999999999999999999/delegations/",
])
def test_an_id_too_large_for_the_database_is_a_404(client, coordinator, path):
    client.force_login(coordinator)
    assert client.get(path).status_code == 404
