"""The healthcare task catalogue and the record of what each PA may do, for whom, until when.

Clinical decisions are rows, never edits: training sessions, assessments, sign-offs and
status changes (suspension, revocation, expiry) are only ever inserted. `Competency`
carries the current status and validity so the rota's gate is one indexed query.
"""
import datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from care.kernel.records import AppendOnly
from care.validators import NOTES_MAX


def notes_field(**kwargs):
    """Free text kept with a clinical record: a few paragraphs, never a pasted document."""
    return models.TextField(max_length=NOTES_MAX, blank=True, validators=[MaxLengthValidator(NOTES_MAX)], **kwargs)


def notes_fit(*fields, prefix):
    """The database's own line under notes_field's limit, one constraint per field."""
    return [models.CheckConstraint(condition=LessThanOrEqual(Length(f), NOTES_MAX), name=f"{prefix}_{f}_length")
            for f in fields]


class Category(models.TextChoices):
    INJECTIONS = "injections", "Injections"
    RESPIRATORY = "respiratory", "Respiratory"
    TRACHEOSTOMY = "tracheostomy", "Tracheostomy"
    ENTERAL_FEEDING = "enteral_feeding", "Enteral feeding"
    MONITORING = "monitoring", "Monitoring"
    MEDICATION = "medication", "Medication"
    CONTINENCE = "continence", "Continence"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class HealthcareTask(models.Model):
    """One task in the catalogue. Shipped as data (migration 0002); clinicians do not edit it."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=20, choices=Category.choices)
    delegable = models.BooleanField(
        default=True, help_text="False for tasks that must stay with a registered professional (e.g. IV medication)"
    )
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    review_interval_days = models.PositiveSmallIntegerField(help_text="A sign-off is valid for this many days")
    supervised_practices_required = models.PositiveSmallIntegerField(
        help_text="Supervised practices the PA must complete before the competency assessment"
    )
    criteria = models.JSONField(default=list, help_text="The assessment criteria, in order (a list of strings)")
    description = notes_field()

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(review_interval_days__gt=0), name="task_review_interval_positive"),
        ]

    def __str__(self):
        return self.name


class TrainingMethod(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    DEMONSTRATION = "demonstration", "Demonstration on the person"
    SUPERVISED_PRACTICE = "supervised_practice", "Supervised practice"
    E_LEARNING = "e_learning", "E-learning"


class TrainingRecord(AppendOnly):
    """One training session of the PA for a competency (a task, for a person). Append-only."""

    competency = models.ForeignKey("Competency", on_delete=models.CASCADE, related_name="training_records")
    trained_on = models.DateField()
    method = models.CharField(max_length=20, choices=TrainingMethod.choices)
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    materials = notes_field(help_text="Materials used or given (leaflets, videos, care plan)")
    supervised_practices = models.PositiveSmallIntegerField(
        default=0, help_text="Supervised practices completed in this session"
    )
    notes = notes_field()
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-trained_on", "-recorded_at"]
        constraints = notes_fit("materials", "notes", prefix="training")

    def __str__(self):
        return f"Training on {self.trained_on} ({self.get_method_display()})"


class Outcome(models.TextChoices):
    PASSED = "passed", "Competent"
    FAILED = "failed", "Not yet competent"


class Assessment(AppendOnly):
    """One observed competency assessment: each criterion passed or not, and the outcome. Append-only."""

    competency = models.ForeignKey("Competency", on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField()
    results = models.JSONField(help_text="[{'criterion': ..., 'passed': bool}, ...] in the task's order")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    notes = notes_field()
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-assessed_on", "-recorded_at"]
        constraints = notes_fit("notes", prefix="assessment")

    def __str__(self):
        return f"Assessment on {self.assessed_on}: {self.get_outcome_display()}"


class Status(models.TextChoices):
    IN_TRAINING = "in_training", "In training"
    ASSESSED = "assessed", "Assessed, awaiting sign-off"
    SIGNED_OFF = "signed_off", "Signed off"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"


LIVE_STATUSES = (Status.IN_TRAINING, Status.ASSESSED, Status.SIGNED_OFF, Status.SUSPENDED)


class CompetencyQuerySet(models.QuerySet):
    def valid_for(self, recipient, task, at, until=None):
        """Signed-off competencies for this task for this person, valid at `at` and through `until`.

        One query. `valid_until` is the instant validity ends, so a competency expiring at
        10:00 covers a shift ending at 10:00 but not one ending at 10:30.
        """
        qs = self.filter(
            recipient=recipient, task=task, status=Status.SIGNED_OFF, valid_from__lte=at, valid_until__gt=at
        )
        if until is not None:
            qs = qs.filter(valid_until__gte=until)
        return qs

    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def live_one(self, *, pa, recipient, task):
        """The live competency of this PA in this task for this person (a constraint allows one), or
        None. One query, by pk: the model's ordering would join the person, the task and the PA to
        sort at most one row."""
        return self.live().filter(pa=pa, recipient=recipient, task=task).order_by("pk").first()

    def signed_off(self):
        return self.filter(status=Status.SIGNED_OFF)

    def due_to_expire(self, now=None):
        """Signed-off or suspended competencies whose validity has run out and are not yet marked expired."""
        return self.filter(status__in=(Status.SIGNED_OFF, Status.SUSPENDED), valid_until__lte=now or timezone.now())


class Competency(models.Model):
    """A PA's competency in one task for one person: current status and validity.

    The history lives in append-only rows: `SignOff` (first sign-off and each renewal)
    and `CompetencyEvent` (suspension, revocation, expiry: who, when, why).
    """

    pa = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="competencies")
    recipient = models.ForeignKey("care.CareRecipient", on_delete=models.CASCADE, related_name="competencies")
    task = models.ForeignKey(HealthcareTask, on_delete=models.PROTECT, related_name="competencies")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_TRAINING)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status_changed_at = models.DateTimeField(default=timezone.now)

    objects = CompetencyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "competencies"
        ordering = ["recipient", "task", "pa"]
        indexes = [
            # the rota's gate: valid_for(recipient, task, at)
            models.Index(fields=["recipient", "task", "status", "valid_until"], name="competency_valid_for"),
            # the expiry and reminder sweep
            models.Index(fields=["status", "valid_until"], name="competency_sweep"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["pa", "recipient", "task"],
                condition=Q(status__in=["in_training", "assessed", "signed_off", "suspended"]),
                name="one_live_competency_per_pa_task_person",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True, valid_until__isnull=True)
                | Q(valid_until__gt=F("valid_from")),
                name="competency_valid_until_after_from",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed_off")
                | Q(signed_off_by__isnull=False, signed_off_at__isnull=False, valid_until__isnull=False),
                name="signed_off_competency_has_signer_and_validity",
            ),
        ]

    def __str__(self):
        return f"{self.pa} — {self.task} for {self.recipient}: {self.get_status_display()}"

    @property
    def expiring(self):
        """Signed off and within 28 days of its review date (the review task is open)."""
        return (
            self.status == Status.SIGNED_OFF
            and self.valid_until is not None
            and self.valid_until - timezone.now() <= datetime.timedelta(days=28)
        )


class SignOff(AppendOnly):
    """A clinician's sign-off of a competency: the first one and every renewal. Append-only."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Sign-off"
        RENEWAL = "renewal", "Renewal after review"

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="sign_offs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField(default=timezone.now)
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    notes = notes_field()

    class Meta:
        ordering = ["-signed_off_at"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gt=F("valid_from")), name="sign_off_period_positive"),
            *notes_fit("notes", prefix="sign_off"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.competency_id} by {self.signed_off_by} until {self.valid_until}"


class CompetencyEvent(AppendOnly):
    """A change of a competency's status with who, when and why. Append-only."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=12, choices=Status.choices, help_text="The status it changed to")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Empty when the system did it (expiry)",
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.competency_id} -> {self.status} at {self.at:%Y-%m-%d %H:%M}"


class Reminder(AppendOnly):
    """A reminder sent about a competency's expiry. Append-only: the unique key makes the sweep idempotent."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    valid_until = models.DateTimeField(help_text="The expiry it was about (a renewal gets fresh reminders)")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["competency", "days_before", "valid_until"], name="one_reminder_per_competency_expiry"
            ),
        ]

    def __str__(self):
        return f"{self.days_before}-day reminder for {self.competency_id}"
