"""A lapse texts each person once: the PA hears their record changed; the budget holder hears
once — that shifts need cover when the lapse leaves some uncovered, otherwise that the record changed."""
import datetime

import pytest
from django.utils import timezone

from competencies import services
from competencies.models import Competency, Status
from notifications.models import Message
from rota import services as rota
from tests.factories import ProfileFactory

from .factories import CompetencyFactory, catalogue

DAY = datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)


def local(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def scene(family, parent, pa, nurse):
    """pa signed off for suction until 10 days from now; a booked shift of theirs needing suction
    in 3 days. The budget holder has agreed to texts."""
    ProfileFactory(user=parent)
    suction = catalogue("tracheostomy-suction")
    competency = CompetencyFactory(pa=pa, recipient=family, task=suction, signed_off_by=nurse,
                                   valid_from=timezone.now() - 300 * DAY, valid_until=timezone.now() + 10 * DAY)
    day = timezone.localdate() + 3 * DAY
    shift = rota.create_shift(recipient=family, start=local(day, 9), end=local(day, 15), kind="day", actor=parent,
                              pa=pa, tasks=[suction])
    booked = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return {"competency": competency, "shift": shift, "texts_before": booked}


def purposes(user, scene):
    """What `user` was texted after the scene was set (the PA's booking text left out)."""
    texts = Message.objects.filter(user=user, pk__gt=scene["texts_before"])
    return sorted(texts.values_list("purpose", flat=True))


def test_a_revocation_that_leaves_a_shift_uncovered_texts_the_budget_holder_once(
        scene, parent, pa, nurse, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(competency=scene["competency"], actor=nurse, reason="Unsafe suction observed")
    assert purposes(parent, scene) == ["rota-needs-cover"]
    assert purposes(pa, scene) == ["competency_change"]


def test_an_expiry_that_leaves_a_shift_uncovered_texts_the_budget_holder_once(scene, parent, pa):
    rota_shift = scene["shift"]
    # Its review date passes before the shift: the sweep expires it and the shift needs cover.
    Competency.objects.filter(pk=scene["competency"].pk).update(valid_until=timezone.now() - MINUTE)
    assert services.expire_due() == 1
    rota_shift.refresh_from_db()
    assert rota_shift.needs_cover
    assert purposes(parent, scene) == ["rota-needs-cover"]
    assert purposes(pa, scene) == ["competency_change"]


def test_a_lapse_that_leaves_no_shift_uncovered_tells_the_budget_holder_the_record_changed(
        scene, parent, pa, nurse):
    scene["shift"].tasks.clear()  # the shift no longer needs the task
    services.suspend(competency=scene["competency"], actor=nurse, reason="Retraining")
    assert Competency.objects.get(pk=scene["competency"].pk).status == Status.SUSPENDED
    assert purposes(parent, scene) == ["competency_change"]
    assert purposes(pa, scene) == ["competency_change"]
