"""The sending rate (SMS_RATE_PER_SECOND per sender) holds across workers."""
import datetime
import threading

import pytest
from django.db import connection
from freezegun import freeze_time

import notifications
from notifications import pace
from notifications.backends import locmem
from notifications.jobs import send_due_messages
from notifications.models import Message, Status
from notifications.tasks import send_message
from tests.factories import ProfileFactory


def queue(n, prefix="rate"):
    messages = []
    for i in range(n):
        profile = ProfileFactory(mobile=f"+447700900{600 + i:03d}", user__username=f"{prefix}{i}")
        messages.append(notifications.send_sms(user=profile.user, body=f"paworkflow: shift {i} is offered.",
                                               purpose="shift_offer", idempotency_key=f"{prefix}:{i}"))
    return messages


def paced(rate, booked):
    """The rate is kept by the moments booked under the pacing row's lock: each at least 1/rate
    after the one before, whatever the number of workers, and each send waits for its moment.
    The test reads the booked moments, not the backend's arrival times: on a busy machine a
    thread woken late makes two arrivals closer than the rate though both kept their slots."""
    moments = sorted(booked)
    gaps = [(b - a).total_seconds() for a, b in zip(moments, moments[1:])]
    return min(gaps) >= 1 / rate - 0.001


@pytest.fixture
def booked(monkeypatch):
    """Every moment the pacing row booked, in the order booked."""
    moments = []
    real = pace.book

    def spy(sender, *, max_wait):
        moment, ok = real(sender, max_wait=max_wait)
        if ok:
            moments.append(moment)
        return moment, ok

    monkeypatch.setattr(pace, "book", spy)
    return moments


def test_texts_leave_no_faster_than_the_rate(db, settings, booked, django_capture_on_commit_callbacks):
    settings.SMS_RATE_PER_SECOND = 20
    with django_capture_on_commit_callbacks(execute=True):
        queue(6)
    assert len(locmem.outbox) == 6 and len(booked) == 6
    assert paced(20, booked)


def test_a_text_whose_turn_is_too_far_off_is_handed_back_not_waited_for(db, settings, django_capture_on_commit_callbacks):
    settings.SMS_RATE_PER_SECOND = 0.2  # one text every 5 s: more than a request thread may wait
    with django_capture_on_commit_callbacks(execute=True):
        first, second = queue(2)
    second.refresh_from_db()
    assert len(locmem.outbox) == 1
    assert second.status == Status.QUEUED and second.attempts == 0
    assert datetime.timedelta(seconds=4) < second.next_attempt_at - second.created_at < datetime.timedelta(seconds=6)

    with freeze_time(second.next_attempt_at + datetime.timedelta(milliseconds=10)):
        send_due_messages()
    second.refresh_from_db()
    assert second.status == Status.SENT and second.attempts == 1
    assert len(locmem.outbox) == 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_rate_holds_across_concurrent_workers(settings, booked):
    settings.SMS_RATE_PER_SECOND = 20
    settings.CELERY_TASK_ALWAYS_EAGER = False  # queue only; the threads below are the workers
    messages = queue(24, prefix="worker")
    pks = [m.pk for m in messages]
    barrier = threading.Barrier(4)

    def worker(mine):
        barrier.wait()
        try:
            for pk in mine:
                send_message(pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(pks[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Message.objects.filter(status=Status.SENT).count() == 24
    assert len(locmem.outbox) == 24 and len(booked) == 24
    assert paced(20, booked)
