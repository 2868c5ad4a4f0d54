"""Periodic jobs, run by Celery beat in production and by the embedded scheduler otherwise.

Apps declare plain functions with `@every(seconds)` in their `jobs.py`, which their
AppConfig.ready imports. Every job must be idempotent: safe to run twice, or on two machines at once.
"""
import logging
import time

from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

JOBS = {}  # dotted path -> seconds between runs


def every(seconds):
    def decorator(fn):
        JOBS[f"{fn.__module__}.{fn.__qualname__}"] = seconds
        return fn

    return decorator


def run(dotted):
    """Run one job. A failure is logged and answered "failed", never raised: one failing job
    must not stop the others."""
    try:
        return import_string(dotted)()
    except Exception:
        log.exception("periodic job %s failed", dotted)
        return "failed"


def run_all():
    """Run every periodic job once (`manage.py run_periodic`)."""
    return {dotted: run(dotted) for dotted in JOBS}


class Schedule:
    """The embedded scheduler's timetable: each job runs once its own interval has passed, as beat
    would run it. Every job is due on the first tick. `clock` counts seconds (tests pass a fake)."""

    def __init__(self, jobs=None, clock=time.monotonic):
        self.jobs = JOBS if jobs is None else jobs
        self.clock = clock
        self.next_due = {}  # dotted path -> clock time it is next due

    def run_due(self):
        """Run the jobs that are due now; returns their results by dotted path."""
        now = self.clock()
        results = {}
        for dotted, seconds in self.jobs.items():
            if self.next_due.get(dotted, now) <= now:
                self.next_due[dotted] = now + seconds
                results[dotted] = run(dotted)
        return results

    def seconds_to_next(self):
        """How long until the next job is due (0 if one is due already, or none has run yet)."""
        now = self.clock()
        return max(0, min((self.next_due.get(dotted, now) for dotted in self.jobs), default=now) - now)
