"""A worker's tasks open and close database connections as requests do: each thread keeps its
connection between tasks for DB_CONN_MAX_AGE (the Procfile's worker sets it), a broken one is
dropped, and at 0 every task gets a fresh one. Before, Celery's Django fix-up closed every
connection after every task: a new PostgreSQL connection for every text sent. An eager task
(embedded mode) runs inside the caller's request and transaction and never touches it.

PostgreSQL only: Django never closes SQLite's in-memory test database (it would be lost)."""
from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup
from celery.signals import task_postrun, task_prerun
from django.db import connection, connections

from paworkflow.celery import app, keep_worker_connections

pytestmark = pytest.mark.services


class Task:
    """As much of a task as the receivers read: its request says whether it runs eagerly."""

    def __init__(self, *, eager):
        self.request = SimpleNamespace(is_eager=eager)


def run_as_task(*, eager=False):
    """What a worker does around a task: our signal receivers and Celery's own Django fix-up."""
    task = Task(eager=eager)
    fixup = DjangoWorkerFixup(app)
    task_prerun.send(sender=task, task_id="t", task=task, args=(), kwargs={})
    fixup.on_task_prerun(task)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    task_postrun.send(sender=task, task_id="t", task=task, args=(), kwargs={}, retval=None, state="SUCCESS")
    fixup.on_task_postrun(task)


@pytest.fixture
def max_age(monkeypatch):
    def set_age(seconds):
        connection.close()
        monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", seconds)
        connection.ensure_connection()
        return connection.connection

    yield set_age
    connection.close()


def test_a_worker_thread_keeps_its_connection_between_tasks(transactional_db, max_age):
    kept = max_age(600)
    run_as_task()
    run_as_task()
    assert connection.connection is kept


def test_a_broken_connection_is_dropped_before_the_next_task(transactional_db, max_age, monkeypatch):
    max_age(600)
    connection.errors_occurred = True
    monkeypatch.setattr(connection, "is_usable", lambda: False)
    task = Task(eager=False)
    task_prerun.send(sender=task, task_id="t", task=task, args=(), kwargs={})
    assert connection.connection is None


def test_at_age_zero_every_task_gets_a_fresh_connection(transactional_db, max_age):
    first = max_age(0)
    run_as_task()
    assert connection.connection is None or connection.connection is not first


def test_an_eager_task_never_closes_the_callers_connection(transactional_db, max_age):
    kept = max_age(0)
    run_as_task(eager=True)
    assert connection.connection is kept


def test_a_worker_keeps_connections_for_worker_db_conn_max_age(settings, monkeypatch):
    settings.WORKER_DB_CONN_MAX_AGE = 321
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    keep_worker_connections()  # worker_init's receiver (Celery's own fix-up listens to it too)
    assert connection.settings_dict["CONN_MAX_AGE"] == 321
