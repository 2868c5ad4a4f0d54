"""The Celery app: a Redis broker in production, eager tasks after commit embedded."""
import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paworkflow.settings")

app = Celery("paworkflow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def schedule_periodic_jobs(sender, **kwargs):
    from paworkflow.periodic import JOBS
    from paworkflow.tasks import run_job

    for dotted, seconds in JOBS.items():
        sender.add_periodic_task(seconds, run_job.s(dotted), name=dotted)


@worker_init.connect
def keep_worker_connections(**kwargs):
    """A worker runs a fixed pool of threads or processes: each keeps its database connection for
    WORKER_DB_CONN_MAX_AGE seconds between tasks (web processes keep DB_CONN_MAX_AGE, 0 under ASGI)."""
    from django.conf import settings  # noqa: PLC0415 - Django is set up by now
    from django.db import connections  # noqa: PLC0415

    for alias in connections:
        connections.settings[alias]["CONN_MAX_AGE"] = settings.WORKER_DB_CONN_MAX_AGE


@task_prerun.connect
@task_postrun.connect
def close_old_connections(sender=None, **kwargs):
    """Before and after each task, what Django does before and after each request: close a
    connection that is broken, or older than DB_CONN_MAX_AGE (at 0, every one). A worker's threads
    each keep theirs between tasks for WORKER_DB_CONN_MAX_AGE (CELERY_DB_REUSE_MAX keeps Celery's
    own fix-up from closing them regardless). Never for an eager task: it runs inside
    the caller's request and transaction."""
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections as close  # noqa: PLC0415 - Django is set up by now

    close()
