"""The rota pages: who may see and do what (404 outside the circle, 403 inside without the right,
405 wrong method), adding and changing shifts, and query counts that do not grow with the rota."""
import datetime

import pytest
from django.urls import reverse

from care.models import Role
from rota import services
from rota.models import Shift
from tests.factories import member

from .factories import YEAR, ShiftFactory, at, signed_off


def week_url(recipient, day):
    return reverse("rota:week", args=[recipient.pk]) + f"?week={day.isoformat()}"


def test_week_page_shows_the_shifts_of_that_week(client, family, parent, pa, monday):
    ShiftFactory(recipient=family, pa=pa, start=at(monday, 9), end=at(monday, 15))
    ShiftFactory(recipient=family, start=at(monday + datetime.timedelta(days=2), 18),
                 end=at(monday + datetime.timedelta(days=2), 22))
    ShiftFactory(recipient=family, start=at(monday + datetime.timedelta(days=7), 9),
                 end=at(monday + datetime.timedelta(days=7), 10))
    client.force_login(parent)
    body = client.get(week_url(family, monday + datetime.timedelta(days=3))).content.decode()
    assert body.count('class="card shift-card') == 2
    assert "09:00–15:00 · 6 h" in body and "<strong>Open</strong>" in body
    assert 'data-ws-path="/ws/rota/%d/"' % family.pk in body
    assert f'href="?week={YEAR}-03-08"' in body and f'href="?week={YEAR}-02-22"' in body
    assert "js/rota.js" in body and "<script>" not in body  # no inline script


def test_week_page_refuses_other_families_and_anonymous(client, family, other_parent, parent):
    client.force_login(other_parent)
    assert client.get(reverse("rota:week", args=[family.pk])).status_code == 404
    client.force_login(parent)  # the same request as someone in the circle works
    assert client.get(reverse("rota:week", args=[family.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("rota:week", args=[family.pk])).status_code == 302


def test_a_pa_sees_the_rota_but_cannot_add_shifts(client, family, pa, parent, monday):
    client.force_login(pa)
    url = reverse("rota:new", args=[family.pk])
    assert client.get(reverse("rota:week", args=[family.pk])).status_code == 200
    assert client.get(url).status_code == 403
    client.force_login(parent)
    assert client.get(url).status_code == 200


def test_adding_a_shift_on_the_page(client, family, parent, pa, monday):
    client.force_login(parent)
    response = client.post(reverse("rota:new", args=[family.pk]), {
        "day": f"{YEAR}-03-01", "start_time": "22:00", "end_time": "07:00", "kind": "sleep_in", "pa": pa.pk,
        "notes": "Sleep-in",
    })
    assert response.status_code == 302
    shift = Shift.objects.get()
    assert (shift.start, shift.end, shift.pa, shift.status) == (at(monday, 22), at(f"{YEAR}-03-02", 7), pa, "confirmed")


def test_a_time_the_clocks_skip_is_refused_with_a_message(client, family, parent):
    client.force_login(parent)
    response = client.post(reverse("rota:new", args=[family.pk]), {
        "day": f"{YEAR}-03-28", "start_time": "01:30", "end_time": "06:00", "kind": "day",
    })
    assert response.status_code == 400
    assert "clocks go forward" in response.content.decode()
    assert not Shift.objects.exists()


def test_a_refused_booking_shows_why_and_saves_nothing(client, family, parent, pa, pa2, suction):
    signed_off(pa2, family, suction, at(f"{YEAR}-01-01", 0), at(f"{YEAR + 1}-01-01", 0))  # delegated here, but not to pa
    client.force_login(parent)
    response = client.post(reverse("rota:new", args=[family.pk]), {
        "day": f"{YEAR}-03-01", "start_time": "09:00", "end_time": "15:00", "kind": "day", "pa": pa.pk,
        "tasks": [suction.pk],
    })
    assert response.status_code == 400
    assert "no signed-off competency" in response.content.decode()
    assert not Shift.objects.exists()


def test_editing_with_a_stale_version_shows_the_current_shift(client, family, parent, carer, monday):
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 12), kind="day", actor=parent)
    form = {"day": f"{YEAR}-03-01", "start_time": "09:00", "end_time": "13:00", "kind": "day",
            "version": shift.version, "notes": ""}
    client.force_login(carer)
    assert client.post(reverse("rota:edit", args=[shift.pk]), {**form, "notes": "carer"}).status_code == 302
    client.force_login(parent)
    response = client.post(reverse("rota:edit", args=[shift.pk]), {**form, "end_time": "14:00", "notes": "parent"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Changed by someone else — here is the current shift." in body
    assert "09:00–13:00" in body and 'name="version" value="2"' in body
    shift.refresh_from_db()
    assert shift.notes == "carer" and shift.end == at(monday, 13)


@pytest.mark.parametrize("action", ["assign", "offer", "cancel", "needs_cover", "answer"])
def test_shift_actions_refuse_get(client, family, parent, action, monday):
    shift = ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 12))
    client.force_login(parent)
    assert client.get(reverse(f"rota:{action}", args=[shift.pk])).status_code == 405


