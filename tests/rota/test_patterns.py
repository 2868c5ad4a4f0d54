"""Weekly patterns and copying a week: every shift made through the rota's own service and rules,
a clash leaves that shift open and says why, wall-clock times across a clock change, "this and
following" edits, ending a pattern with one confirmation, and a week page that stays flat in queries."""
import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import Message
from rota import services
from rota.models import Shift, ShiftPattern

from .factories import YEAR, ShiftFactory, at


def local(dt):
    return timezone.localtime(dt)


def make(family, parent, **kwargs):
    defaults = dict(recipient=family, actor=parent, weekdays=[0, 1, 2, 3, 4], start_time=datetime.time(8),
                    end_time=datetime.time(15), kind="day", starts_on=datetime.date(YEAR, 3, 1), weeks=2)
    return services.create_pattern(**{**defaults, **kwargs})


def test_a_weekday_pattern_books_the_pa_on_every_shift_with_one_text(family, parent, pa):
    made = make(family, parent, pa=pa)
    assert len(made.shifts) == 10 and not made.left_open
    assert all(s.pa_id == pa.pk and s.status == Shift.Status.CONFIRMED for s in made.shifts)
    assert [local(s.start).date().weekday() for s in made.shifts[:5]] == [0, 1, 2, 3, 4]
    assert Message.objects.filter(to=pa.profile.mobile, purpose="rota-booked").count() == 1
    assert "10 shifts" in Message.objects.get(to=pa.profile.mobile, purpose="rota-booked").body


def test_a_pattern_over_the_spring_clock_change_keeps_wall_clock_times_and_real_hours(family, parent, pa):
    # The clocks go forward at 01:00 on Sunday 28 March YEAR: a 22:00–08:00 sleep-in that night is 9 hours.
    made = make(family, parent, pa=pa, weekdays=[5, 6], start_time=datetime.time(22), end_time=datetime.time(8),
                kind="sleep_in", starts_on=datetime.date(YEAR, 3, 20), weeks=2)
    by_day = {local(s.start).date(): s for s in made.shifts}
    assert all(local(s.start).time() == datetime.time(22) and local(s.end).time() == datetime.time(8)
               for s in made.shifts)
    assert by_day[datetime.date(YEAR, 3, 27)].hours == 9  # Sat night into the change
    assert by_day[datetime.date(YEAR, 3, 20)].hours == 10
    assert by_day[datetime.date(YEAR, 3, 28)].hours == 10


def test_a_clash_leaves_that_shift_open_and_says_why(family, parent, pa, other_family):
    # The PA already works for another family on Wednesday of the first week.
    ShiftFactory(recipient=other_family, pa=pa, start=at(datetime.date(YEAR, 3, 3), 12),
                 end=at(datetime.date(YEAR, 3, 3), 18))
    made = make(family, parent, pa=pa)
    assert len(made.shifts) == 10 and len(made.left_open) == 1
    shift, why = made.left_open[0]
    assert local(shift.start).date() == datetime.date(YEAR, 3, 3) and shift.pa is None and shift.is_open
    assert "already has a shift then" in why and str(other_family) not in why
    assert sum(1 for s in made.shifts if s.pa_id == pa.pk) == 9


def test_alternate_weekends(family, parent):
    made = make(family, parent, weekdays=[5, 6], every_weeks=2, weeks=4)
    assert [local(s.start).date().day for s in made.shifts] == [6, 7, 20, 21]


def test_a_pattern_without_any_day_is_refused_and_saves_nothing(family, parent):
    with pytest.raises(ValidationError, match="at least one day"):
        make(family, parent, weekdays=[])
    assert not ShiftPattern.objects.exists() and not Shift.objects.exists()


def test_this_and_following_moves_this_and_later_shifts_not_earlier_ones(family, parent, pa):
    made = make(family, parent, pa=pa)
    third = made.shifts[2]
    services.update_following(shift=third, actor=parent, expected_version=third.version,
                              start=at(local(third.start).date(), 9), end=at(local(third.start).date(), 16),
                              kind="day", tasks=[], notes="Later start")
    times = [(local(s.start).time().hour, local(s.end).time().hour, s.notes) for s in
             Shift.objects.filter(pattern=made.pattern).order_by("start")]
    assert times[:2] == [(8, 15, "")] * 2
    assert times[2:] == [(9, 16, "Later start")] * 8
    assert all(s.pa_id == pa.pk for s in Shift.objects.filter(pattern=made.pattern))


def test_this_and_following_refuses_everything_when_one_later_shift_cannot_take_it(family, parent, pa,
                                                                                    other_family):
    made = make(family, parent, pa=pa)
    ShiftFactory(recipient=other_family, pa=pa, start=at(datetime.date(YEAR, 3, 10), 15),
                 end=at(datetime.date(YEAR, 3, 10), 18))
    first = made.shifts[0]
    with pytest.raises(ValidationError) as refusal:
        services.update_following(shift=first, actor=parent, expected_version=first.version,
                                  start=at(datetime.date(YEAR, 3, 1), 8), end=at(datetime.date(YEAR, 3, 1), 17),
                                  kind="day", tasks=[])
    assert "Wed 10 Mar" in refusal.value.messages[0]
    assert set(Shift.objects.filter(pattern=made.pattern).values_list("version", flat=True)) == {2}


