"""The embedded scheduler runs each periodic job at the interval it declares, as beat does,
and a failing job does not stop the others. Time is a fake clock: nothing sleeps."""
from paworkflow.periodic import Schedule

runs = []


def every_minute():
    runs.append("every_minute")


def every_five_minutes():
    runs.append("every_five_minutes")


def broken():
    raise RuntimeError("the job's own bug")


HERE = __name__
JOBS = {f"{HERE}.every_minute": 60, f"{HERE}.every_five_minutes": 300}


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def tick(schedule, clock, at):
    runs.clear()
    clock.now = 1000.0 + at
    schedule.run_due()
    return list(runs)


def test_a_300_second_job_waits_for_its_own_interval_not_the_60_second_tick():
    clock = FakeClock()
    schedule = Schedule(JOBS, clock=clock)
    assert tick(schedule, clock, 0) == ["every_minute", "every_five_minutes"]  # every job runs at start
    assert tick(schedule, clock, 60) == ["every_minute"]
    for at in (120, 180, 240):
        assert tick(schedule, clock, at) == ["every_minute"]
    assert tick(schedule, clock, 300) == ["every_minute", "every_five_minutes"]
    assert tick(schedule, clock, 360) == ["every_minute"]


def test_the_scheduler_sleeps_until_the_next_job_is_due():
    clock = FakeClock()
    schedule = Schedule(JOBS, clock=clock)
    assert schedule.seconds_to_next() == 0  # nothing has run yet
    tick(schedule, clock, 0)
    clock.now += 20
    assert schedule.seconds_to_next() == 40


def test_a_failing_job_is_reported_and_the_others_still_run():
    clock = FakeClock()
    schedule = Schedule({f"{HERE}.broken": 60, **JOBS}, clock=clock)
    runs.clear()
    results = schedule.run_due()
    assert results[f"{HERE}.broken"] == "failed"
    assert runs == ["every_minute", "every_five_minutes"]
    clock.now += 60
    runs.clear()
    assert schedule.run_due()[f"{HERE}.broken"] == "failed"  # and it is tried again at its interval
    assert runs == ["every_minute"]
