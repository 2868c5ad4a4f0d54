"""A PA's times they cannot work: offers skip them and say so to the budget holder; booking over
them warns but books; only the PA sees and changes their own."""
import datetime

from django.urls import reverse

from employment.availability import Unavailability, mark_unavailable, unavailable_pas
from notifications.models import Message
from rota import services

from .factories import YEAR, ShiftFactory, at


def test_availability_excludes_a_pa_from_an_offer_and_the_summary_says_so(client, family, parent, pa, pa2,
                                                                           monday):
    mark_unavailable(pa=pa2, weekday=0, from_time=datetime.time(12), until_time=datetime.time(18))
    shift = ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 15))
    client.force_login(parent)
    body = client.post(reverse("rota:offer", args=[shift.pk]), {"version": 1}, follow=True).content.decode()
    assert "Offered to 1; 1 texted" in body
    assert f"Not offered to {pa2.get_full_name()} (said they cannot work then)" in body
    assert Message.objects.filter(purpose="rota-offer", to=pa.profile.mobile).count() == 1
    assert not Message.objects.filter(purpose="rota-offer", to=pa2.profile.mobile).exists()


def test_a_one_off_time_and_a_weekly_night_are_both_honoured(family, pa, monday):
    mark_unavailable(pa=pa, start=at(monday, 8), end=at(monday, 10))
    mark_unavailable(pa=pa, weekday=2, from_time=datetime.time(22), until_time=datetime.time(6))
    wednesday, thursday = monday + datetime.timedelta(days=2), monday + datetime.timedelta(days=3)
    assert unavailable_pas([pa.pk], at(monday, 9), at(monday, 11)) == {pa.pk}
    assert unavailable_pas([pa.pk], at(monday, 10), at(monday, 12)) == set()  # touching ends are fine
    assert unavailable_pas([pa.pk], at(thursday, 5), at(thursday, 9)) == {pa.pk}  # the night runs on
    assert unavailable_pas([pa.pk], at(wednesday, 9), at(wednesday, 17)) == set()


def test_booking_over_it_warns_but_books(client, family, parent, pa, monday):
    mark_unavailable(pa=pa, start=at(monday, 8), end=at(monday, 12))
    shift = ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 15))
    booked = services.confirm_shift(shift=shift, pa=pa, actor=parent)
    assert booked.pa_id == pa.pk
    assert any("said they cannot work" in w for w in booked.warnings)


def test_a_pa_marks_and_removes_their_own_times_on_the_page(client, pa, pa2):
    client.force_login(pa)
    url = reverse("rota:availability")
    response = client.post(url, {"repeat": "weekly", "weekday": "4", "from_time": "18:00", "until_time": "23:00"})
    assert response.status_code == 302
    response = client.post(url, {"repeat": "once", "day": f"{YEAR}-03-02", "from_time": "09:00",
                                 "until_time": "17:00"})
    assert response.status_code == 302
    assert Unavailability.objects.filter(pa=pa).count() == 2
    body = client.get(url).content.decode()
    assert "Fridays 18:00–23:00" in body and f"Tue 02 Mar {YEAR} 09:00" in body
    mine = Unavailability.objects.filter(pa=pa).first()
    client.force_login(pa2)
    assert client.post(reverse("rota:availability_remove", args=[mine.pk])).status_code == 404
    client.force_login(pa)
    assert client.post(reverse("rota:availability_remove", args=[mine.pk])).status_code == 302
    assert Unavailability.objects.filter(pa=pa).count() == 1


def test_bad_input_changes_nothing(client, pa):
    client.force_login(pa)
    response = client.post(reverse("rota:availability"), {"repeat": "once", "day": "2020-01-01",
                                                          "from_time": "09:00", "until_time": "17:00"})
    assert response.status_code == 400 and "already passed" in response.content.decode()
    assert not Unavailability.objects.exists()


def test_the_availability_page_is_for_pas(client, parent):
    client.force_login(parent)
    assert client.get(reverse("rota:availability")).status_code == 403
