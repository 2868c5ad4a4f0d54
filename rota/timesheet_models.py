"""Timesheets: what was actually worked on a shift, confirmed by the PA and approved by the budget
holder before anything is paid. Imported by rota/models.py so Django finds the models.

The times are append-only versions: the plan first, then each correction with who and why. The
timesheet row itself only moves through its states (under a row lock) and points at the version
in force and the version approved for pay.
"""
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from care.kernel.records import AppendOnly


def new_timesheet_code():
    return f"{secrets.randbelow(900000) + 100000}"


class TimesheetQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(approved_version__isnull=False)

    def for_pay(self, recipient, start, end):
        """Approved timesheets of the family's shifts starting in [start, end), with everything the
        pay arithmetic reads, in one query."""
        return (
            self.approved()
            .filter(shift__recipient=recipient, shift__start__gte=start, shift__start__lt=end)
            .select_related("shift", "pa", "approved_version")
            .order_by("pa_id", "shift__start", "pk")
        )

    def waiting_for(self, user, recipients):
        return self.filter(pa=user, status__in=[Timesheet.Status.TO_CONFIRM, Timesheet.Status.QUERIED],
                           shift__recipient__in=recipients)


class Timesheet(models.Model):
    class Status(models.TextChoices):
        TO_CONFIRM = "to_confirm", "Waiting for the PA to confirm"
        CONFIRMED = "confirmed", "Waiting for approval"
        QUERIED = "queried", "Queried"
        APPROVED = "approved", "Approved"

    shift = models.OneToOneField("rota.Shift", on_delete=models.CASCADE, related_name="timesheet")
    pa = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="timesheets",
                           verbose_name="PA")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.TO_CONFIRM)
    # The code in the end-of-shift text: "OK 482113" confirms it as it stands.
    code = models.CharField(max_length=6, default=new_timesheet_code)
    current_version = models.ForeignKey("rota.TimesheetVersion", null=True, on_delete=models.PROTECT,
                                        related_name="+")
    approved_version = models.ForeignKey("rota.TimesheetVersion", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    query_reason = models.CharField(max_length=200, blank=True)
    # Optimistic lock, as on Shift: a decision based on an older state is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TimesheetQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A code means one timesheet still waiting for its PA, so "OK 482113" is never ambiguous.
            models.UniqueConstraint(fields=["code"], condition=Q(status__in=["to_confirm", "queried"]),
                                    name="waiting_timesheet_code_unique"),
            models.CheckConstraint(condition=~Q(status="approved") | Q(approved_version__isnull=False),
                                   name="approved_timesheet_has_version"),
        ]

    def __str__(self):
        return f"Timesheet for {self.shift}"


class TimesheetVersion(AppendOnly):
    """One account of the times worked: the plan, the PA's correction, the budget holder's entry."""

    class Source(models.TextChoices):
        PLAN = "plan", "As planned"
        PA = "pa", "Corrected by the PA"
        EMPLOYER = "employer", "Entered by the budget holder"

    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    start = models.DateTimeField()
    end = models.DateTimeField()
    break_minutes = models.PositiveIntegerField(default=0)
    woken_minutes = models.PositiveIntegerField(default=0, help_text="Sleep-ins: time woken to work")
    source = models.CharField(max_length=10, choices=Source.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["timesheet", "number"]
        constraints = [
            models.UniqueConstraint(fields=["timesheet", "number"], name="one_timesheet_version_per_number"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="timesheet_ends_after_start"),
        ]

    def __str__(self):
        return f"Version {self.number} of {self.timesheet_id}"