def test_this_and_following_on_the_page_asks_which(client, family, parent, pa):
    made = make(family, parent, pa=pa)
    second = made.shifts[1]
    client.force_login(parent)
    url = reverse("rota:edit", args=[second.pk])
    assert "This and the following shifts of the pattern" in client.get(url).content.decode()
    data = {"day": f"{YEAR}-03-02", "start_time": "07:00", "end_time": "15:00", "kind": "day", "notes": "",
            "location": "", "version": second.version}
    response = client.post(url, data)
    assert response.status_code == 400 and "only this shift, or this and the following" in response.content.decode()
    response = client.post(url, {**data, "scope": "following"})
    assert response.status_code == 302
    hours = [local(s.start).hour for s in Shift.objects.filter(pattern=made.pattern).order_by("start")]
    assert hours == [8] + [7] * 9


def test_ending_a_pattern_asks_once_then_cancels_its_future_shifts(client, family, parent, pa):
    made = make(family, parent, pa=pa)
    client.force_login(parent)
    url = reverse("rota:pattern_end", args=[made.pattern.pk])
    body = client.get(url).content.decode()
    assert "cancels 10 future shifts" in body
    assert client.post(url, {"reason": ""}).status_code == 400
    assert Shift.objects.live().filter(pattern=made.pattern).count() == 10
    response = client.post(url, {"reason": "Moving to a new rota", "confirm": "yes"})
    assert response.status_code == 302
    assert not Shift.objects.live().filter(pattern=made.pattern).exists()
    told = Message.objects.filter(to=pa.profile.mobile, purpose="rota-cancelled")
    assert told.count() == 1 and "10 shifts from" in told.get().body  # one text, not ten
    made.pattern.refresh_from_db()
    assert made.pattern.ended_at is not None


def test_ending_a_pattern_leaves_worked_shifts_alone(family, parent, pa):
    made = make(family, parent, pa=pa)
    worked = made.shifts[0]
    Shift.objects.filter(pk=worked.pk).update(status=Shift.Status.COMPLETED)
    services.end_pattern(pattern=made.pattern, actor=parent, reason="Done")
    assert Shift.objects.get(pk=worked.pk).status == Shift.Status.COMPLETED


def test_pattern_pages_are_404_outside_the_circle_and_403_for_a_pa(client, family, parent, pa, other_parent):
    made = make(family, parent)
    for name in ("rota:pattern", "rota:pattern_end"):
        url = reverse(name, args=[made.pattern.pk])
        client.force_login(other_parent)
        assert client.get(url).status_code == 404
    client.force_login(pa)
    assert client.get(reverse("rota:pattern", args=[made.pattern.pk])).status_code == 200
    assert client.post(reverse("rota:pattern_end", args=[made.pattern.pk]),
                       {"reason": "x", "confirm": "yes"}).status_code == 403
    assert client.post(reverse("rota:pattern_new", args=[family.pk]), {}).status_code == 403


def test_making_a_pattern_on_the_page(client, family, parent, pa):
    client.force_login(parent)
    response = client.post(reverse("rota:pattern_new", args=[family.pk]), {
        "weekdays": ["0", "2", "4"], "start_time": "08:00", "end_time": "15:00", "kind": "day",
        "starts_on": f"{YEAR}-03-01", "weeks": "3", "every_weeks": "1", "pa": pa.pk,
    }, follow=True)
    body = response.content.decode()
    assert "9 shifts made" in body
    assert Shift.objects.filter(pattern__isnull=False, pa=pa).count() == 9


def test_copying_a_week_books_the_same_pas_or_leaves_open_with_why(client, family, parent, pa, other_family):
    monday = datetime.date(YEAR, 3, 1)
    ShiftFactory(recipient=family, pa=pa, start=at(monday, 9), end=at(monday, 17))
    ShiftFactory(recipient=family, start=at(monday + datetime.timedelta(days=2), 9),
                 end=at(monday + datetime.timedelta(days=2), 12))
    ShiftFactory(recipient=other_family, pa=pa, start=at(monday + datetime.timedelta(days=7), 8),
                 end=at(monday + datetime.timedelta(days=7), 10))
    client.force_login(parent)
    response = client.post(reverse("rota:copy_week", args=[family.pk]),
                           {"from_week": monday.isoformat(), "to_week": (monday + datetime.timedelta(days=7)).isoformat()},
                           follow=True)
    body = response.content.decode()
    assert "2 shifts copied" in body and "1 left open" in body and "already has a shift then" in body
    copies = Shift.objects.filter(recipient=family, start__gte=at(monday + datetime.timedelta(days=7), 0))
    assert copies.count() == 2 and not copies.filter(pa__isnull=False).exists()


def test_week_page_queries_stay_flat_with_pattern_shifts(client, family, parent, pa, django_assert_max_num_queries):
    client.force_login(parent)
    url = reverse("rota:week", args=[family.pk]) + f"?week={YEAR}-03-01"
    make(family, parent, weekdays=[0], weeks=1)
    client.get(url)
    cache.clear()  # both views read the rota (a kept week would answer either in a few queries)
    with django_assert_max_num_queries(30) as one:
        client.get(url)
    make(family, parent, weekdays=[0, 1, 2, 3, 4, 5, 6], weeks=1, pa=pa, start_time=datetime.time(16),
         end_time=datetime.time(20))
    cache.clear()
    with django_assert_max_num_queries(len(one.captured_queries)) as many:
        body = client.get(url).content.decode()
    assert body.count("shift-pattern") == 8  # every card says it repeats
    assert len(many.captured_queries) == len(one.captured_queries)
