"""The rota page keeps its week between views (rota.week_cache): a repeat view reads little and is the
same page; every change to something the page shows, made the way people make it (a page, a
service, a text reply, the signal of a lapsed competency), shows on the very next view; and every
kind of viewer gets their own page, never one kept for another."""
import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from competencies import services as competency_services
from employment.services import decide_leave, record_sickness, request_leave, set_terms
from rota import services
from rota.models import Offer, Shift
from rota.queries import monday_of
from tests.factories import BudgetFactory

from .factories import YEAR, at, signed_off


@pytest.fixture(autouse=True)
def _oncosts(settings):
    settings.ROTA_EMPLOYER_ONCOST_PERCENT = "20"


@pytest.fixture
def budget(family):
    return BudgetFactory(recipient=family, period_start=datetime.date(YEAR - 1, 4, 1),
                         period_end=datetime.date(YEAR, 4, 1), amount=Decimal("5000.00"),
                         contingency=Decimal("0"))


def view(client, user, family, day):
    client.force_login(user)
    return page(client, family, day)


def page(client, family, day):
    response = client.get(reverse("rota:week", args=[family.pk]) + f"?week={day.isoformat()}")
    assert response.status_code == 200
    # the CSRF token differs from view to view; nothing else may
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def planned(body):
    return re.search(r"Planned this week: £([\d,.]+) including on-costs", body).group(1)


def card(body, shift):
    return re.search(r'<li class="card[^>]*data-shift-id="%d".*?</li>' % shift.pk, body, re.S).group(0)


def booked(family, parent, pa, monday, hour=9, **kwargs):
    return services.create_shift(recipient=family, start=at(monday, hour), end=at(monday, hour + 6), kind="day",
                                 actor=parent, pa=pa, **kwargs)


def test_a_repeat_view_is_the_same_page_from_six_queries(client, family, parent, pa, budget, monday,
                                                         django_assert_max_num_queries):
    booked(family, parent, pa, monday)
    services.create_shift(recipient=family, start=at(monday, 18), end=at(monday, 22), kind="day", actor=parent)
    first = view(client, parent, family, monday)
    # session, user, person, the user's permissions on them, the budget, the page's state (its
    # number, needs-cover count and the fingerprint of the shifts, terms and absences): no shifts,
    # tasks, terms, absences or costing
    with django_assert_max_num_queries(6):
        again = page(client, family, monday)
    assert again == first and first.count('class="card shift-card') == 2


def test_a_kept_week_is_the_page_read_afresh_for_every_kind_of_viewer(client, family, parent, carer, pa, nurse,
                                                                       coordinator, budget, monday):
    booked(family, parent, pa, monday)
    viewers = [parent, carer, pa, nurse, coordinator]
    afresh = {}
    for user in viewers:
        cache.clear()
        afresh[user.username] = view(client, user, family, monday)
    cache.clear()
    for user in viewers + viewers[::-1]:  # each one after another kind of viewer has filled the cache
        assert view(client, user, family, monday) == afresh[user.username], user.username
    # and they differ where they should: the budget holder's figures, the planners' "add" links
    assert "Planned this week" in afresh["parent"] and "Planned this week" not in afresh["grandparent"]
    assert "+ Add shift" in afresh["grandparent"] and "+ Add shift" not in afresh["pa"]
    assert "Planned this week" not in afresh["pa"] and "Planned this week" not in afresh["nurse"]


def test_adding_a_shift_shows_at_once(client, family, parent, pa, budget, monday):
    booked(family, parent, pa, monday)
    before = view(client, parent, family, monday)
    response = client.post(reverse("rota:new", args=[family.pk]), {
        "day": monday.isoformat(), "start_time": "18:00", "end_time": "20:00", "kind": "day", "pa": pa.pk,
    })
    assert response.status_code == 302
    after = view(client, parent, family, monday)
    assert after.count('class="card shift-card') == before.count('class="card shift-card') + 1
    assert (planned(before), planned(after)) == ("97.20", "129.60")  # + 2 h x £13.50 x 1.2


