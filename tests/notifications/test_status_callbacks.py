"""Twilio's delivery reports move a message's status forward only."""
import pytest

from notifications.models import Message, OptOut, Status
from tests.notifications.factories import MessageFactory

STATUS = "/notifications/twilio/status/"


@pytest.fixture
def report(twilio_post):
    def post(message, status, **extra):
        response = twilio_post(STATUS + f"?message={message.pk}",
                               {"MessageSid": message.provider_id, "MessageStatus": status, **extra})
        assert response.status_code == 204
        message.refresh_from_db()
        return message.status

    return post


def test_reports_in_order_end_delivered(db, report):
    message = MessageFactory(status=Status.SENT)
    assert [report(message, s) for s in ("queued", "sending", "sent", "delivered")] == [
        Status.SENT, Status.SENT, Status.SENT, Status.DELIVERED]
    assert message.finished_at is not None


def test_a_late_sent_never_overwrites_delivered(db, report):
    message = MessageFactory(status=Status.SENT)
    assert report(message, "delivered") == Status.DELIVERED
    assert report(message, "sent") == Status.DELIVERED
    assert report(message, "queued") == Status.DELIVERED
    assert report(message, "sending") == Status.DELIVERED


def test_a_final_status_is_not_replaced_by_another(db, report):
    message = MessageFactory(status=Status.SENT)
    assert report(message, "undelivered", ErrorCode="30003") == Status.UNDELIVERED
    assert "30003" in message.last_error
    assert report(message, "delivered") == Status.UNDELIVERED


def test_a_report_that_beats_the_worker_is_kept(db, report):
    message = MessageFactory(status=Status.SENDING, provider_id="")
    message.provider_id = "SM" + "d" * 32
    assert report(message, "delivered") == Status.DELIVERED
    assert message.provider_id == "SM" + "d" * 32 and message.sent_at is not None


def test_a_report_for_an_unknown_message_changes_nothing(db, twilio_post):
    message = MessageFactory(status=Status.SENT)
    response = twilio_post(STATUS, {"MessageSid": "SM" + "e" * 32, "MessageStatus": "delivered"})
    assert response.status_code == 204
    message.refresh_from_db()
    assert message.status == Status.SENT


def test_a_report_cannot_steal_another_messages_id(db, twilio_post):
    # Our id in the URL only matches a message that has no provider id yet.
    sent = MessageFactory(status=Status.SENT)
    twilio_post(STATUS + f"?message={sent.pk}", {"MessageSid": "SM" + "f" * 32, "MessageStatus": "delivered"})
    sent.refresh_from_db()
    assert sent.status == Status.SENT and sent.provider_id != "SM" + "f" * 32


def test_an_unknown_status_word_is_ignored(db, report):
    message = MessageFactory(status=Status.SENT)
    assert report(message, "teleported") == Status.SENT


def test_an_unsubscribed_failure_opts_the_number_out(db, report):
    message = MessageFactory(status=Status.SENT)
    assert report(message, "failed", ErrorCode="21610") == Status.FAILED
    assert OptOut.objects.filter(number=message.to).exists()
    assert Message.objects.get(pk=message.pk).finished_at is not None
