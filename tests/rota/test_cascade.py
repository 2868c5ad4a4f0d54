"""When a competency lapses or a PA leaves, their future shifts need cover and the budget holder hears once."""
import datetime

import pytest

from care.models import Membership, Role
from care.services import end_membership
from competencies import services as competency_services
from rota import services
from rota.models import Shift
from tests.factories import ProfileFactory

from .conftest import texts_to
from .factories import YEAR, ShiftFactory, at, signed_off


@pytest.fixture
def scene(family, parent, pa, pa2, nurse, suction, monday):
    """pa and pa2 both signed off for suction; shifts spread so only some depend on pa's competency.
    The budget holder has agreed to texts."""
    ProfileFactory(user=parent)
    long_ago, far_ahead = at("2026-01-05", 9), at(f"{YEAR + 1}-01-05", 9)
    mine = signed_off(pa, family, suction, long_ago, far_ahead, clinician=nurse)
    signed_off(pa2, family, suction, long_ago, far_ahead, clinician=nurse)

    def shift(day, pa_, tasks):
        return services.create_shift(recipient=family, start=at(day, 9), end=at(day, 15), kind="day", actor=parent,
                                     pa=pa_, tasks=tasks)

    tuesday, wednesday = monday + datetime.timedelta(days=1), monday + datetime.timedelta(days=2)
    return {
        "competency": mine,
        "needs_it": [shift(monday, pa, [suction]), shift(wednesday, pa, [suction])],
        "no_task": shift(tuesday, pa, []),
        "other_pa": shift(tuesday, pa2, [suction]),
        "past": ShiftFactory(recipient=family, pa=pa, status="completed", start=at("2026-02-02", 9),
                             end=at("2026-02-02", 15)),
    }


def flagged(family):
    return set(Shift.objects.filter(recipient=family, needs_cover=True).values_list("pk", flat=True))


def test_revoking_a_competency_flags_exactly_the_future_shifts_that_needed_it(
        scene, family, nurse, django_capture_on_commit_callbacks):
    scene["past"].tasks.add(scene["competency"].task)
    with django_capture_on_commit_callbacks(execute=True):
        competency_services.revoke(competency=scene["competency"], actor=nurse, reason="Unsafe suction observed")
    assert flagged(family) == {s.pk for s in scene["needs_it"]}
    shift = Shift.objects.get(pk=scene["needs_it"][0].pk)
    assert shift.status == Shift.Status.CONFIRMED and shift.pa_id is not None  # who it was stays visible
    assert "competency was revoked" in shift.cover_reason


def test_the_budget_holder_is_texted_once_per_lapse(scene, family, parent, pa, nurse,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        competency_services.revoke(competency=scene["competency"], actor=nurse, reason="Unsafe suction observed")
    with django_capture_on_commit_callbacks(execute=True):
        # The same lapse reported twice (a retried job, say) flags nothing new and texts nobody again.
        again = services.flag_lapsed_competency(competency=scene["competency"], reason="revoked")
    assert again == []
    cover_texts = [t for t in texts_to(parent) if t.purpose == "rota-needs-cover"]
    assert len(cover_texts) == 1
    assert cover_texts[0].body.startswith("paworkflow: 2 shifts need cover, the first Mon 01 Mar 09:00-15:00.")
    assert "suction" not in cover_texts[0].body.lower()
    assert not [t for t in texts_to(pa) if t.purpose == "rota-needs-cover"]


def test_suspension_flags_shifts_too(scene, family, nurse, django_capture_on_commit_callbacks):
    competency_services.suspend(competency=scene["competency"], actor=nurse, reason="Retraining")
    assert flagged(family) == {s.pk for s in scene["needs_it"]}


def test_expiry_flags_the_shifts_after_it(family, parent, pa, suction, monday, django_capture_on_commit_callbacks):
    from freezegun import freeze_time

    competency = signed_off(pa, family, suction, at("2026-01-05", 9), at(monday, 12))
    with freeze_time("2026-12-01"):
        shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 12), kind="day",
                                      actor=parent, pa=pa, tasks=[suction])
    with freeze_time(at(monday, 12) + datetime.timedelta(minutes=1)):
        later = services.create_shift(recipient=family, start=at(monday, 18), end=at(monday, 21), kind="day",
                                      actor=parent)
        later.tasks.add(suction)
        Shift.objects.filter(pk=later.pk).update(pa=pa, status="confirmed")
        competency_services.expire_due()
    assert flagged(family) == {later.pk}
    assert not Shift.objects.get(pk=shift.pk).needs_cover
    competency.refresh_from_db()
    assert competency.status == "expired"


def test_a_pa_leaving_the_circle_leaves_their_future_shifts_needing_cover(
        scene, family, parent, pa, django_capture_on_commit_callbacks):
    membership = Membership.objects.get(recipient=family, user=pa, role=Role.PA)
    with django_capture_on_commit_callbacks(execute=True):
        end_membership(membership=membership, actor=parent, reason="Moved away")
    mine = {s.pk for s in scene["needs_it"]} | {scene["no_task"].pk}
    assert flagged(family) == mine
    assert all("has left the circle" in s.cover_reason for s in Shift.objects.filter(pk__in=mine))
    # One text about the departure, not one per competency the departure also revoked.
    assert len([t for t in texts_to(parent) if t.purpose == "rota-needs-cover"]) == 1


def test_booking_someone_else_clears_needs_cover(scene, family, parent, pa2, nurse, monday):
    competency_services.revoke(competency=scene["competency"], actor=nurse, reason="Unsafe")
    shift = Shift.objects.get(pk=scene["needs_it"][1].pk)
    shift = services.confirm_shift(shift=shift, pa=pa2, actor=parent, expected_version=shift.version)
    assert not shift.needs_cover and shift.cover_reason == "" and shift.pa == pa2