@pytest.mark.parametrize("action", ["assign", "offer", "cancel", "needs_cover"])
def test_shift_actions_need_the_right_in_the_circle(client, family, parent, pa, other_parent, action, monday):
    shift = ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 12))
    url = reverse(f"rota:{action}", args=[shift.pk])
    data = {"reason": "x", "pa": pa.pk, "version": shift.version}
    client.force_login(other_parent)
    assert client.post(url, data).status_code == 404
    client.force_login(pa)
    assert client.post(url, data).status_code == 403
    client.force_login(parent)
    assert client.post(url, {**data, "reason": "Not needed"}).status_code == 302


def test_cancelling_on_the_page(client, family, parent, pa, monday):
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 12), kind="day",
                                  actor=parent, pa=pa)
    client.force_login(parent)
    response = client.post(reverse("rota:cancel", args=[shift.pk]), {"reason": "", "version": shift.version})
    assert response.status_code == 302
    assert Shift.objects.get().status == "confirmed"  # a reason is required
    client.post(reverse("rota:cancel", args=[shift.pk]), {"reason": "Away", "version": shift.version})
    assert Shift.objects.get().status == "cancelled"


def test_shift_page_shows_cost_only_to_budget_viewers(client, family, parent, carer, pa, monday):
    shift = ShiftFactory(recipient=family, pa=pa, start=at(monday, 9), end=at(monday, 12))
    client.force_login(parent)
    assert "including on-costs" in client.get(reverse("rota:shift", args=[shift.pk])).content.decode()
    client.force_login(carer)
    assert "including on-costs" not in client.get(reverse("rota:shift", args=[shift.pk])).content.decode()


def test_budget_page_needs_view_budget(client, family, parent, carer, other_parent):
    url = reverse("rota:budget", args=[family.pk])
    client.force_login(other_parent)
    assert client.get(url).status_code == 404
    client.force_login(carer)
    assert client.get(url).status_code == 403
    client.force_login(parent)
    assert client.get(url).status_code == 200


def make_rota(family, monday, shifts, pas):
    people = [member(family, Role.PA, username=f"pa-{n}") for n in range(pas)]
    from .factories import task

    suction = task()
    for n in range(shifts):
        day = monday + datetime.timedelta(days=n % 7)
        shift = ShiftFactory(recipient=family, pa=people[n % pas], start=at(day, n // 7),
                             end=at(day, n // 7) + datetime.timedelta(minutes=50))
        shift.tasks.add(suction)


@pytest.mark.parametrize("shifts, pas", [(1, 1), (40, 6)])
def test_rota_page_queries_do_not_grow_with_shifts_or_pas(client, family, parent, monday, shifts, pas,
                                                          django_assert_max_num_queries):
    make_rota(family, monday, shifts, pas)
    client.force_login(parent)
    # A first view (nothing kept yet, rota.week_cache): session, user, recipient; the user's
    # permissions on the person (one query, remembered for the view, manage and budget checks); the
    # budget; the page's state (sequence number, needs-cover count and the fingerprint of what it
    # keeps); the week's shifts with their offer counts, their tasks; the PAs' terms and the shifts
    # of the budget period and the week together (week_and_budget: one pass for both figures); who is
    # away: 11. A repeat view is 6 (tests/rota/test_week_cache.py).
    with django_assert_max_num_queries(12):
        response = client.get(week_url(family, monday))
    assert response.content.decode().count('class="card shift-card') == shifts


@pytest.mark.parametrize("shifts", [1, 30])
def test_my_shifts_page_queries_do_not_grow(client, family, other_family, pa, shifts, django_assert_max_num_queries):
    member(other_family, Role.PA, user=pa)
    start = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
    for n in range(shifts):
        ShiftFactory(recipient=[family, other_family][n % 2], pa=pa, start=start + datetime.timedelta(hours=n),
                     end=start + datetime.timedelta(hours=n, minutes=50))
    client.force_login(pa)
    # session + user, the PA's circles, their shifts with counts, tasks, offers waiting (+ tasks), is_pa
    with django_assert_max_num_queries(10):
        body = client.get(reverse("rota:mine")).content.decode()
    assert body.count('class="card shift-card') == shifts
    assert other_family.display_name in body or shifts == 1


def test_my_shifts_hides_circles_the_pa_has_left(client, family, parent, pa, monday):
    from care.models import Membership
    from care.services import end_membership

    ShiftFactory(recipient=family, pa=pa, start=at(monday, 9), end=at(monday, 12))
    end_membership(membership=Membership.objects.get(user=pa, role=Role.PA), actor=parent)
    client.force_login(pa)
    assert 'class="card shift-card' not in client.get(reverse("rota:mine")).content.decode()
