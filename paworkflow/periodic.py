"""Periodic jobs, run by Celery beat in production and by the embedded scheduler otherwise.

Apps register plain functions with `@every(seconds)` in a module their AppConfig.ready
imports. Every job must be idempotent: safe to run twice, or on two machines at once.
"""
import logging

from celery import shared_task
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

JOBS = {}  # dotted path -> seconds between runs


def every(seconds):
    def decorator(fn):
        JOBS[f"{fn.__module__}.{fn.__qualname__}"] = seconds
        return fn

    return decorator


@shared_task(name="paworkflow.run_job")
def run_job(dotted):
    if dotted not in JOBS:
        raise ValueError(f"Unknown periodic job {dotted!r}")
    return import_string(dotted)()


def run_all():
    """Run every periodic job once (the embedded scheduler, and `manage.py run_periodic`)."""
    results = {}
    for dotted in JOBS:
        try:
            results[dotted] = import_string(dotted)()
        except Exception:  # one failing job must not stop the others
            log.exception("periodic job %s failed", dotted)
            results[dotted] = "failed"
    return results
