"""What one send costs the database: a task for a message that is not due only reads (on SQLite any
UPDATE takes the whole file's write lock, which every sending thread needs), and a send writes
twice: the claim with its booked moment, then the outcome. Still one text per message."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

import notifications
from notifications import services
from notifications.backends import locmem
from notifications.models import Message, SendingPace, Status
from tests.factories import ProfileFactory


def queued(key="trip:1"):
    user = ProfileFactory().user
    return notifications.send_sms(user=user, body="paworkflow: shift 1 is offered.", purpose="shift_offer",
                                  idempotency_key=key)


def writes(queries):
    return [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"UPDATE", "INSERT", "DELETE"}]


def test_a_second_task_for_a_sent_message_only_reads(db):
    message = queued()
    assert services.deliver_message(message_pk=message.pk) == Status.SENT
    with CaptureQueriesContext(connection) as queries:
        assert services.deliver_message(message_pk=message.pk) is None
    assert len(queries.captured_queries) == 1 and not writes(queries.captured_queries)
    assert len(locmem.outbox) == 1


def test_a_send_claims_and_books_its_moment_in_one_transaction_then_records_the_outcome(db, settings):
    settings.SMS_RATE_PER_SECOND = 1000
    services.deliver_message(message_pk=queued("trip:0").pk)  # the pace row is created on first use
    message = queued()
    with CaptureQueriesContext(connection) as queries:
        assert services.deliver_message(message_pk=message.pk) == Status.SENT
    updates = writes(queries.captured_queries)
    # the claim, the pace row, the outcome
    assert len(updates) == 3 and "notifications_sendingpace" in updates[1], updates
    assert SendingPace.objects.count() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)
    assert [t.to for t in locmem.outbox][1:] == [message.to]


def test_a_message_handed_back_under_the_rate_is_left_as_it_was(db, settings):
    """The rate is booked further ahead than a worker may wait: the claim is undone in the same
    transaction, the attempt not counted, the message due again at its booked moment."""
    settings.SMS_RATE_PER_SECOND = 0.2
    first, second = queued("trip:1"), queued("trip:2")
    assert services.deliver_message(message_pk=first.pk) == Status.SENT
    assert services.deliver_message(message_pk=second.pk) == Status.QUEUED
    second.refresh_from_db()
    assert (second.status, second.attempts, second.claimed_at) == (Status.QUEUED, 0, None)
    assert second.next_attempt_at > first.created_at
    assert Message.objects.filter(status=Status.SENDING).count() == 0 and len(locmem.outbox) == 1
