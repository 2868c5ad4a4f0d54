"""Carers' respite accounts and their append-only hours ledger.

Every credit (a period's allowance, or a coordinator's addition) is a `Lot` with an expiry.
Every debit records the lots it drew from (`Draw`), oldest-expiring first, so a release gives
hours back to the very lots they came from, with their original expiry, and expiry always
removes the oldest remaining hours. No balance is stored: it is the sum of the entries, and
equally the sum of what remains in the lots; services check it under the account's row lock.
"""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from care.kernel.clock import local_midnight
from care.kernel.records import AppendOnly, AppendOnlyQuerySet

ZERO = Decimal("0.00")
HOURS = dict(max_digits=8, decimal_places=2)
# Respite is booked in quarter hours, so every amount of hours a person sets is one too, and none
# is more than a (leap) year holds.
QUARTER = Decimal("0.25")
MAX_HOURS = Decimal(366 * 24)


def hours_problem(hours, what="Hours"):
    """Why an amount of hours someone set cannot be right, or None: quarter hours, at most a year's."""
    if abs(hours) > MAX_HOURS:
        return f"{what} can be at most {MAX_HOURS} hours (a year's)."
    if hours % QUARTER:
        return f"{what} must be in quarter hours (e.g. 7.5 or 7.75)."
    return None


def hours_text(hours):
    """8.00 -> "8 hours", 1 -> "1 hour", 7.50 -> "7.5 hours"."""
    return f"{hours:.2f}".rstrip("0").rstrip(".") + (" hour" if hours == 1 else " hours")


class PeriodUnit(models.TextChoices):
    WEEK = "week", "weeks"
    MONTH = "month", "months"
    YEAR = "year", "years"


class RespiteAccountQuerySet(models.QuerySet):
    def with_balance(self):
        return self.annotate(balance=Coalesce(Sum("entries__hours"), ZERO, output_field=models.DecimalField(**HOURS)))

    def open(self):
        return self.filter(closed_on__isnull=True)