def test_editing_a_shift_shows_at_once(client, family, parent, pa, budget, monday):
    shift = booked(family, parent, pa, monday)
    assert "09:00–15:00" in card(view(client, parent, family, monday), shift)
    response = client.post(reverse("rota:edit", args=[shift.pk]), {
        "day": monday.isoformat(), "start_time": "10:00", "end_time": "12:00", "kind": "day",
        "version": shift.version, "notes": "",
    })
    assert response.status_code == 302
    after = view(client, parent, family, monday)
    assert "10:00–12:00" in card(after, shift) and planned(after) == "32.40"


def test_cancelling_a_shift_shows_at_once(client, family, parent, pa, budget, monday):
    shift = booked(family, parent, pa, monday)
    assert planned(view(client, parent, family, monday)) == "97.20"
    client.post(reverse("rota:cancel", args=[shift.pk]), {"reason": "Away", "version": shift.version})
    after = view(client, parent, family, monday)
    assert "status-cancelled" in card(after, shift) and planned(after) == "0.00"


def test_booking_and_unbooking_a_pa_show_at_once(client, family, parent, pa, pa2, budget, monday):
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                  actor=parent)
    assert "<strong>Open</strong>" in card(view(client, parent, family, monday), shift)
    client.post(reverse("rota:assign", args=[shift.pk]), {"pa": pa.pk, "version": shift.version})
    after = view(client, parent, family, monday)
    assert pa.get_full_name() in card(after, shift) and planned(after) == "97.20"
    shift.refresh_from_db()
    services.mark_needs_cover(shift=shift, actor=parent, reason="Unwell")
    shift.refresh_from_db()
    client.post(reverse("rota:offer", args=[shift.pk]), {"version": shift.version})  # unbooks and offers
    after = view(client, parent, family, monday)
    assert "<strong>Open</strong>" in card(after, shift) and pa.get_full_name() not in card(after, shift)


def test_answers_to_an_offer_show_at_once(client, family, parent, pa, pa2, budget, monday):
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                  actor=parent)
    services.offer_shift(shift=shift, actor=parent)
    assert "Offered to 2</small>" in card(view(client, parent, family, monday), shift)
    services.answer_offer(offer=Offer.objects.get(shift=shift), pa=pa2, accept=False)
    assert "Offered to 2, 1 declined" in card(view(client, parent, family, monday), shift)
    services.answer_offer(offer=Offer.objects.get(shift=shift), pa=pa, accept=True)
    after = card(view(client, parent, family, monday), shift)
    assert pa.get_full_name() in after and "offer-state" not in after


def test_a_swap_shows_at_once(client, family, parent, pa, pa2, budget, monday):
    shift = booked(family, parent, pa, monday)
    assert "shift-swap" not in card(view(client, parent, family, monday), shift)
    swap = services.ask_swap(shift=shift, pa=pa, to_pa=pa2)
    assert "Swap asked" in card(view(client, parent, family, monday), shift)
    services.answer_swap(swap=swap, pa=pa2, accept=True)
    assert "Swap to approve" in card(view(client, parent, family, monday), shift)


def test_new_pay_terms_show_in_the_cost_at_once(client, family, parent, pa, budget, monday):
    booked(family, parent, pa, monday)
    assert planned(view(client, parent, family, monday)) == "97.20"  # the profile's £13.50
    set_terms(recipient=family, pa=pa, actor=parent, effective_from=timezone.localdate(), hourly_rate="15.00",
              sleep_in_allowance="100.00", leave_year_start=datetime.date(YEAR, 4, 1), weekly_hours=Decimal("20"),
              days_per_week=Decimal("5"))
    assert planned(view(client, parent, family, monday)) == "108.00"  # 6 h x £15 x 1.2


def test_a_new_profile_rate_shows_in_the_cost_at_once(client, family, parent, pa, budget, monday,
                                                      django_capture_on_commit_callbacks):
    booked(family, parent, pa, monday)
    assert planned(view(client, parent, family, monday)) == "97.20"
    with django_capture_on_commit_callbacks(execute=True):
        pa.pa_profile.hourly_rate = Decimal("14.00")
        pa.pa_profile.save()
    assert planned(view(client, parent, family, monday)) == "100.80"


