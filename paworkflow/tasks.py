"""The runtime's Celery entry point: beat sends each periodic job here by its dotted path."""
from celery import shared_task
from django.utils.module_loading import import_string

from .periodic import JOBS


@shared_task(name="paworkflow.run_job")
def run_job(dotted):
    if dotted not in JOBS:
        raise ValueError(f"Unknown periodic job {dotted!r}")
    return import_string(dotted)()
