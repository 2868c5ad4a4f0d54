"""Asking for a recovery code takes the same time whether or not the number has an account,
because the request does the same work for both: it counts the throttles, hands the number to a
background task after commit and answers. Finding the account, making the code and texting it
happen in that task (a worker in production), never in the request."""
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import tasks
from notifications.backends import locmem
from notifications.models import Message
from tests.accounts.conftest import texts_to
from tests.factories import ProfileFactory, UserFactory

KNOWN, UNKNOWN = "+447700900777", "+447700900999"


@pytest.fixture
def mobile_only(db):
    user = UserFactory(username="mobile-only", email="")
    ProfileFactory(user=user, mobile=KNOWN)
    return user


def ask(client, mobile):
    return client.post(reverse("recover_by_text"), {"mobile": mobile}, REMOTE_ADDR="203.0.113.5")


def work_done(client, mobile, django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.send_recovery_code, "delay") as delay:
        with CaptureQueriesContext(connection) as queries:
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                response = ask(client, mobile)
    assert response.status_code == 302
    return len(queries), len(callbacks), delay.call_args_list


def test_a_known_and_an_unknown_number_cost_the_request_the_same_queries_and_calls(
        client, mobile_only, django_capture_on_commit_callbacks):
    known = work_done(client, KNOWN, django_capture_on_commit_callbacks)
    unknown = work_done(type(client)(), UNKNOWN, django_capture_on_commit_callbacks)
    assert known[:2] == unknown[:2]
    assert known[2] == [mock.call(mobile=KNOWN)] and unknown[2] == [mock.call(mobile=UNKNOWN)]


def test_no_text_is_written_or_sent_in_the_request_itself(client, mobile_only):
    # Without a commit (the test's transaction never commits) nothing reaches the outbox.
    assert ask(client, KNOWN).status_code == 302
    assert Message.objects.count() == 0 and locmem.outbox == []


def test_after_commit_the_task_texts_the_known_number_and_nobody_else(client, mobile_only, committed):
    for mobile in (KNOWN, UNKNOWN):
        with committed():
            ask(client, mobile)
    assert len(texts_to(KNOWN)) == 1 and texts_to(UNKNOWN) == []
