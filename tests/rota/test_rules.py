"""The rota's rules, through rota.services: overlap, the competency gate, clock changes,
working-time warnings and the optimistic lock."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from care.models import Role
from rota import services
from rota.models import Shift
from tests.factories import member

from .factories import YEAR, ShiftFactory, at, signed_off


def book(recipient, pa, start, end, actor, tasks=()):
    return services.create_shift(recipient=recipient, start=start, end=end, kind="day", actor=actor, pa=pa,
                                 tasks=tasks)


# --- Overlap ------------------------------------------------------------------------


def test_a_pa_cannot_be_booked_on_overlapping_shifts(family, parent, pa, monday):
    book(family, pa, at(monday, 8), at(monday, 14), parent)
    with pytest.raises(ValidationError, match="already has a shift then"):
        book(family, pa, at(monday, 13), at(monday, 18), parent)
    assert Shift.objects.filter(recipient=family).count() == 1  # nothing saved


def test_back_to_back_shifts_do_not_overlap(family, parent, pa, monday):
    book(family, pa, at(monday, 8), at(monday, 14), parent)
    second = book(family, pa, at(monday, 14), at(monday, 18), parent)
    assert second.status == Shift.Status.CONFIRMED


def test_overlap_counts_shifts_for_other_people_without_naming_them(family, other_family, parent, other_parent, pa,
                                                                     monday):
    member(other_family, Role.PA, user=pa)  # the PA works for both families
    book(other_family, pa, at(monday, 9), at(monday, 12), other_parent)
    with pytest.raises(ValidationError) as refusal:
        book(family, pa, at(monday, 10), at(monday, 11), parent)
    assert "already has a shift" in str(refusal.value)
    assert other_family.display_name not in str(refusal.value)


def test_a_cancelled_shift_frees_the_pa(family, parent, pa, monday):
    first = book(family, pa, at(monday, 8), at(monday, 14), parent)
    services.cancel_shift(shift=first, actor=parent, reason="Hospital appointment moved")
    assert book(family, pa, at(monday, 9), at(monday, 12), parent).pa == pa


def test_only_circle_pas_can_be_booked(family, parent, other_pa, monday):
    with pytest.raises(ValidationError, match="not a PA"):
        book(family, other_pa, at(monday, 8), at(monday, 14), parent)


def test_bad_times_are_refused_with_a_message_and_nothing_saved(family, parent, monday):
    with pytest.raises(ValidationError, match="end after it starts"):
        services.create_shift(recipient=family, start=at(monday, 14), end=at(monday, 8), kind="day", actor=parent)
    with pytest.raises(ValidationError, match="at most 24 hours"):
        services.create_shift(recipient=family, start=at(monday, 8), end=at(monday, 8) + datetime.timedelta(hours=25),
                              kind="day", actor=parent)
    with pytest.raises(ValidationError, match="time zone"):
        services.create_shift(recipient=family, start=datetime.datetime(YEAR, 3, 1, 8),
                              end=datetime.datetime(YEAR, 3, 1, 9), kind="day", actor=parent)
    assert not Shift.objects.exists()


# --- The competency gate ------------------------------------------------------------


def test_pa_without_valid_competency_cannot_be_confirmed(family, parent, pa, suction, nine_to_five):
    start, end = nine_to_five
    with pytest.raises(ValidationError, match="no signed-off competency in Tracheostomy suction"):
        book(family, pa, start, end, parent, tasks=[suction])
    assert not Shift.objects.exists()


def test_competency_ending_exactly_at_the_shift_end_covers_it(family, parent, pa, suction, nine_to_five):
    start, end = nine_to_five
    signed_off(pa, family, suction, valid_from=start - datetime.timedelta(days=30), valid_until=end)
    assert book(family, pa, start, end, parent, tasks=[suction]).status == Shift.Status.CONFIRMED


def test_competency_ending_a_minute_before_the_shift_end_does_not(family, parent, pa, suction, nine_to_five):
    start, end = nine_to_five
    signed_off(pa, family, suction, valid_from=start - datetime.timedelta(days=30),
               valid_until=end - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="covers the whole shift"):
        book(family, pa, start, end, parent, tasks=[suction])


def test_competency_starting_after_the_shift_starts_does_not_cover_it(family, parent, pa, suction, nine_to_five):
    start, end = nine_to_five
    signed_off(pa, family, suction, valid_from=start + datetime.timedelta(minutes=1),
               valid_until=end + datetime.timedelta(days=300))
    with pytest.raises(ValidationError):
        book(family, pa, start, end, parent, tasks=[suction])


def test_competency_for_another_person_does_not_count(family, other_family, parent, pa, suction, nine_to_five):
    start, end = nine_to_five
    signed_off(pa, other_family, suction, valid_from=start - datetime.timedelta(days=1),
               valid_until=end + datetime.timedelta(days=300))
    with pytest.raises(ValidationError):
        book(family, pa, start, end, parent, tasks=[suction])


def test_gate_is_checked_again_when_a_booked_shift_moves(family, parent, pa, suction, nine_to_five):
    start, end = nine_to_five
    signed_off(pa, family, suction, valid_from=start - datetime.timedelta(days=1), valid_until=end)
    shift = book(family, pa, start, end, parent, tasks=[suction])
    with pytest.raises(ValidationError, match="covers the whole shift"):
        services.update_shift(shift=shift, actor=parent, expected_version=shift.version, start=start,
                              end=end + datetime.timedelta(hours=1), kind="day", tasks=[suction])
    shift.refresh_from_db()
    assert shift.end == end and shift.pa == pa


def test_adding_a_task_to_a_booked_shift_needs_the_competency(family, parent, pa, suction, nine_to_five):
    shift = book(family, pa, *nine_to_five, parent)
    with pytest.raises(ValidationError):
        services.update_shift(shift=shift, actor=parent, expected_version=shift.version, start=shift.start,
                              end=shift.end, kind="day", tasks=[suction])
    assert not shift.tasks.exists()


# --- Clock changes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "evening, morning, hours",
    [
        ("2026-03-28", "2026-03-29", Decimal(9)),  # clocks go forward at 01:00: an hour shorter
        ("2026-10-24", "2026-10-25", Decimal(11)),  # clocks go back at 02:00: an hour longer
        ("2026-06-13", "2026-06-14", Decimal(10)),
    ],
)
def test_a_night_across_the_clock_change_has_its_real_length(family, parent, evening, morning, hours):
    shift = services.create_shift(recipient=family, start=at(evening, 22), end=at(morning, 8), kind="waking_night",
                                  actor=parent)
    assert shift.hours == hours


def test_clock_change_night_is_paid_for_the_hours_worked(family, parent, pa):
    from rota.queries import shift_pay

    with freeze_time("2026-03-01"):
        shift = book(family, pa, at("2026-03-28", 22), at("2026-03-29", 8), parent)
    assert shift_pay(shift) == Decimal("13.50") * 9


# --- Working-time warnings ----------------------------------------------------------


def test_less_than_eleven_hours_rest_is_a_warning_not_a_refusal(family, parent, pa, monday):
    book(family, pa, at(monday, 14), at(monday, 22), parent)
    next_day = monday + datetime.timedelta(days=1)
    shift = book(family, pa, at(next_day, 7), at(next_day, 12), parent)
    assert shift.status == Shift.Status.CONFIRMED
    assert any("only 9 hours' rest" in w for w in shift.warnings)


def test_eleven_hours_rest_gives_no_warning(family, parent, pa, monday):
    book(family, pa, at(monday, 8), at(monday, 20), parent)
    next_day = monday + datetime.timedelta(days=1)
    shift = book(family, pa, at(next_day, 7), at(next_day, 12), parent)
    assert not [w for w in shift.warnings if "rest" in w]


def test_more_than_48_hours_in_a_week_is_a_warning(family, parent, pa, monday):
    for n in range(4):  # 4 x 12 = 48 hours: allowed without a warning
        day = monday + datetime.timedelta(days=n)
        shift = book(family, pa, at(day, 7), at(day, 19), parent)
    assert not [w for w in shift.warnings if "48" in w]
    friday = monday + datetime.timedelta(days=4)
    shift = book(family, pa, at(friday, 7), at(friday, 8), parent)
    assert shift.status == Shift.Status.CONFIRMED
    assert any("49 hours" in w and "more than 48" in w for w in shift.warnings)


def test_the_48_hour_week_is_the_local_monday_to_sunday(family, parent, pa, monday):
    for n in range(4):
        day = monday + datetime.timedelta(days=n)
        book(family, pa, at(day, 7), at(day, 19), parent)
    next_monday = monday + datetime.timedelta(days=7)
    shift = book(family, pa, at(next_monday, 7), at(next_monday, 19), parent)
    assert not [w for w in shift.warnings if "48" in w]


# --- Optimistic locking -------------------------------------------------------------


def test_a_change_based_on_a_stale_version_is_refused(family, parent, carer, monday):
    shift = services.create_shift(recipient=family, start=at(monday, 8), end=at(monday, 12), kind="day", actor=parent)
    seen = shift.version
    services.update_shift(shift=shift, actor=carer, expected_version=seen, start=at(monday, 9), end=at(monday, 12),
                          kind="day", tasks=[], notes="Carer moved it")
    with pytest.raises(services.StaleShift) as stale:
        services.update_shift(shift=shift, actor=parent, expected_version=seen, start=at(monday, 8),
                              end=at(monday, 13), kind="day", tasks=[], notes="Parent's edit")
    assert str(stale.value) == "Changed by someone else — here is the current shift."
    assert stale.value.current.notes == "Carer moved it"
    shift.refresh_from_db()
    assert (shift.start, shift.notes, shift.version) == (at(monday, 9), "Carer moved it", seen + 1)


def test_stale_version_refuses_booking_and_cancelling_too(family, parent, pa, monday):
    shift = services.create_shift(recipient=family, start=at(monday, 8), end=at(monday, 12), kind="day", actor=parent)
    old = shift.version
    services.update_shift(shift=shift, actor=parent, expected_version=old, start=at(monday, 8), end=at(monday, 13),
                          kind="day", tasks=[])
    with pytest.raises(services.StaleShift):
        services.confirm_shift(shift=shift, pa=pa, actor=parent, expected_version=old)
    with pytest.raises(services.StaleShift):
        services.cancel_shift(shift=shift, actor=parent, reason="x", expected_version=old)
    shift.refresh_from_db()
    assert shift.status == Shift.Status.DRAFT and shift.pa is None


def test_every_change_moves_the_version_on(family, parent, pa, monday):
    shift = services.create_shift(recipient=family, start=at(monday, 8), end=at(monday, 12), kind="day", actor=parent)
    assert shift.version == 1
    shift = services.confirm_shift(shift=shift, pa=pa, actor=parent, expected_version=1)
    assert shift.version == 2


def test_database_refuses_a_confirmed_shift_without_a_pa(family):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ShiftFactory(recipient=family, status=Shift.Status.CONFIRMED, pa=None)


@pytest.mark.services
def test_postgresql_itself_refuses_double_booking(family, pa, monday):
    from django.db import IntegrityError, transaction

    ShiftFactory(recipient=family, pa=pa, start=at(monday, 9), end=at(monday, 15))
    ShiftFactory(recipient=family, pa=pa, start=at(monday, 15), end=at(monday, 18))  # touching is fine
    with pytest.raises(IntegrityError), transaction.atomic():
        ShiftFactory(recipient=family, pa=pa, start=at(monday, 14), end=at(monday, 16))
