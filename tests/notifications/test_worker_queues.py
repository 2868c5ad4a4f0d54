"""Texts have queues of their own: a first send goes to "sms", and a retry or a text handed back
under the sending rate goes to "sms_retry", so it is not stuck behind a backlog of first sends
(the benchmark's retries waited for 1,500 queued tasks before). A worker started without -Q, as
the Procfile's is, consumes all of them."""
import pytest

import notifications
from notifications import services
from notifications.backends import SendError, use_backend
from notifications.models import Message, Status
from paworkflow.celery import app
from tests.factories import ProfileFactory


class Failing:
    sender = "failing"

    def send(self, message):
        raise SendError("Twilio 500 (code 20500): try later")


@pytest.fixture
def sent_to_broker(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    calls = []
    task = services.send_message_task()
    monkeypatch.setattr(task, "apply_async", lambda args=None, kwargs=None, **options: calls.append((args, options)))
    return calls


def test_a_first_send_is_routed_to_the_sms_queue():
    assert app.amqp.router.route({}, services.SEND_MESSAGE_TASK)["queue"].name == "sms"


def test_a_worker_without_q_consumes_the_default_and_both_sms_queues():
    assert {"celery", "sms", "sms_retry"} <= set(app.amqp.queues)


def test_a_retry_goes_to_the_retry_queue_with_its_time(db, sent_to_broker, django_capture_on_commit_callbacks):
    user = ProfileFactory().user
    with django_capture_on_commit_callbacks(execute=True):
        message = notifications.send_sms(user=user, body="paworkflow: shift 1 is offered.", purpose="shift_offer",
                                         idempotency_key="queues:1")
    assert [options.get("queue") for _, options in sent_to_broker] == [None]  # routed by name: "sms"
    with use_backend(Failing()), django_capture_on_commit_callbacks(execute=True):
        assert services.deliver_message(message_pk=message.pk) == Status.QUEUED
    args, options = sent_to_broker[-1]
    message.refresh_from_db()
    assert args == (message.pk,) and options["queue"] == "sms_retry"
    assert options["eta"] == message.next_attempt_at


def test_a_text_handed_back_under_the_rate_goes_to_the_retry_queue(db, settings, sent_to_broker,
                                                                     django_capture_on_commit_callbacks):
    settings.SMS_RATE_PER_SECOND = 0.2
    user = ProfileFactory().user
    with django_capture_on_commit_callbacks(execute=True):
        first, second = (notifications.send_sms(user=user, body="paworkflow: shift 1 is offered.", purpose="shift_offer",
                                                idempotency_key=f"queues:{n}") for n in (1, 2))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliver_message(message_pk=first.pk) == Status.SENT
        assert services.deliver_message(message_pk=second.pk) == Status.QUEUED
    args, options = sent_to_broker[-1]
    assert args == (second.pk,) and options["queue"] == "sms_retry"
    assert Message.objects.get(pk=second.pk).next_attempt_at == options["eta"]
