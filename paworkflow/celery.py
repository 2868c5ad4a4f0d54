"""The Celery app: a Redis broker in production, eager tasks after commit embedded."""
import os

from celery import Celery

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
