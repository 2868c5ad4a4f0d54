"""When a PA cannot work, as they mark it on their phone: a one-off span or a weekly time. Offers
skip them (and the planner is told why); booking over it warns but is allowed, because it is the
PA's wish, not a rule (the family may have agreed otherwise with them).

Kept in its own module, imported by employment.models, so it stays beside the PA's employment
without touching the terms and absence code.
"""
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from care.kernel.clock import london

DAY_NAMES = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"]


def _at(day, time):
    return datetime.datetime.combine(day, time, tzinfo=london())


class UnavailabilityQuerySet(models.QuerySet):
    def current(self, now=None):
        """Weekly times, and one-offs that have not ended."""
        return self.filter(Q(weekday__isnull=False) | Q(end__gt=now or timezone.now()))

    def touching(self, *, start, end):
        """Rows that might cover [start, end): overlapping one-offs and every weekly row (checked by `covers`)."""
        return self.filter(Q(weekday__isnull=False) | Q(start__lt=end, end__gt=start))


class Unavailability(models.Model):
    """A time a PA has said they cannot work: `start`–`end` once, or every `weekday` from
    `from_time` to `until_time` (UK time; an end at or before the start runs into the next day)."""

    pa = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unavailability")
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Monday=0 … Sunday=6")
    from_time = models.TimeField(null=True, blank=True)
    until_time = models.TimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = UnavailabilityQuerySet.as_manager()

    class Meta:
        app_label = "employment"
        verbose_name_plural = "unavailability"
        ordering = ["weekday", "from_time", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                name="unavailability_once_or_weekly",
                condition=(Q(weekday__isnull=True, from_time__isnull=True, until_time__isnull=True,
                             start__isnull=False, end__isnull=False, end__gt=models.F("start"))
                           | Q(weekday__gte=0, weekday__lte=6, from_time__isnull=False, until_time__isnull=False,
                               start__isnull=True, end__isnull=True)),
            ),
        ]

    def __str__(self):
        return self.describe()

    @property
    def weekly(self):
        return self.weekday is not None

    def describe(self):
        if self.weekly:
            return f"{DAY_NAMES[self.weekday]} {self.from_time:%H:%M}–{self.until_time:%H:%M}"
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        return f"{start:%a %d %b %Y %H:%M} – {end:%a %d %b %H:%M}"

    def spans(self, start, end):
        """The concrete [from, until) spans of this row that could meet [start, end)."""
        if not self.weekly:
            return [(self.start, self.end)]
        first = timezone.localtime(start).date() - datetime.timedelta(days=1)
        last = timezone.localtime(end).date()
        found = []
        day = first
        while day <= last:
            if day.weekday() == self.weekday:
                until_day = day + datetime.timedelta(days=1) if self.until_time <= self.from_time else day
                found.append((_at(day, self.from_time), _at(until_day, self.until_time)))
            day += datetime.timedelta(days=1)
        return found

    def covers(self, start, end):
        """True if any moment of [start, end) falls in this unavailable time."""
        return any(s < end and e > start for s, e in self.spans(start, end))


def unavailable_pas(pa_ids, start, end):
    """The ids among `pa_ids` who said they cannot work some of [start, end). One query."""
    rows = Unavailability.objects.filter(pa__in=list(pa_ids)).touching(start=start, end=end)
    return {row.pa_id for row in rows if row.covers(start, end)}


@transaction.atomic
def mark_unavailable(*, pa, start=None, end=None, weekday=None, from_time=None, until_time=None):
    """A PA marks a time they cannot work: once (`start`, `end`) or weekly (`weekday`, times)."""
    if weekday is not None:
        if weekday not in range(7) or from_time is None or until_time is None:
            raise ValidationError("Choose the day of the week and both times.")
        if from_time == until_time:
            raise ValidationError("The end must differ from the start.")
        return Unavailability.objects.create(pa=pa, weekday=weekday, from_time=from_time, until_time=until_time)
    if start is None or end is None:
        raise ValidationError("Choose when it starts and ends.")
    if end <= start:
        raise ValidationError("The end must be after the start.")
    if end <= timezone.now():
        raise ValidationError("That time has already passed.")
    if end - start > datetime.timedelta(days=366):
        raise ValidationError("Mark at most a year at a time.")
    return Unavailability.objects.create(pa=pa, start=start, end=end)


@transaction.atomic
def remove_unavailability(*, pa, unavailability):
    """Only the PA who marked it removes it (the view has already found it among theirs)."""
    if unavailability.pa_id != pa.pk:
        raise ValidationError("This is not yours to remove.")
    unavailability.delete()
