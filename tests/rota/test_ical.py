"""A PA's private calendar feed: their booked shifts only, no clinical details, revocable."""
import pytest
from django.urls import reverse
from icalendar import Calendar

from care.models import Membership, Role
from care.services import end_membership
from rota import ical, services
from tests.factories import member

from .factories import YEAR, ShiftFactory, at


@pytest.fixture
def feed(pa):
    return ical.new_feed(pa=pa)


def events(client, feed):
    response = client.get(reverse("rota:ical", args=[feed.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return [c for c in Calendar.from_ical(response.content).walk("VEVENT")]


def test_feed_lists_booked_shifts_without_clinical_details(client, family, parent, pa, pa2, suction, feed):
    shift = ShiftFactory(recipient=family, pa=pa, start=at(f"{YEAR}-03-01", 9), end=at(f"{YEAR}-03-01", 15),
                         notes="Suction before lunch", location="1 Example Row")
    shift.tasks.add(suction)
    ShiftFactory(recipient=family, pa=pa2, start=at(f"{YEAR}-03-02", 9), end=at(f"{YEAR}-03-02", 15))  # not theirs
    ShiftFactory(recipient=family, start=at(f"{YEAR}-03-03", 9), end=at(f"{YEAR}-03-03", 15))  # open
    ShiftFactory(recipient=family, pa=pa, status="cancelled", start=at(f"{YEAR}-03-04", 9), end=at(f"{YEAR}-03-04", 15))
    [event] = events(client, feed)
    assert event["summary"] == "PA shift (Day)"
    assert event.decoded("dtstart") == at(f"{YEAR}-03-01", 9)
    text = Calendar.from_ical(client.get(reverse("rota:ical", args=[feed.token])).content).to_ical().decode()
    for secret in ("Suction", "suction", "Example Row", family.display_name):
        assert secret not in text


def test_a_revoked_or_unknown_token_is_404(client, pa, feed):
    ical.revoke_feed(pa=pa)
    assert client.get(reverse("rota:ical", args=[feed.token])).status_code == 404
    assert client.get(reverse("rota:ical", args=["not-a-token"])).status_code == 404


def test_a_new_address_replaces_the_old_one(client, pa, feed):
    fresh = ical.new_feed(pa=pa)
    assert client.get(reverse("rota:ical", args=[feed.token])).status_code == 404
    assert client.get(reverse("rota:ical", args=[fresh.token])).status_code == 200


def test_the_link_inside_someone_elses_session_is_404(client, pa, parent, feed):
    client.force_login(parent)
    assert client.get(reverse("rota:ical", args=[feed.token])).status_code == 404
    client.force_login(pa)
    assert client.get(reverse("rota:ical", args=[feed.token])).status_code == 200


def test_shifts_in_a_circle_the_pa_left_and_needing_cover_drop_out(client, family, other_family, parent, pa, feed):
    member(other_family, Role.PA, user=pa)
    ShiftFactory(recipient=other_family, pa=pa, start=at(f"{YEAR}-03-05", 9), end=at(f"{YEAR}-03-05", 15))
    kept = services.create_shift(recipient=family, start=at(f"{YEAR}-03-01", 9), end=at(f"{YEAR}-03-01", 12), kind="day",
                                 actor=parent, pa=pa)
    sick = services.create_shift(recipient=family, start=at(f"{YEAR}-03-02", 9), end=at(f"{YEAR}-03-02", 12), kind="day",
                                 actor=parent, pa=pa)
    services.mark_needs_cover(shift=sick, actor=parent, reason="Ill")
    assert len(events(client, feed)) == 3 - 1
    end_membership(membership=Membership.objects.get(recipient=other_family, user=pa), actor=parent)
    assert [e["uid"] for e in events(client, feed)] == [f"shift-{kept.pk}@paworkflow"]


def test_calendar_settings_page_makes_and_switches_off_the_feed(client, pa, parent):
    client.force_login(pa)
    url = reverse("rota:calendar")
    assert "Make my calendar address" in client.get(url).content.decode()
    client.post(url, {"action": "new"})
    token = pa.calendar_feeds.get(revoked_at__isnull=True).token
    assert token in client.get(url).content.decode()
    client.post(url, {"action": "revoke"})
    assert not pa.calendar_feeds.filter(revoked_at__isnull=True).exists()
    client.force_login(parent)  # not a PA anywhere
    assert client.get(url).status_code == 403
