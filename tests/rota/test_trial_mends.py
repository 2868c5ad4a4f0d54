"""Defects the phone trial met (issue 19, "What the trial met"), each shown failing before its fix:
dates on "my shifts", time order in a day, an edit conflict keeping what was typed, who an offer
did not text and why, wording, and the autumn hour that happens twice."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from care.models import Role
from notifications.models import Message, OptOut
from rota import services
from rota.models import Shift
from tests.factories import member

from .factories import YEAR, ShiftFactory, at


def cards(body):
    return re.findall(r'<span class="shift-time">([^<]+)</span>', body)


def test_shifts_in_a_day_are_in_time_order_whatever_order_they_were_added(client, family, parent, monday):
    # A respite booking added later but starting earlier used to be listed after the others.
    ShiftFactory(recipient=family, start=at(monday, 14), end=at(monday, 18))
    ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 12), kind=Shift.Kind.RESPITE)
    ShiftFactory(recipient=family, start=at(monday, 11), end=at(monday, 13))
    client.force_login(parent)
    body = client.get(reverse("rota:week", args=[family.pk]) + f"?week={monday}").content.decode()
    assert [c.split("–")[0] for c in cards(body)] == ["09:00", "11:00", "14:00"]


def test_my_offers_and_shifts_say_which_day_and_another_years_say_the_year(client, family, pa, pa2, monday):
    first = ShiftFactory(recipient=family, start=at(monday, 10), end=at(monday, 16))
    second = ShiftFactory(recipient=family, start=at(monday + datetime.timedelta(days=1), 10),
                          end=at(monday + datetime.timedelta(days=1), 16))
    services.offer_shift(shift=first, actor=None)
    services.offer_shift(shift=second, actor=None)
    ShiftFactory(recipient=family, pa=pa, start=at(monday + datetime.timedelta(days=3), 8),
                 end=at(monday + datetime.timedelta(days=3), 12))
    client.force_login(pa)
    body = client.get(reverse("rota:mine")).content.decode()
    offers = body.split('id="offers-h"')[1].split('id="mine-h"')[0]
    assert f"Mon 1 Mar {YEAR}" in offers and f"Tue 2 Mar {YEAR}" in offers
    assert f"Thu 4 Mar {YEAR}" in body.split('id="mine-h"')[1]  # YEAR is never this year


def test_this_years_shifts_do_not_repeat_the_year(client, family, pa):
    soon = timezone.localtime() + datetime.timedelta(days=1)
    day = soon.date() if soon.month < 12 else soon.date() - datetime.timedelta(days=0)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    if start.year != timezone.localdate().year:
        pytest.skip("the day after today is in another year")
    ShiftFactory(recipient=family, pa=pa, start=start, end=start + datetime.timedelta(hours=3))
    client.force_login(pa)
    body = client.get(reverse("rota:mine")).content.decode()
    assert f"{start:%a} {start.day} {start:%b}</h3>" in body


def test_an_edit_conflict_keeps_what_was_typed_beside_the_current_shift(client, family, parent, monday):
    shift = ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 15))
    services.update_shift(shift=shift, actor=parent, expected_version=1, start=at(monday, 10), end=at(monday, 15),
                          kind="day", tasks=[], notes="Changed by grandparent")
    client.force_login(parent)
    response = client.post(reverse("rota:edit", args=[shift.pk]), {
        "day": f"{YEAR}-03-01", "start_time": "07:30", "end_time": "15:00", "kind": "day",
        "notes": "Bring the blue folder", "location": "", "version": 1,
    })
    assert response.status_code == 409
    body = response.content.decode()
    assert "10:00–15:00" in body  # the current shift
    assert "Bring the blue folder" in body and 'value="07:30"' in body  # what was typed, kept
    assert 'name="version" value="2"' in body  # re-applying it is based on the current version
    shift.refresh_from_db()
    assert shift.notes == "Changed by grandparent" and shift.version == 2


def test_the_offer_summary_names_who_was_not_texted_and_why(client, family, parent, pa, pa2, monday):
    OptOut.objects.create(number=pa2.profile.mobile)
    no_mobile = member(family, Role.PA, username="pa-no-mobile", first_name="Nomo", last_name="Bile")
    no_mobile.profile.mobile = ""
    no_mobile.profile.save()
    shift = ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 15))
    client.force_login(parent)
    response = client.post(reverse("rota:offer", args=[shift.pk]), {"version": shift.version}, follow=True)
    body = response.content.decode()
    assert "Offered to 3; 1 texted" in body
    assert f"{pa2.get_full_name()} (has replied STOP to texts)" in body
    assert "Nomo Bile (no mobile number)" in body
    assert "answer on the shift page" in body
    assert Message.objects.filter(to=pa.profile.mobile, purpose="rota-offer").count() == 1


def test_the_summary_says_who_could_not_be_offered_because_they_are_busy(client, family, parent, pa, pa2, monday):
    ShiftFactory(recipient=family, pa=pa2, start=at(monday, 8), end=at(monday, 10))
    shift = ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 15))
    client.force_login(parent)
    body = client.post(reverse("rota:offer", args=[shift.pk]), {"version": 1}, follow=True).content.decode()
    assert "Offered to 1; 1 texted" in body
    assert f"Not offered to {pa2.get_full_name()} (already working then)" in body


def test_a_new_open_shift_does_not_read_draft(client, family, parent, monday):
    ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 15))
    client.force_login(parent)
    body = client.get(reverse("rota:week", args=[family.pk]) + f"?week={monday}").content.decode()
    assert 'class="tag status-draft">Not offered yet</span>' in body and "Draft" not in body


def test_booking_another_pa_preselects_nobody(client, family, parent, pa, pa2, monday):
    shift = ShiftFactory(recipient=family, pa=pa, start=at(monday, 9), end=at(monday, 15))
    client.force_login(parent)
    body = client.get(reverse("rota:shift", args=[shift.pk])).content.decode()
    choice = body.split('id="id_pa"')[1].split("</select>")[0]
    assert '<option value="" selected>Choose a PA</option>' in choice
    assert "selected" not in choice.replace('<option value="" selected>', "")


def test_the_rest_warning_shows_while_choosing_a_pa(client, family, parent, pa, pa2, monday):
    ShiftFactory(recipient=family, pa=pa, start=at(monday, 6), end=at(monday, 9))
    shift = ShiftFactory(recipient=family, start=at(monday, 14), end=at(monday, 20))
    client.force_login(parent)
    body = client.get(reverse("rota:shift", args=[shift.pk])).content.decode()
    choice = body.split('id="id_pa"')[1].split("</select>")[0]
    assert f"{pa.get_full_name()} — only 5 hours&#x27; rest after the shift before" in choice
    assert f">{pa2.get_full_name()}</option>" in choice


def test_the_calendar_page_offers_copy_and_subscribe(client, family, pa):
    client.force_login(pa)
    client.post(reverse("rota:calendar"), {"action": "new"})
    body = client.get(reverse("rota:calendar")).content.decode()
    assert 'href="webcal://' in body and "Subscribe in my calendar" in body
    assert "data-copy" in body and "Copy the address" in body


# --- The autumn hour that happens twice ----------------------------------------------------------


def _last_sunday_of_october(year):
    day = datetime.date(year, 10, 31)
    return day - datetime.timedelta(days=(day.weekday() + 1) % 7)


def test_an_ambiguous_autumn_time_asks_which_and_saves_nothing(client, family, parent):
    sunday = _last_sunday_of_october(YEAR)
    client.force_login(parent)
    data = {"day": sunday.isoformat(), "start_time": "01:30", "end_time": "05:00", "kind": "day"}
    response = client.post(reverse("rota:new", args=[family.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "01:30 happens twice" in body
    assert "The first 01:30 (BST)" in body and "The second 01:30 (GMT)" in body
    assert not Shift.objects.exists()


@pytest.mark.parametrize("which, hours", [("first", "4.5"), ("second", "3.5")])
def test_the_chosen_autumn_time_is_the_one_saved(client, family, parent, which, hours):
    sunday = _last_sunday_of_october(YEAR)
    client.force_login(parent)
    response = client.post(reverse("rota:new", args=[family.pk]), {
        "day": sunday.isoformat(), "start_time": "01:30", "end_time": "05:00", "kind": "day",
        "start_which": which,
    })
    assert response.status_code == 302
    shift = Shift.objects.get()
    assert f"{shift.hours.normalize():f}" == hours


# --- Error pages in the product's own look, with a way home ----------------------------------------


def test_a_missing_page_is_ours_with_a_way_home(client, parent):
    client.force_login(parent)
    response = client.get("/rota/shifts/999999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body and 'href="/">Go to my home page' in body and "css/app.css" in body
    assert "VIEW SITE" not in body.upper()


def test_a_refusal_is_ours_and_says_why(client, parent):
    client.force_login(parent)
    response = client.get(reverse("rota:calendar"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Only PAs have a shift calendar." in body and "Go to my home page" in body


def test_a_server_error_page_needs_no_request_and_leads_home(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body and 'href="/">Go to my home page' in body


def test_a_spent_link_page_leads_home(db):
    from django.template.loader import render_to_string

    body = render_to_string("410.html", {"message": "This link has expired."})
    assert "This link has expired." in body and "Go to my home page" in body and "Error 410" in body


def test_ending_a_place_says_plainly_when_access_ends(client, family, parent, pa):
    from care.models import Membership

    membership = Membership.objects.get(user=pa, recipient=family)
    client.force_login(parent)
    body = client.get(reverse("membership_end", args=[membership.pk])).content.decode()
    assert "lose access at once" not in body and "Last day" not in body
    assert "Access ends on" in body and "from midnight" in body
