"""A PA's calendar address is theirs alone: the admin shows that a feed exists, not its token."""
from django.urls import reverse

from rota import ical
from rota.models import CalendarFeed


def test_the_admin_does_not_show_a_pas_calendar_token(admin_client, pa):
    ical.new_feed(pa=pa)
    feed = CalendarFeed.objects.get(pa=pa, revoked_at__isnull=True)
    for url in (reverse("admin:rota_calendarfeed_changelist"),
                reverse("admin:rota_calendarfeed_change", args=[feed.pk])):
        page = admin_client.get(url)
        assert page.status_code == 200
        assert feed.token not in page.content.decode()
