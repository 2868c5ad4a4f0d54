"""Beat's schedule is the registry: every job declared with `@every(seconds)` in an app's
jobs.py, at its own interval, sent to the one Celery entry point that runs jobs by name."""
from paworkflow.celery import schedule_periodic_jobs
from paworkflow.periodic import JOBS


class Sender:
    """Stands in for the Celery app: records what beat would be told to schedule."""

    def __init__(self):
        self.added = {}

    def add_periodic_task(self, seconds, signature, name):
        self.added[name] = (seconds, signature)


def test_beat_runs_every_registered_job_at_its_own_interval():
    sender = Sender()
    schedule_periodic_jobs(sender)
    assert {name: seconds for name, (seconds, _) in sender.added.items()} == JOBS
    assert sender.added["care.jobs.end_due_memberships"][0] == 300
    assert sender.added["rota.jobs.complete_past_shifts"][0] == 600
    _, signature = sender.added["rota.jobs.prune_change_log"]
    assert signature.task == "paworkflow.run_job" and tuple(signature.args) == ("rota.jobs.prune_change_log",)


def test_periodic_jobs_are_declared_only_in_jobs_modules():
    assert [dotted for dotted in JOBS if dotted.split(".")[-2] != "jobs"] == []
