"""The day-before reminder (one text per booked shift, at the PA's chosen time, idempotent job) and
a family's label in texts and calendar events."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from icalendar import Calendar

from care.kernel.clock import london
from notifications.models import Message
from rota import ical, jobs, services
from rota.models import ReminderChoice, RotaSettings

from .factories import ShiftFactory


def london_time(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=london())


@pytest.fixture
def tomorrow_shift(family, pa):
    today = timezone.localdate()
    day = today + datetime.timedelta(days=1)
    return ShiftFactory(recipient=family, pa=pa, start=london_time(day, 9), end=london_time(day, 15))


def reminders_to(user):
    return list(Message.objects.filter(to=user.profile.mobile, purpose="rota-reminder"))


def test_the_day_before_reminder_goes_once_at_the_default_time(tomorrow_shift, pa):
    today = timezone.localdate()
    with freeze_time(london_time(today, 17, 59)):
        assert jobs.send_day_before_reminders() == 0
    with freeze_time(london_time(today, 18, 5)):
        assert jobs.send_day_before_reminders() == 1
        jobs.send_day_before_reminders()  # run again, or by a second worker
    texts = reminders_to(pa)
    assert len(texts) == 1
    assert "reminder: your shift tomorrow" in texts[0].body and "09:00-15:00" in texts[0].body


def test_a_pa_can_choose_the_time_or_switch_reminders_off(client, tomorrow_shift, pa, pa2, family):
    client.force_login(pa)
    assert client.post(reverse("rota:reminders"), {"on": "on", "at": "07:30"}).status_code == 302
    today = timezone.localdate()
    with freeze_time(london_time(today, 7, 45)):
        jobs.send_day_before_reminders()
    assert len(reminders_to(pa)) == 1
    client.post(reverse("rota:reminders"), {"at": "07:30"})  # unticked: off
    assert ReminderChoice.for_pa(pa).on is False
    day = today + datetime.timedelta(days=1)
    ShiftFactory(recipient=family, pa=pa, start=london_time(day, 16), end=london_time(day, 18))
    with freeze_time(london_time(today, 20)):
        jobs.send_day_before_reminders()
    assert len(reminders_to(pa)) == 1


def test_reminders_page_is_for_pas_only(client, parent):
    client.force_login(parent)
    assert client.get(reverse("rota:reminders")).status_code == 403


def test_the_familys_label_is_in_texts_and_calendar_events(client, family, parent, pa, tomorrow_shift):
    client.force_login(parent)
    response = client.post(reverse("rota:settings", args=[family.pk]),
                           {"offer_follow_up_hours": "12", "label": "Rose St"})
    assert response.status_code == 302
    assert RotaSettings.for_recipient(family).label == "Rose St"
    with freeze_time(london_time(timezone.localdate(), 19)):
        jobs.send_day_before_reminders()
    assert reminders_to(pa)[0].body.startswith("paworkflow (Rose St): reminder")
    later = tomorrow_shift.start + datetime.timedelta(days=2)
    services.create_shift(recipient=family, start=later, end=later + datetime.timedelta(hours=2), kind="day",
                          actor=parent, pa=pa)
    booked = Message.objects.get(to=pa.profile.mobile, purpose="rota-booked")
    assert booked.body.startswith("paworkflow (Rose St): you are booked")
    events = [c for c in Calendar.from_ical(ical.feed_ics(pa)).walk("VEVENT")]
    assert {str(e["summary"]) for e in events} == {"PA shift (Day) · Rose St"}
    assert family.display_name not in ical.feed_ics(pa).decode()


def test_a_label_with_a_clinical_word_or_too_long_is_refused(client, family, parent):
    client.force_login(parent)
    url = reverse("rota:settings", args=[family.pk])
    assert client.post(url, {"offer_follow_up_hours": "12", "label": "Insulin house"}).status_code == 400
    assert client.post(url, {"offer_follow_up_hours": "12", "label": "x" * 21}).status_code == 400
    assert not RotaSettings.objects.filter(recipient=family).exclude(label="").exists()
