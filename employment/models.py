"""Each PA's employment by a family: the terms in force (effective-dated, append-only) and
their absences (holiday asked for and decided, sickness recorded by category only)."""
import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from care.kernel.records import AppendOnly, AppendOnlyQuerySet
from care.models import CareRecipient

MONEY = {"max_digits": 8, "decimal_places": 2}


class PayPeriod(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    FOUR_WEEKLY = "four_weekly", "Four-weekly"
    MONTHLY = "monthly", "Monthly"


class Contract(models.TextChoices):
    REGULAR = "regular", "Regular hours"
    IRREGULAR = "irregular", "Irregular hours"


class TermsQuerySet(AppendOnlyQuerySet):
    def for_pa(self, recipient, pa):
        return self.filter(recipient=recipient, pa=pa)

    def in_force(self, recipient, pa, day):
        """The terms in force on `day`: the latest effective on or before it (last set wins a tie)."""
        return self.for_pa(recipient, pa).filter(effective_from__lte=day).order_by("-effective_from", "-pk").first()

    def for_family(self, recipient, until):
        """Every version for every PA of the family effective by `until`, in the order `terms_on` reads them."""
        return self.filter(recipient=recipient, effective_from__lte=until).order_by("pa_id", "effective_from", "pk")


class Terms(AppendOnly):
    """One version of a PA's terms with a family, in force from `effective_from` until a later version.

    Append-only: a change of rate is a new row with who set it and when, so the pay of a past
    period is always worked out at the terms in force then.
    """

    recipient = models.ForeignKey(CareRecipient, on_delete=models.CASCADE, related_name="employment_terms")
    pa = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employment_terms",
                           verbose_name="PA")
    effective_from = models.DateField()
    hourly_rate = models.DecimalField(**MONEY)
    sleep_in_allowance = models.DecimalField(**MONEY, help_text="Flat allowance per sleep-in for the time asleep")
    night_uplift_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    weekend_uplift_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    bank_holiday_uplift_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    pay_period = models.CharField(max_length=12, choices=PayPeriod.choices, default=PayPeriod.MONTHLY)
    leave_year_start = models.DateField(help_text="The first day of a leave year, e.g. 1 April")
    contract = models.CharField(max_length=10, choices=Contract.choices, default=Contract.REGULAR)
    weekly_hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True,
                                       help_text="Contracted hours a week (regular hours)")
    # The days those hours fall on: holiday is 5.6 weeks capped at 28 days, so a six-day week gets
    # 28 days, not 33.6. Empty on versions set before it was asked (no cap applied to them).
    days_per_week = models.DecimalField(max_digits=2, decimal_places=1, null=True, blank=True,
                                        help_text="Days worked a week (regular hours)")
    # Why a rate below the National Living Wage is lawful here (an apprentice, an under-21 rate).
    below_minimum_reason = models.CharField(max_length=200, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TermsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "terms"
        ordering = ["recipient", "pa", "-effective_from", "-pk"]
        indexes = [models.Index(fields=["recipient", "pa", "effective_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hourly_rate__gt=0) & Q(sleep_in_allowance__gte=0) & Q(night_uplift_percent__gte=0)
                & Q(weekend_uplift_percent__gte=0) & Q(bank_holiday_uplift_percent__gte=0),
                name="terms_rates_positive",
            ),
            models.CheckConstraint(
                condition=~Q(contract="regular") | Q(weekly_hours__gt=0), name="regular_terms_have_hours"
            ),
            models.CheckConstraint(
                condition=Q(days_per_week__isnull=True) | Q(days_per_week__gt=0, days_per_week__lte=7),
                name="terms_days_per_week_in_a_week",
            ),
        ]

    def __str__(self):
        return f"{self.pa} for {self.recipient} from {self.effective_from}"


class AbsenceQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Absence.Status.APPROVED)

    def standing(self):
        """Asked for or approved: what a new request must not overlap."""
        return self.filter(status__in=[Absence.Status.REQUESTED, Absence.Status.APPROVED])

    def on_days(self, first, last):
        """Absences sharing any local day with first..last (inclusive)."""
        return self.filter(first_day__lte=last, last_day__gte=first)

    def keeping_out(self, *, recipient, start, end, pa=None):
        """Approved holiday or sickness with this family on any local day [start, end) touches.

        One query, the rota's question before booking or offering: a shift 22:00-08:00 is out
        if the PA is away on either day. Leave is per family: holiday from one family does not
        stop a PA working for another.
        """
        first = timezone.localdate(start)
        last = timezone.localdate(end - datetime.timedelta(microseconds=1))
        found = self.approved().filter(recipient=recipient).on_days(first, last)
        return found.filter(pa=pa) if pa is not None else found


class Absence(models.Model):
    """A PA away from work for a family: holiday (asked for, then approved or declined) or
    sickness (recorded by the budget holder or the PA, approved as it is recorded).

    Sickness carries a category only, never clinical detail.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "Holiday"
        SICKNESS = "sickness", "Sickness"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Category(models.TextChoices):
        ILLNESS = "illness", "Illness"
        INJURY = "injury", "Injury"
        APPOINTMENT = "appointment", "Medical appointment"
        OTHER = "other", "Other"

    recipient = models.ForeignKey(CareRecipient, on_delete=models.CASCADE, related_name="absences")
    pa = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences",
                           verbose_name="PA")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    first_day = models.DateField()
    last_day = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    category = models.CharField(max_length=12, choices=Category.choices, blank=True)
    # Holiday hours to be paid (a day of leave is the hours the PA would have worked).
    hours = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=200, blank=True)

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        ordering = ["-first_day", "-pk"]
        indexes = [models.Index(fields=["recipient", "pa", "first_day"])]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="absence_ends_after_start"),
            models.CheckConstraint(condition=~Q(kind="sickness") | ~Q(category=""), name="sickness_has_category"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="absence_hours_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=["requested"]) | Q(decided_at__isnull=False), name="decided_absence_has_time"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.first_day:%d %b}–{self.last_day:%d %b %Y}"

    @property
    def days(self):
        return (self.last_day - self.first_day).days + 1

    @property
    def describe(self):
        what = "on holiday" if self.kind == self.Kind.HOLIDAY else "off sick"
        if self.first_day == self.last_day:
            return f"{what} on {self.first_day:%a %d %b}"
        return f"{what} {self.first_day:%a %d %b}–{self.last_day:%a %d %b}"


# Times a PA has said they cannot work live in their own module (issue 19); imported here so Django
# finds the model with the rest of the employment app.
from .availability import Unavailability  # noqa: E402,F401
