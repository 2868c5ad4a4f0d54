"""Shifts of PA cover for one person, offers of open shifts by text, and the per-rota change log
that live pages replay from."""
import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from care.kernel.clock import local_midnight
from care.kernel.records import AppendOnly
from care.models import CareRecipient

HOUR = Decimal(3600)
NOTES_MAX_LENGTH = 2000


class ShiftQuerySet(models.QuerySet):
    def live(self):
        """Shifts that still count: not cancelled."""
        return self.exclude(status=Shift.Status.CANCELLED)

    def overlapping(self, start, end):
        """Shifts that share any moment with [start, end); touching ends do not overlap."""
        return self.filter(start__lt=end, end__gt=start)

    def working(self):
        """Shifts a PA is booked on (confirmed) or has worked (completed)."""
        return self.filter(status__in=[Shift.Status.CONFIRMED, Shift.Status.COMPLETED])

    def booked_for(self, pa):
        """The PA's working shifts across every person they work for."""
        return self.working().filter(pa=pa)

    def upcoming(self, now=None):
        return self.filter(end__gt=now or timezone.now())

    def needing_cover(self, now=None):
        """Future shifts nobody can work: flagged by a lapsed competency or a departing PA."""
        return self.upcoming(now).filter(needs_cover=True).exclude(status=Shift.Status.CANCELLED)

    def open(self, now=None):
        """Future shifts without a PA that are still being planned or offered."""
        return self.upcoming(now).filter(pa__isnull=True, status__in=[Shift.Status.DRAFT, Shift.Status.OFFERED])

    def in_week(self, monday):
        """Shifts starting in the local week that begins on `monday` (a date)."""
        start = local_midnight(monday)
        return self.filter(start__gte=start, start__lt=local_midnight(monday, days=7))

    def for_cards(self):
        """Everything `_shift_card.html` shows, in a fixed number of queries, in time order.

        The order is explicit: Django drops `Meta.ordering` from a query with an aggregate
        (GROUP BY), which left a day's shifts in the order they were added.
        """
        return self.select_related("pa", "recipient", "pattern").prefetch_related("tasks").order_by("start", "pk").annotate(
            offered_count=models.Count(
                "offers__recipients", filter=Q(offers__closed_at__isnull=True), distinct=True
            ),
            declined_count=models.Count(
                "offers__responses",
                filter=Q(offers__closed_at__isnull=True, offers__responses__answer="no"),
                distinct=True,
            ),
            # A subquery in the same query: the card says a swap is waiting without a query per card.
            swap_status=models.Subquery(
                Swap.objects.filter(shift=models.OuterRef("pk"), status__in=Swap.OPEN).values("status")[:1]
            ),
        )


class ShiftPattern(models.Model):
    """A repeating week (e.g. Mon–Fri 08:00–15:00 with a named PA, or alternate weekends) that made
    shifts a number of weeks ahead. Its shifts are ordinary shifts, each made through the rota's
    rules; the pattern only remembers how they were made, so they can be edited and ended together."""

    recipient = models.ForeignKey(CareRecipient, on_delete=models.CASCADE, related_name="shift_patterns")
    weekdays = models.CharField(max_length=13, help_text="Monday=0 … Sunday=6, comma-separated")
    start_time = models.TimeField()
    end_time = models.TimeField(help_text="At or before the start means the next day")
    kind = models.CharField(max_length=20, choices=[("day", "Day"), ("waking_night", "Waking night"),
                                                    ("sleep_in", "Sleep-in")], default="day")
    every_weeks = models.PositiveSmallIntegerField(default=1, help_text="1 every week, 2 every other week")
    starts_on = models.DateField()
    weeks = models.PositiveSmallIntegerField()
    pa = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+", verbose_name="PA")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(every_weeks__gte=1, every_weeks__lte=4), name="pattern_every_1_to_4"),
            models.CheckConstraint(condition=Q(weeks__gte=1, weeks__lte=104), name="pattern_weeks_1_to_104"),
        ]

    def __str__(self):
        return f"{self.describe()} for {self.recipient}"

    @property
    def days(self):
        return [int(d) for d in self.weekdays.split(",") if d != ""]

    def describe(self):
        names = [DAY_NAMES[d] for d in self.days]
        every = "" if self.every_weeks == 1 else f", every {self.every_weeks} weeks"
        return f"{' '.join(names)} {self.start_time:%H:%M}–{self.end_time:%H:%M}{every}"


DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class Shift(models.Model):
    class Kind(models.TextChoices):
        DAY = "day", "Day"
        WAKING_NIGHT = "waking_night", "Waking night"
        SLEEP_IN = "sleep_in", "Sleep-in"
        RESPITE = "respite", "Respite"
        HOSPITAL = "hospital", "Hospital"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OFFERED = "offered", "Offered"
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"

    recipient = models.ForeignKey(CareRecipient, on_delete=models.CASCADE, related_name="shifts")
    start = models.DateTimeField()
    end = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DAY)
    tasks = models.ManyToManyField("competencies.HealthcareTask", blank=True, related_name="shifts",
                                   help_text="Delegated healthcare tasks the PA on this shift must be competent in")
    pa = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="shifts", verbose_name="PA")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    needs_cover = models.BooleanField(default=False)
    cover_reason = models.CharField(max_length=200, blank=True)
    # TextField does not enforce max_length itself: the validator makes full_clean (admin, forms) refuse more.
    notes = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH, validators=[MaxLengthValidator(NOTES_MAX_LENGTH)])
    location = models.CharField(max_length=200, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    # Set by the app that holds the shift from above the rota ("Suspended by the ward"), shown on
    # the shift to everyone until released; the shift keeps its status and its PA meanwhile.
    hold_reason = models.CharField(max_length=80, blank=True)
    pattern = models.ForeignKey(ShiftPattern, null=True, blank=True, on_delete=models.SET_NULL, related_name="shifts")
    # Optimistic lock: every saved change adds one; a change based on an older number is refused.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["recipient", "start"]),
            models.Index(fields=["pa", "start"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="shift_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(status__in=["confirmed", "completed"]) | Q(pa__isnull=False),
                name="confirmed_shift_has_pa",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(pa__isnull=True), name="offered_shift_is_open"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="shift_version_positive"),
        ]

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.get_kind_display()} {local:%a %d %b %H:%M} for {self.recipient}"

    @property
    def hours(self):
        """Elapsed hours, so a night across a clock change is 7 or 9 hours, not 8."""
        # In UTC: Python subtracts two datetimes sharing a tzinfo by wall clock, which would
        # make 22:00-08:00 ten hours on both clock-change nights.
        elapsed = self.end.astimezone(datetime.timezone.utc) - self.start.astimezone(datetime.timezone.utc)
        return Decimal(elapsed.total_seconds()) / HOUR

    @property
    def is_open(self):
        return self.pa_id is None and self.status in (self.Status.DRAFT, self.Status.OFFERED)

    @property
    def status_label(self):
        """What a family reads: a new open shift is "Not offered yet", not a "Draft"."""
        return "Not offered yet" if self.status == self.Status.DRAFT else self.get_status_display()

    @property
    def is_active(self):
        return self.status not in (self.Status.CANCELLED, self.Status.COMPLETED)


def new_offer_code():
    return f"{secrets.randbelow(900000) + 100000}"


class Offer(models.Model):
    """One round of texting an open shift to the eligible PAs; its code is what they reply with."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="offers")
    code = models.CharField(max_length=6, default=new_offer_code)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    # The PA booked on the shift before it was offered (it needed cover): offering it again or
    # widening the offer never asks them.
    unbooked_pa = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # When the budget holders were told nobody had taken it (rota.jobs.follow_up_offers claims this once).
    followed_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A code means one open offer, so "YES 482113" cannot be ambiguous.
            models.UniqueConstraint(fields=["code"], condition=Q(closed_at__isnull=True), name="open_offer_code_unique"),
            models.UniqueConstraint(fields=["shift"], condition=Q(closed_at__isnull=True), name="one_open_offer_per_shift"),
        ]

    def __str__(self):
        return f"Offer {self.code} for {self.shift}"

    @property
    def is_open(self):
        return self.closed_at is None


class OfferRecipient(AppendOnly):
    """Append-only: a PA who was eligible when the shift was offered (and whether a text went to them)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="recipients")
    pa = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_offers")
    texted = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offer", "pa"], name="offer_recipient_once")]


class OfferResponse(AppendOnly):
    """Append-only: every YES or NO a PA gave to an offer, by text or on the page, and what came of it."""

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Got the shift"
        TOO_LATE = "too_late", "Already taken"
        REFUSED = "refused", "Could not be confirmed"
        DECLINED = "declined", "Declined"

    class Channel(models.TextChoices):
        SMS = "sms", "Text"
        PAGE = "page", "Page"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="responses")
    pa = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=3, choices=Answer.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    channel = models.CharField(max_length=4, choices=Channel.choices)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]


class Swap(models.Model):
    """A PA handing on their booked shift: to a named PA of the circle (a swap: that PA accepts, the
    budget holder approves, or the family's setting approves at once) or into the open pool with a
    reason (a drop: the shift needs cover at once and is offered the usual way).

    Each step moves `status` forward with who and when; the audit log keeps every step. A swap
    is about the shift as it was when asked (`shift_version`): if the shift changes meanwhile the
    swap lapses rather than hand over times nobody agreed to."""

    class Kind(models.TextChoices):
        SWAP = "swap", "Swap with a named PA"
        DROP = "drop", "Dropped into the open pool"

    class Status(models.TextChoices):
        ASKED = "asked", "Waiting for the other PA"
        ACCEPTED = "accepted", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Could not be approved"  # the rota's rules refused it at approval
        REJECTED = "rejected", "Not approved"  # the budget holder said no
        DECLINED = "declined", "The other PA said no"
        WITHDRAWN = "withdrawn", "Withdrawn"
        LAPSED = "lapsed", "The shift changed meanwhile"
        DROPPED = "dropped", "Dropped: needs cover"

    OPEN = ("asked", "accepted")
    REASON_MAX_LENGTH = 200

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="swaps")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    from_pa = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_pa = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    # What the named PA replies with ("YES 482113"), as for offers; unique among open swaps.
    code = models.CharField(max_length=6, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    shift_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # Why the rules refused it. It may name a task: shown on the page and kept here, never texted.
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["shift"], condition=Q(status__in=["asked", "accepted"]),
                                    name="one_open_swap_per_shift"),
            models.UniqueConstraint(fields=["code"], condition=Q(status="asked"), name="open_swap_code_unique"),
            models.CheckConstraint(condition=Q(kind="drop") | Q(to_pa__isnull=False, code__gt=""),
                                   name="swap_names_a_pa_and_code"),
            models.CheckConstraint(condition=Q(kind="swap") | ~Q(reason=""), name="drop_has_reason"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.shift}"

    @property
    def is_open(self):
        return self.status in self.OPEN


