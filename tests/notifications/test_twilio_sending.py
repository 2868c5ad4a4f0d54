"""Sending through the real twilio client with its HTTP transport faked: what Twilio is asked,
and what happens when it says no (retry later, or give up at once)."""
import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

import notifications
from notifications.backends import use_backend
from notifications.backends.twilio import TwilioBackend
from notifications.jobs import requeue_stuck_messages, send_due_messages
from notifications.models import OptOut, Status
from notifications.services import MAX_ATTEMPTS
from tests.notifications.fake_twilio import (
    FakeTwilio,
    accept_then_die,
    die_before_reaching_twilio,
    error,
    network_down,
)

BODY = "paworkflow: shift 4821 on Tue 08:00-14:00. Reply YES 4821 or NO 4821. https://pa.example.org/rota/"
ACCOUNT = "AC" + "1" * 32


def queue(user, key="offer:4821", capture=None):
    with capture(execute=True):
        message = notifications.send_sms(user=user, body=BODY, purpose="shift_offer", idempotency_key=key)
    message.refresh_from_db()
    return message


def later(message, **delta):
    """Run the periodic job at a moment after the message's next attempt is due."""
    with freeze_time(message.next_attempt_at + datetime.timedelta(seconds=1, **delta)):
        send_due_messages()
    message.refresh_from_db()
    return message


def test_twilio_is_asked_to_send_through_the_messaging_service(fake_twilio, pa, django_capture_on_commit_callbacks):
    message = queue(pa, capture=django_capture_on_commit_callbacks)

    [request] = fake_twilio.requests
    assert request.method == "POST"
    assert request.url == f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    assert request.auth == (ACCOUNT, "twilio-test-auth-token")
    assert request.data == {
        "To": pa.profile.mobile,
        "Body": BODY,
        "MessagingServiceSid": "MG" + "2" * 32,
        "StatusCallback": f"https://pa.example.org/notifications/twilio/status/?message={message.pk}",
    }
    [(sid, _)] = fake_twilio.accepted
    assert (message.status, message.provider_id, message.attempts) == (Status.SENT, sid, 1)
    assert message.sent_at is not None


def test_a_from_number_is_used_when_there_is_no_messaging_service(twilio_settings, pa, django_capture_on_commit_callbacks):
    twilio_settings.TWILIO_MESSAGING_SERVICE_SID = ""
    twilio_settings.TWILIO_FROM_NUMBER = "+447700900900"
    fake = FakeTwilio()
    with use_backend(TwilioBackend(http_client=fake)):
        queue(pa, capture=django_capture_on_commit_callbacks)
    assert fake.requests[0].data["From"] == "+447700900900"
    assert "MessagingServiceSid" not in fake.requests[0].data


def test_429_then_success_sends_exactly_once(fake_twilio, pa, django_capture_on_commit_callbacks):
    fake_twilio.script = [error(429, 20429, "Too Many Requests")]
    message = queue(pa, capture=django_capture_on_commit_callbacks)

    assert message.status == Status.QUEUED and "429" in message.last_error
    assert message.next_attempt_at > timezone.now()  # backoff, not an immediate retry
    send_due_messages()  # not due yet: nothing happens
    assert len(fake_twilio.requests) == 1

    message = later(message)
    assert message.status == Status.SENT and message.attempts == 2
    assert len(fake_twilio.requests) == 2 and len(fake_twilio.accepted) == 1
    message = later(message, hours=1)
    assert len(fake_twilio.requests) == 2


def test_500_three_times_then_success_sends_once(fake_twilio, pa, django_capture_on_commit_callbacks):
    fake_twilio.script = [error(500), error(503), error(500)]
    message = queue(pa, capture=django_capture_on_commit_callbacks)
    waits = []
    for _ in range(3):
        waits.append(message.next_attempt_at)
        message = later(message)
    assert message.status == Status.SENT and message.attempts == 4
    assert len(fake_twilio.requests) == 4 and len(fake_twilio.accepted) == 1
    assert fake_twilio.bodies == [BODY]
    assert waits == sorted(waits)


def test_the_backoff_grows_with_jitter(fake_twilio, pa, django_capture_on_commit_callbacks):
    fake_twilio.script = [error(500)] * 4
    message = queue(pa, capture=django_capture_on_commit_callbacks)
    gaps = []
    for _ in range(3):
        started = message.next_attempt_at + datetime.timedelta(seconds=1)
        message = later(message)
        gaps.append((message.next_attempt_at - started).total_seconds())
    # base 10 s doubling, half of it random: [10, 20], [20, 40], [40, 80] seconds for attempts 2-4
    assert 10 <= gaps[0] <= 20 and 20 <= gaps[1] <= 40 and 40 <= gaps[2] <= 80


def test_network_errors_are_retried(fake_twilio, pa, django_capture_on_commit_callbacks):
    fake_twilio.script = [network_down]
    message = queue(pa, capture=django_capture_on_commit_callbacks)
    assert message.status == Status.QUEUED and "Network" in message.last_error
    assert later(message).status == Status.SENT


def test_retries_stop_at_the_limit_and_the_reason_is_kept(fake_twilio, pa, django_capture_on_commit_callbacks):
    fake_twilio.script = [error(500, message="Service unavailable")] * MAX_ATTEMPTS
    message = queue(pa, capture=django_capture_on_commit_callbacks)
    while message.status == Status.QUEUED:
        message = later(message)
    assert message.status == Status.FAILED and message.attempts == MAX_ATTEMPTS
    assert f"Gave up after {MAX_ATTEMPTS} attempts" in message.last_error and "Service unavailable" in message.last_error
    assert len(fake_twilio.requests) == MAX_ATTEMPTS and fake_twilio.accepted == []


