"""Each PA's private iCal feed of their booked shifts: times and kind of shift only, no clinical details."""
import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from care.permissions import recipients_for

from .models import CalendarFeed, Shift

PAST = datetime.timedelta(days=31)
FUTURE = datetime.timedelta(days=366)


@transaction.atomic
def new_feed(*, pa):
    """Revoke any live feed and issue a new secret address."""
    revoke_feed(pa=pa)
    return CalendarFeed.objects.create(pa=pa)


@transaction.atomic
def revoke_feed(*, pa):
    return CalendarFeed.objects.filter(pa=pa, revoked_at__isnull=True).update(revoked_at=timezone.now())


def feed_shifts(pa, now=None):
    """Booked shifts in circles the PA still works in; a shift that needs cover is no longer theirs to plan on."""
    now = now or timezone.now()
    return (
        Shift.objects.booked_for(pa)
        .filter(recipient__in=recipients_for(pa, "work_shifts"), needs_cover=False,
                end__gt=now - PAST, start__lt=now + FUTURE)
        .select_related("recipient__rota_settings").order_by("start")
    )


def feed_ics(pa):
    cal = Calendar()
    cal.add("prodid", "-//paworkflow//rota//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "PA shifts")
    for shift in feed_shifts(pa):
        event = Event()
        event.add("uid", f"shift-{shift.pk}@paworkflow")
        event.add("dtstamp", shift.updated_at)
        event.add("dtstart", shift.start)
        event.add("dtend", shift.end)
        event.add("sequence", shift.version)
        label = getattr(getattr(shift.recipient, "rota_settings", None), "label", "")
        # The family's chosen label (never the person's name) tells apart families in one calendar.
        event.add("summary", f"PA shift ({shift.get_kind_display()})" + (f" · {label}" if label else ""))
        event.add("url", settings.PUBLIC_BASE_URL + reverse("rota:shift", args=[shift.pk]))
        cal.add_component(event)
    return cal.to_ical()
