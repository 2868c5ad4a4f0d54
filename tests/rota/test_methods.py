"""Rota pages that only show things answer any other method with 405; forms take GET and POST only."""
import pytest
from django.urls import reverse

from rota.models import CalendarFeed

from .factories import ShiftFactory, at


@pytest.fixture
def shift(family, monday):
    return ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 12))


@pytest.mark.parametrize("name", ["rota:week", "rota:budget", "rota:shift", "rota:mine"])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_pages_that_only_show_refuse_other_methods(client, family, parent, shift, name, method):
    client.force_login(parent)
    args = {"rota:week": [family.pk], "rota:budget": [family.pk], "rota:shift": [shift.pk], "rota:mine": []}[name]
    url = reverse(name, args=args)
    assert getattr(client, method)(url).status_code == 405
    assert client.get(url).status_code == 200


def test_the_calendar_feed_refuses_post(client, pa, family):
    feed = CalendarFeed.objects.create(pa=pa)
    url = reverse("rota:ical", args=[feed.token])
    assert client.post(url).status_code == 405
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["rota:new", "rota:edit"])
def test_shift_forms_take_get_and_post_only(client, family, parent, shift, name):
    client.force_login(parent)
    url = reverse(name, args=[family.pk if name == "rota:new" else shift.pk])
    for method in ("put", "delete", "patch"):
        assert getattr(client, method)(url).status_code == 405