def test_a_budget_change_shows_at_once(client, family, parent, pa, budget, monday):
    booked(family, parent, pa, monday)
    assert "over the budget" not in view(client, parent, family, monday)
    budget.amount = Decimal("50.00")
    budget.save()
    assert "The rota is planned £47.20 over the budget" in view(client, parent, family, monday)


def test_a_lapsed_competency_flags_the_card_at_once(client, family, parent, pa, nurse, suction, budget, monday):
    competency = signed_off(pa, family, suction, at(f"{YEAR}-01-01", 0), at(f"{YEAR + 1}-01-01", 0))
    shift = booked(family, parent, pa, monday, tasks=[suction])
    assert "Needs cover" not in card(view(client, parent, family, monday), shift)
    competency_services.revoke(competency=competency, actor=nurse, reason="Unsafe practice seen")
    assert "Needs cover" in card(view(client, parent, family, monday), shift)


def test_a_renamed_pa_shows_at_once(client, family, parent, pa, budget, monday, django_capture_on_commit_callbacks):
    shift = booked(family, parent, pa, monday)
    assert pa.get_full_name() in card(view(client, parent, family, monday), shift)
    with django_capture_on_commit_callbacks(execute=True):
        pa.first_name, pa.last_name = "Renamed", "Person"
        pa.save()
    assert "Renamed Person" in card(view(client, parent, family, monday), shift)


def test_a_shift_written_without_the_services_still_shows(client, family, parent, pa, budget, monday):
    """Not a path the product takes, but one tests and scripts do: the key counts the shifts."""
    booked(family, parent, pa, monday)
    view(client, parent, family, monday)
    Shift.objects.create(recipient=family, start=at(monday, 18), end=at(monday, 19), created_by=parent)
    assert view(client, parent, family, monday).count('class="card shift-card') == 2


def test_leave_and_sickness_show_at_once(client, family, parent, pa, pa2, budget):
    soon = monday_of(timezone.localdate() + datetime.timedelta(days=14))  # leave is asked for weeks ahead, not years
    booked(family, parent, pa, soon)
    assert "Away this week" not in view(client, parent, family, soon)
    wednesday, friday = soon + datetime.timedelta(days=2), soon + datetime.timedelta(days=4)
    leave = request_leave(recipient=family, pa=pa2, actor=pa2, first_day=wednesday, last_day=wednesday)
    assert "Away this week" not in view(client, parent, family, soon)  # asked for, not yet approved
    decide_leave(absence=leave, actor=parent, approve=True)
    assert f"Away this week: {pa2.get_full_name()}, on holiday on {wednesday:%a %d %b}." in \
        view(client, parent, family, soon)
    record_sickness(recipient=family, pa=pa, actor=parent, first_day=friday, last_day=friday, category="illness")
    assert f"{pa.get_full_name()}, off sick on {friday:%a %d %b}" in view(client, parent, family, soon)


class Unreachable:
    """A cache whose server is down (Redis restarting): every call fails, as django's RedisCache does."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Error 111 connecting to the cache. Connection refused.")
        return fail


def test_the_page_is_read_afresh_while_the_cache_is_down(client, family, parent, pa, budget, monday, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    """The system test stops Redis with pages open and opens another: it got a 500 once the page read
    its kept week from the cache. Now a cache that does not answer is an empty one, and a change whose
    after-commit bump cannot reach it still answers as it did."""
    shift = booked(family, parent, pa, monday)
    working = view(client, parent, family, monday)
    monkeypatch.setattr("rota.week_cache.cache", Unreachable())
    assert page(client, family, monday) == working
    with django_capture_on_commit_callbacks(execute=True):
        pa.first_name = "Renamed"
        pa.save()  # its receiver bumps the generation after commit: the cache is down
    assert "Renamed" in card(page(client, family, monday), shift)
