"""Periodic jobs, run by Celery beat in production and by the embedded scheduler otherwise.

Every job is a plain function named in settings.PERIODIC_JOBS; each is idempotent
and safe to run twice or on two machines at once.
"""
import logging

from celery import shared_task
from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


@shared_task(name="paworkflow.run_job")
def run_job(dotted):
    if dotted not in settings.PERIODIC_JOBS:
        raise ValueError(f"Unknown periodic job {dotted!r}")
    return import_string(dotted)()


def run_all():
    """Run every periodic job once (the `run_periodic` command and the embedded scheduler)."""
    results = {}
    for dotted in settings.PERIODIC_JOBS:
        try:
            results[dotted] = import_string(dotted)()
        except Exception:  # one failing job must not stop the others
            log.exception("periodic job %s failed", dotted)
            results[dotted] = "failed"
    return results
