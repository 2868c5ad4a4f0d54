"""The rota's periodic jobs: finished shifts become completed once, the change log is pruned."""
import datetime

from django.utils import timezone
from freezegun import freeze_time

from rota import jobs, services
from rota.models import RotaChange, Shift

from .factories import YEAR, at


def test_finished_shifts_are_completed_once(family, parent, pa):
    with freeze_time(f"{YEAR}-02-01"):
        shift = services.create_shift(recipient=family, start=at(f"{YEAR}-03-01", 9), end=at(f"{YEAR}-03-01", 12),
                                      kind="day", actor=parent, pa=pa)
    with freeze_time(at(f"{YEAR}-03-01", 12) + datetime.timedelta(minutes=1)):
        assert jobs.complete_past_shifts() == 1
        assert jobs.complete_past_shifts() == 0  # safe to run twice
    shift.refresh_from_db()
    assert shift.status == Shift.Status.COMPLETED
    assert RotaChange.objects.filter(shift=shift).count() == 2  # booked, completed: live pages see it


def test_old_changes_are_pruned(family, parent):
    services.create_shift(recipient=family, start=at(f"{YEAR}-03-01", 9), end=at(f"{YEAR}-03-01", 12), kind="day",
                          actor=parent)
    RotaChange.objects.update(at=timezone.now() - datetime.timedelta(days=3))
    services.create_shift(recipient=family, start=at(f"{YEAR}-03-02", 9), end=at(f"{YEAR}-03-02", 12), kind="day",
                          actor=parent)
    assert jobs.prune_change_log() == 1
    assert list(RotaChange.objects.values_list("seq", flat=True)) == [2]