class RespiteAccount(models.Model):
    """One carer's respite hours for one person: the allowance and the rules that bound the bank."""

    recipient = models.ForeignKey("care.CareRecipient", on_delete=models.PROTECT, related_name="respite_accounts")
    carer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="respite_accounts")
    allowance_hours = models.DecimalField(**HOURS, help_text="Hours credited at the start of every period")
    period_length = models.PositiveSmallIntegerField(help_text="e.g. 4 (weeks) or 1 (year)")
    period_unit = models.CharField(max_length=5, choices=PeriodUnit.choices)
    periods_start_on = models.DateField(help_text="The first period starts on this date; the next ones follow it")
    cap_hours = models.DecimalField(
        **HOURS, null=True, blank=True, help_text="The bank never credits above this balance (blank: no cap)"
    )
    carry_over_hours = models.DecimalField(
        **HOURS, null=True, blank=True,
        help_text="At the end of each period, hours above this are trimmed (blank: all hours carry over)",
    )
    expiry_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Hours expire this many months after they are credited (blank: never)"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    # The carer's assessment the allowance comes from (blank only for accounts opened before
    # assessments were recorded here); every change of allowance cites the one it rests on.
    assessment = models.ForeignKey("CarerAssessment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="accounts")
    # Set when the carer leaves the circle: no more allowances after this date.
    closed_on = models.DateField(null=True, blank=True)

    objects = RespiteAccountQuerySet.as_manager()

    class Meta:
        ordering = ["recipient", "carer__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "carer"], name="one_respite_account_per_carer_and_person"),
            models.CheckConstraint(condition=Q(allowance_hours__gt=0), name="respite_allowance_positive"),
            models.CheckConstraint(condition=Q(period_length__gt=0), name="respite_period_positive"),
            models.CheckConstraint(
                condition=Q(cap_hours__isnull=True) | Q(cap_hours__gte=models.F("allowance_hours")),
                name="respite_cap_at_least_allowance",
            ),
            models.CheckConstraint(
                condition=Q(carry_over_hours__isnull=True) | Q(carry_over_hours__gte=0),
                name="respite_carry_over_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(expiry_months__isnull=True) | Q(expiry_months__gt=0), name="respite_expiry_positive"
            ),
        ]

    def __str__(self):
        return f"Respite hours of {self.carer} for {self.recipient}"

    @property
    def allowance_display(self):
        return period_display(self.allowance_hours, self.period_length, self.period_unit)

    def balance(self):
        return self.entries.aggregate(total=Coalesce(Sum("hours"), ZERO))["total"]


class EntryKind(models.TextChoices):
    CREDIT = "credit", "Allowance"
    BOOKING = "booking", "Respite booked"
    RELEASE = "release", "Booking cancelled, hours back"
    EXPIRY = "expiry", "Hours expired"
    TRIM = "trim", "Above the carry-over limit"
    ADJUSTMENT = "adjustment", "Adjustment"


class EntryQuerySet(AppendOnlyQuerySet):
    def statement(self):
        """Oldest first, each with `running_balance` (a window sum: one query, no stored balance)."""
        order = [models.F("at").asc(), models.F("pk").asc()]
        return self.order_by(*order).annotate(
            running_balance=models.Window(Sum("hours"), order_by=order),
        )


def _only(kind, condition):
    return ~Q(kind=kind) | condition


class Entry(AppendOnly):
    """One line of the ledger. Never changed or deleted: a correction is a new adjustment."""

    account = models.ForeignKey(RespiteAccount, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    hours = models.DecimalField(**HOURS, help_text="Positive adds to the bank, negative takes from it")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # The period a credit or carry-over trim belongs to: with `kind`, the job's idempotency key.
    period_start = models.DateField(null=True, blank=True)
    booking = models.ForeignKey("RespiteBooking", null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=300, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "entries"
        ordering = ["account", "at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "kind", "period_start"],
                condition=Q(kind__in=["credit", "trim"]),
                name="one_credit_and_one_trim_per_period",
            ),
            models.UniqueConstraint(
                fields=["booking", "kind"], condition=Q(booking__isnull=False), name="one_debit_and_one_release_per_booking"
            ),
            models.CheckConstraint(
                condition=_only("credit", Q(hours__gte=0, period_start__isnull=False)), name="respite_credit_shape"
            ),
            models.CheckConstraint(
                condition=_only("trim", Q(hours__lt=0, period_start__isnull=False)), name="respite_trim_shape"
            ),
            models.CheckConstraint(
                condition=_only("booking", Q(hours__lt=0, booking__isnull=False)), name="respite_booking_shape"
            ),
            models.CheckConstraint(
                condition=_only("release", Q(hours__gt=0, booking__isnull=False)), name="respite_release_shape"
            ),
            models.CheckConstraint(condition=_only("expiry", Q(hours__lt=0)), name="respite_expiry_shape"),
            models.CheckConstraint(
                condition=_only("adjustment", ~Q(hours=0) & ~Q(reason="")), name="respite_adjustment_shape"
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.get_kind_display()} {self.hours:+}"


class LotQuerySet(AppendOnlyQuerySet):
    def with_remaining(self):
        return self.annotate(
            remaining=models.F("hours")
            + Coalesce(Sum("draws__hours"), ZERO, output_field=models.DecimalField(**HOURS))
        )

    def holding_hours(self):
        """Lots with hours left, the soonest to expire first (never-expiring last): the order debits take them."""
        return (
            self.with_remaining()
            .filter(remaining__gt=0)
            .order_by(models.F("expires_on").asc(nulls_last=True), "pk")
        )


class Lot(AppendOnly):
    """Hours credited together, expiring together. What is left is `hours` plus its draws."""

    account = models.ForeignKey(RespiteAccount, on_delete=models.PROTECT, related_name="lots")
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="lot")
    hours = models.DecimalField(**HOURS)
    credited_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, help_text="Gone from local midnight starting this date")

    objects = LotQuerySet.as_manager()

    class Meta:
        ordering = ["account", "expires_on", "pk"]
        indexes = [models.Index(fields=["expires_on"], name="respite_lot_expiry")]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="respite_lot_positive"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("credited_on")),
                name="respite_lot_expires_after_credit",
            ),
        ]

    def __str__(self):
        return f"{self.hours} h credited {self.credited_on}, expiring {self.expires_on or 'never'}"

    @property
    def expires_at(self):
        return local_midnight(self.expires_on) if self.expires_on else None


class Draw(AppendOnly):
    """How much one entry took from (negative) or gave back to (positive) one lot."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="draws")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="draws")
    hours = models.DecimalField(**HOURS)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(hours=0), name="respite_draw_not_zero"),
            models.UniqueConstraint(fields=["entry", "lot"], name="one_draw_per_entry_and_lot"),
        ]


class BookingStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", "Waiting for the budget holder"
    BOOKED = "booked", "Booked"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


LIVE_BOOKING_STATUSES = (BookingStatus.AWAITING_APPROVAL, BookingStatus.BOOKED)


class RespiteBookingQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_BOOKING_STATUSES)

    def upcoming(self, now=None):
        return self.live().filter(end__gt=now or timezone.now()).order_by("start", "pk")

    def awaiting_approval(self):
        return self.filter(status=BookingStatus.AWAITING_APPROVAL)


class RespiteBooking(models.Model):
    """A carer's booked respite: the hours debited and the shift on the rota that covers it.

    The status changes (booked, declined, cancelled); the hours only ever move through ledger entries.
    """

    account = models.ForeignKey(RespiteAccount, on_delete=models.PROTECT, related_name="bookings")
    shift = models.OneToOneField("rota.Shift", on_delete=models.PROTECT, related_name="respite_booking")
    start = models.DateTimeField()
    end = models.DateTimeField()
    hours = models.DecimalField(**HOURS)
    notes = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=BookingStatus.choices)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    booked_at = models.DateTimeField(default=timezone.now, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)

    objects = RespiteBookingQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["account", "status", "end"], name="respite_booking_upcoming")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="respite_booking_ends_after_start"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="respite_booking_hours_positive"),
        ]

    def __str__(self):
        return f"Respite {timezone.localtime(self.start):%a %d %b %H:%M} ({self.hours} h)"

    @property
    def reference(self):
        return f"R{self.pk}"


class BookingDecision(AppendOnly):
    """The budget holder's approval (or refusal) of a carer's booking: who and when."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    booking = models.OneToOneField(RespiteBooking, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return f"{self.get_outcome_display()} by {self.decided_by} at {self.decided_at:%Y-%m-%d %H:%M}"


