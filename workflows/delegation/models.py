"""The delegation process and its decision records (risk assessment, consent, acceptance).

Training, assessments and sign-offs belong to the competency (competencies.models); the
records here are the steps before training starts. All of them are append-only.
"""
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from viewflow.workflow.models import Process

from care.kernel.records import AppendOnly

# Free text has a length: a reason is a paragraph, a risk assessment's hazards or controls a page.
# TextField's max_length only reaches the form, so the validator says it to full_clean too.
REASON_LENGTH = 2000
ASSESSMENT_LENGTH = 4000


class DelegationOutcome(models.TextChoices):
    IN_PROGRESS = "", "In progress"
    DECLINED = "declined", "Declined at risk assessment"
    NOT_AGREED = "not_agreed", "Not agreed by the family or the PA"
    NOT_COMPETENT = "not_competent", "Ended: not competent"
    SIGNED_OFF = "signed_off", "Signed off"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired without renewal"
    WITHDRAWN = "withdrawn", "Withdrawn: the PA left the circle"


class DelegationProcess(Process):
    """One request to delegate one healthcare task, for one person, to one named PA."""

    recipient = models.ForeignKey("care.CareRecipient", on_delete=models.CASCADE, related_name="delegations")
    pa = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_as_pa")
    # not `task`: viewflow's Process already answers to `task` (its Task rows)
    healthcare_task = models.ForeignKey("competencies.HealthcareTask", on_delete=models.PROTECT, related_name="delegations")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=REASON_LENGTH, validators=[MaxLengthValidator(REASON_LENGTH)],
                              help_text="Why this task should be delegated to this PA")
    competency = models.ForeignKey(
        "competencies.Competency", null=True, blank=True, on_delete=models.PROTECT, related_name="delegations"
    )
    outcome = models.CharField(max_length=20, choices=DelegationOutcome.choices, blank=True, default="")
    outcome_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "delegation"
        indexes = [models.Index(fields=["recipient", "pa", "healthcare_task"], name="delegation_subject")]

    def __str__(self):
        return f"Delegation D{self.pk}: {self.healthcare_task} to {self.pa} for {self.recipient}"

    @property
    def reference(self):
        return f"D{self.pk}"


class DelegationRiskAssessment(AppendOnly):
    """The clinician's risk assessment of delegating this task to this PA for this person."""

    class Decision(models.TextChoices):
        PROCEED = "proceed", "Safe to delegate with these controls"
        DECLINE = "decline", "Not safe to delegate"

    process = models.ForeignKey(DelegationProcess, on_delete=models.CASCADE, related_name="risk_assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)
    hazards = models.TextField(max_length=ASSESSMENT_LENGTH, validators=[MaxLengthValidator(ASSESSMENT_LENGTH)],
                               help_text="What could go wrong for this person")
    controls = models.TextField(blank=True, max_length=ASSESSMENT_LENGTH,
                                validators=[MaxLengthValidator(ASSESSMENT_LENGTH)],
                                help_text="What keeps it safe: care plan, equipment, escalation")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.CharField(max_length=300, blank=True, help_text="Shown to the person who asked")

    class Meta:
        ordering = ["-assessed_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="decline") | ~models.Q(reason=""), name="decline_has_reason"
            ),
        ]


class DelegationAgreement(AppendOnly):
    """One party's part in the three-way agreement: the person or their representative
    consents, the PA accepts. The clinician's part is the risk assessment and sign-off."""

    class Party(models.TextChoices):
        PERSON = "person", "The person or their representative"
        PA = "pa", "The PA"

    process = models.ForeignKey(DelegationProcess, on_delete=models.CASCADE, related_name="agreements")
    party = models.CharField(max_length=10, choices=Party.choices)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    agreed = models.BooleanField()
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at"]
        constraints = [models.UniqueConstraint(fields=["process", "party"], name="one_answer_per_party")]