def test_21610_fails_at_once_and_marks_the_number_opted_out(fake_twilio, pa, django_capture_on_commit_callbacks):
    fake_twilio.script = [error(400, 21610, "Attempt to send to unsubscribed recipient")]
    message = queue(pa, capture=django_capture_on_commit_callbacks)

    assert message.status == Status.FAILED and message.attempts == 1
    assert "21610" in message.last_error
    assert OptOut.objects.filter(number=pa.profile.mobile, reason=OptOut.Reason.PROVIDER).exists()
    later(message, hours=2)
    assert len(fake_twilio.requests) == 1
    assert notifications.send_sms(user=pa, body=BODY, purpose="shift_offer", idempotency_key="next") is None


def test_an_invalid_number_fails_at_once_without_retry(fake_twilio, pa, django_capture_on_commit_callbacks):
    fake_twilio.script = [error(400, 21211, "The 'To' number is not a valid phone number.")]
    message = queue(pa, capture=django_capture_on_commit_callbacks)
    assert message.status == Status.FAILED and "21211" in message.last_error
    later(message, hours=2)
    assert len(fake_twilio.requests) == 1
    assert not OptOut.objects.exists()


def test_a_message_to_a_number_that_opted_out_after_queueing_is_not_sent(fake_twilio, pa, django_capture_on_commit_callbacks):
    fake_twilio.script = [error(500)]
    message = queue(pa, capture=django_capture_on_commit_callbacks)
    OptOut.objects.create(number=pa.profile.mobile, reason=OptOut.Reason.REPLIED_STOP)
    message = later(message)
    assert message.status == Status.FAILED and "STOP" in message.last_error
    assert len(fake_twilio.requests) == 1


def test_two_workers_never_both_send_a_message(fake_twilio, pa, django_capture_on_commit_callbacks):
    from notifications.tasks import send_message

    fake_twilio.script = [error(500)]
    message = queue(pa, capture=django_capture_on_commit_callbacks)
    with freeze_time(message.next_attempt_at + datetime.timedelta(seconds=1)):
        send_message(message.pk)  # the countdown task
        send_message(message.pk)  # and the periodic job's, a moment later
        send_due_messages()
    assert len(fake_twilio.accepted) == 1 and len(fake_twilio.requests) == 2


def test_a_worker_that_died_after_twilio_accepted_does_not_cause_a_second_text(
    fake_twilio, pa, django_capture_on_commit_callbacks, twilio_post
):
    fake_twilio.script = [accept_then_die]
    message = queue(pa, capture=django_capture_on_commit_callbacks)
    assert message.status == Status.SENDING and message.provider_id == ""
    [(sid, _)] = fake_twilio.accepted

    # Twilio's first status report carries our id in the callback URL.
    path = f"/notifications/twilio/status/?message={message.pk}"
    assert twilio_post(path, {"MessageSid": sid, "MessageStatus": "sent", "AccountSid": ACCOUNT}).status_code == 204

    with freeze_time(timezone.now() + datetime.timedelta(hours=1)):
        requeue_stuck_messages()
        send_due_messages()
    message.refresh_from_db()
    assert (message.status, message.provider_id) == (Status.SENT, sid)
    assert len(fake_twilio.requests) == 1


def test_a_worker_that_died_before_reaching_twilio_is_retried_once(fake_twilio, pa, django_capture_on_commit_callbacks):
    fake_twilio.script = [die_before_reaching_twilio]
    message = queue(pa, capture=django_capture_on_commit_callbacks)
    assert message.status == Status.SENDING

    with freeze_time(timezone.now() + datetime.timedelta(minutes=5)):
        assert requeue_stuck_messages() == {"requeued": 0, "failed": 0}  # it may still be working
    with freeze_time(timezone.now() + datetime.timedelta(minutes=11)):
        assert requeue_stuck_messages() == {"requeued": 1, "failed": 0}
        send_due_messages()
        send_due_messages()
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2
    assert len(fake_twilio.accepted) == 1


def test_a_retry_after_twilio_quietly_accepted_a_500_does_not_send_again(
    fake_twilio, pa, django_capture_on_commit_callbacks, twilio_post
):
    def accepted_but_500(fake, request):
        from tests.notifications.fake_twilio import accept

        accept(fake, request)
        return error(500)(fake, request)

    fake_twilio.script = [accepted_but_500]
    message = queue(pa, capture=django_capture_on_commit_callbacks)
    assert message.status == Status.QUEUED
    [(sid, _)] = fake_twilio.accepted
    twilio_post(f"/notifications/twilio/status/?message={message.pk}", {"MessageSid": sid, "MessageStatus": "queued"})

    message = later(message)
    assert (message.status, message.provider_id) == (Status.SENT, sid)
    assert len(fake_twilio.requests) == 1


@pytest.mark.parametrize("missing", ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"])
def test_the_twilio_backend_refuses_to_start_without_credentials(twilio_settings, missing):
    from django.core.exceptions import ImproperlyConfigured

    setattr(twilio_settings, missing, "")
    with pytest.raises(ImproperlyConfigured):
        TwilioBackend()
