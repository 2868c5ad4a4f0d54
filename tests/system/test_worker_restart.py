"""Stopping the Celery worker while texts are queued, as systemd or a Procfile runner stops it
(SIGTERM), and starting it again sends every queued text exactly once."""
import re
import signal
import time

import pytest

from notifications.models import Message, Status
from rota.models import Shift

from .helpers import new_shift, next_week, wait_for

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

OFFERS = 3


def test_stopping_the_worker_mid_queue_and_starting_it_again_sends_every_text_exactly_once(
    system_stack, circle, browsers
):
    _monday, wednesday = next_week()
    parent = browsers(system_stack, "web_a", "sys-parent")
    logs_before = system_stack.mark()
    # Three shifts offered by text to all ten PAs: thirty texts, queued in the outbox and on Redis,
    # which the worker may send at four a second (SMS_RATE_PER_SECOND), so about eight seconds' work.
    for hour in range(OFFERS):
        assert new_shift(parent, circle.recipient.pk, wednesday, f"{8 + 2 * hour:02d}:00",
                         f"{9 + 2 * hour:02d}:00").status_code == 302
    for shift in Shift.objects.filter(recipient=circle.recipient):
        assert parent.post(f"/rota/shifts/{shift.pk}/offer/", {"version": shift.version}).status_code == 302
    texts = Message.objects.filter(purpose="rota-offer")
    total = OFFERS * len(circle.pas)
    assert texts.count() == total

    sent = texts.filter(status=Status.SENT)
    wait_for(lambda: sent.count() >= 4, "the worker to send the first texts", timeout=60)
    system_stack.stop("worker", signal.SIGTERM)
    first_run = system_stack.worker_output(since=logs_before)
    sent_before_restart = sent.count()
    assert "Warm shutdown" in first_run
    assert sent_before_restart < total, "the queue must still have texts in it when the worker stops"
    assert not texts.filter(status=Status.SENDING).exists(), "a warm shutdown finishes the sends it started"

    started = time.monotonic()
    system_stack.start("worker")
    wait_for(lambda: sent.count() == total, lambda: f"all {total} texts after the restart ({sent.count()} sent)",
             timeout=120)
    drained_in = time.monotonic() - started

    printed = re.findall(r"SMS to \+\d+ \(rota-offer\): .*", system_stack.worker_output(since=logs_before))
    assert len(printed) == total, f"{len(printed)} texts printed for {total} messages"
    for message in texts:
        assert printed.count(f"SMS to {message.to} (rota-offer): {message.body}") == 1, message.pk
        assert message.provider_id == f"console-{message.pk}" and message.attempts >= 1
    assert len(set(texts.values_list("provider_id", flat=True))) == total
    # Every text left on the queue was sent by the second worker, not by the beat's sweep a minute later.
    second_run = system_stack.processes["worker"].output()
    assert len(re.findall(r"\(rota-offer\)", second_run)) == total - sent_before_restart
    assert drained_in < 60, f"the restarted worker took {drained_in:.0f} s"