class ExpiryReminder(AppendOnly):
    """The carer was told (once) that hours expiring on this date are about to go."""

    account = models.ForeignKey(RespiteAccount, on_delete=models.PROTECT, related_name="expiry_reminders")
    expires_on = models.DateField()
    hours = models.DecimalField(**HOURS)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "expires_on"], name="one_expiry_reminder_per_date"),
        ]


class Eligibility(models.TextChoices):
    """The local authority's decision under the Care Act 2014 eligibility criteria for carers."""

    ELIGIBLE = "eligible", "Eligible: the carer has eligible needs"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"


ASSESSMENT_TEXT = 2000


class CarerAssessmentQuerySet(AppendOnlyQuerySet):
    def current(self):
        """The latest assessment of each carer for each person: none has superseded it."""
        return self.filter(superseded_by__isnull=True)

    def review_due(self, *, on_or_before):
        return self.current().filter(review_on__lte=on_or_before)


class CarerAssessment(AppendOnly):
    """A carer's assessment (Care Act 2014 s10), separate from the person's own: recorded once and
    never edited; a review or a correction is a new assessment that supersedes this one.
    Respite accounts cite the assessment their allowance comes from."""

    recipient = models.ForeignKey("care.CareRecipient", on_delete=models.PROTECT, related_name="carer_assessments")
    carer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="carer_assessments")
    assessed_on = models.DateField()
    assessor = models.CharField("who assessed", max_length=200,
                                help_text="Name and organisation, e.g. J. Smith, Leeds City Council adult social care")
    able_to_continue = models.BooleanField("able to go on caring")
    willing_to_continue = models.BooleanField("willing to go on caring")
    impact = models.TextField("impact on the carer", max_length=ASSESSMENT_TEXT,
                              validators=[MaxLengthValidator(ASSESSMENT_TEXT)])
    outcomes = models.TextField("outcomes the carer wants", max_length=ASSESSMENT_TEXT,
                                validators=[MaxLengthValidator(ASSESSMENT_TEXT)])
    eligibility = models.CharField("eligibility decision", max_length=12, choices=Eligibility.choices)
    support = models.TextField("support agreed", max_length=ASSESSMENT_TEXT, blank=True,
                               validators=[MaxLengthValidator(ASSESSMENT_TEXT)])
    respite_hours = models.DecimalField("respite hours agreed a period", **HOURS, null=True, blank=True)
    respite_period_length = models.PositiveSmallIntegerField(null=True, blank=True)
    respite_period_unit = models.CharField(max_length=5, choices=PeriodUnit.choices, blank=True)
    review_on = models.DateField("review date")
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CarerAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["recipient", "carer", "-assessed_on", "-pk"]
        indexes = [models.Index(fields=["review_on"], name="carer_assessment_review")]
        constraints = [
            models.CheckConstraint(condition=Q(review_on__gt=models.F("assessed_on")),
                                   name="carer_assessment_review_after"),
            models.CheckConstraint(
                condition=Q(respite_hours__isnull=True, respite_period_length__isnull=True, respite_period_unit="")
                | Q(respite_hours__gt=0, respite_period_length__gt=0, respite_period_unit__in=["week", "month", "year"]),
                name="carer_assessment_respite_whole",
            ),
        ]

    def __str__(self):
        return f"Carer's assessment {self.reference} of {self.carer} ({self.assessed_on})"

    @property
    def reference(self):
        return f"CA{self.pk}"

    @property
    def respite_display(self):
        if self.respite_hours is None:
            return "No respite hours agreed"
        return period_display(self.respite_hours, self.respite_period_length, self.respite_period_unit)


def period_display(hours, length, unit):
    unit = PeriodUnit(unit).label
    every = f"every {unit[:-1]}" if length == 1 else f"every {length} {unit}"
    return f"{hours_text(hours)} {every}"


class AssessmentReviewReminder(AppendOnly):
    """The coordinators were told (once) that this assessment's review is due."""

    assessment = models.ForeignKey(CarerAssessment, on_delete=models.PROTECT, related_name="review_reminders")
    review_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "review_on"], name="one_review_reminder_per_date"),
        ]