LABEL_MAX_LENGTH = 20


class RotaSettings(models.Model):
    """A family's own rota choices. A missing row means the defaults (`RotaSettings.for_recipient`)."""

    DEFAULT_FOLLOW_UP_HOURS = 12

    recipient = models.OneToOneField(CareRecipient, on_delete=models.CASCADE, primary_key=True,
                                     related_name="rota_settings")
    offer_follow_up_hours = models.PositiveSmallIntegerField(
        default=DEFAULT_FOLLOW_UP_HOURS, verbose_name="Tell me when nobody has taken an offer this many hours before",
        help_text="Hours before the shift starts (1–168).",
    )

    # Shown in texts and calendar events so a PA working for several families knows which one it is.
    label = models.CharField(
        max_length=LABEL_MAX_LENGTH, blank=True,
        help_text="A short name for your household in texts and calendars, e.g. \"Rose St\". No names or conditions.",
    )

    # Off by default: the budget holder approves each swap a PA's colleague has accepted.
    approve_swaps_automatically = models.BooleanField(
        default=False, verbose_name="Approve swaps between our PAs automatically",
        help_text="The rota's rules (competency, clashes, leave) are still checked before a swap goes through.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(offer_follow_up_hours__gte=1, offer_follow_up_hours__lte=168),
                                   name="follow_up_1_to_168_hours"),
        ]

    @classmethod
    def for_recipient(cls, recipient):
        return cls.objects.filter(recipient=recipient).first() or cls(recipient=recipient)


class ReminderChoice(models.Model):
    """A PA's choice about the day-before reminder text. A missing row means on, at 18:00."""

    DEFAULT_AT = datetime.time(18)

    pa = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                              related_name="shift_reminders")
    on = models.BooleanField(default=True)
    at = models.TimeField(default=DEFAULT_AT, help_text="UK time, the day before the shift")

    @classmethod
    def for_pa(cls, pa):
        return cls.objects.filter(pa=pa).first() or cls(pa=pa)


class RotaSequence(models.Model):
    """The per-rota change counter, incremented under a row lock in the changing transaction."""

    recipient = models.OneToOneField(CareRecipient, on_delete=models.CASCADE, primary_key=True,
                                     related_name="rota_sequence")
    last = models.PositiveBigIntegerField(default=0)


class RotaChange(models.Model):
    """What each numbered change looked like when it was made, so a reconnecting page can replay it."""

    recipient = models.ForeignKey(CareRecipient, on_delete=models.CASCADE, related_name="rota_changes")
    seq = models.PositiveBigIntegerField()
    shift = models.ForeignKey(Shift, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    payload = models.JSONField()

    class Meta:
        ordering = ["recipient", "seq"]
        constraints = [models.UniqueConstraint(fields=["recipient", "seq"], name="one_change_per_seq")]


class CalendarFeed(models.Model):
    """A PA's private iCal address. Revoking it ends the feed at once; a new one gets a new token."""

    pa = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pa"], condition=Q(revoked_at__isnull=True), name="one_live_feed_per_pa"),
        ]

    def __str__(self):
        return f"Calendar feed for {self.pa}"

# Timesheets live in their own module (actual hours, rota/timesheets.py); imported here so Django finds them.
class BudgetForecast(models.Model):
    """A budget period's actual spend to date and forecast, as rota.payroll.actual_against_plan last
    computed them (rota.jobs.refresh_budget_forecasts). Stored so the caseload can read every family's
    in one query; actual_against_plan itself costs a dozen queries a budget."""

    budget = models.OneToOneField("care.PersonalHealthBudget", on_delete=models.CASCADE, related_name="forecast")
    recipient = models.ForeignKey(CareRecipient, on_delete=models.CASCADE, related_name="budget_forecasts")
    computed_at = models.DateTimeField()
    budget_total = models.DecimalField(max_digits=10, decimal_places=2)
    actual_to_date = models.DecimalField(max_digits=12, decimal_places=2)
    forecast_total = models.DecimalField(max_digits=12, decimal_places=2)
    overspend = models.DecimalField(max_digits=12, decimal_places=2, help_text="0 when the forecast is within budget")

    def __str__(self):
        return f"{self.recipient}: forecast £{self.forecast_total} of £{self.budget_total}"


from .timesheet_models import Timesheet, TimesheetVersion  # noqa: E402,F401
