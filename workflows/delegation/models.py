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
    # The registered practitioner accountable for the decision to delegate: the clinician who
    # assessed the risk, until a recorded handover (AccountabilityHandover) names another.
    # Empty when they left the circle and nobody has taken it on yet: clinical steps wait.
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="accountable practitioner",
    )
    # A re-delegation after the last one expired: its risk assessment may be confirmed as still
    # standing, and then the PA is observed again without starting training over.
    reassesses = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   help_text="The expired delegation this one reassesses")

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
    # the earlier assessment the clinician confirmed still stands (its hazards and controls copied)
    reuses = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-assessed_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="decline") | ~models.Q(reason=""), name="decline_has_reason"
            ),
        ]


class DelegationAgreement(AppendOnly):
    """One party's answer, with who and when. Before training: the person or their representative
    consents, the PA accepts. The delegation agreement itself (AgreementTerms) is then agreed in
    turn by the accountable practitioner (at sign-off), the employer (the budget holder, recording
    whose choice it is) and the PA, who acknowledges its controls and emergency plan."""

    class Party(models.TextChoices):
        PERSON = "person", "The person or their representative"
        PA = "pa", "The PA"
        PRACTITIONER = "practitioner", "The accountable practitioner"
        EMPLOYER = "employer", "The employer (budget holder)"
        PA_SIGNED = "pa_signed", "The PA, acknowledging the agreement"

    class Choice(models.TextChoices):
        PERSON = "person", "The person's own choice"
        REPRESENTATIVE = "representative", "Their representative's choice on their behalf"

    process = models.ForeignKey(DelegationProcess, on_delete=models.CASCADE, related_name="agreements")
    party = models.CharField(max_length=12, choices=Party.choices)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    agreed = models.BooleanField()
    notes = models.CharField(max_length=300, blank=True)
    # the employer's part only: whose choice the delegation is, and the representative's name
    choice_of = models.CharField(max_length=14, choices=Choice.choices, blank=True)
    representative = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["at"]
        constraints = [models.UniqueConstraint(fields=["process", "party"], name="one_answer_per_party")]


class AgreementTerms(AppendOnly):
    """What the delegation agreement rests on, written by the accountable practitioner at sign-off:
    the site's local protocol (settings.DELEGATION_PROTOCOL, copied so a later change of setting
    does not rewrite a signed agreement), the person's care plan and emergency plan (reference and
    version) and what the PA does in an emergency. The rest of the agreement is read from the
    records: the risk assessment's controls, the competency's review date, each party's answer."""

    process = models.OneToOneField(DelegationProcess, on_delete=models.CASCADE, related_name="terms")
    protocol_name = models.CharField(max_length=200)
    protocol_version = models.CharField(max_length=40)
    care_plan_ref = models.CharField("care plan reference", max_length=80)
    care_plan_version = models.CharField("care plan version", max_length=40)
    emergency_plan_ref = models.CharField("emergency plan reference", max_length=80)
    emergency_plan_version = models.CharField("emergency plan version", max_length=40)
    emergency_plan = models.TextField("in an emergency", max_length=REASON_LENGTH,
                                      validators=[MaxLengthValidator(REASON_LENGTH)],
                                      help_text="What the PA does in an emergency with this task")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "delegation agreement terms"
        verbose_name_plural = "delegation agreement terms"


class AccountabilityHandover(AppendOnly):
    """Accountability for a delegation passing from one clinician to another (or to nobody,
    when the accountable clinician left the circle). Append-only: the chain is the history."""

    process = models.ForeignKey(DelegationProcess, on_delete=models.CASCADE, related_name="handovers")
    from_practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    to_practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+", help_text="Empty when the system did it (a clinician left)")
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class CareGiven(AppendOnly):
    """One time a PA carried out (or did not) a delegated task on a shift: when, the result, the
    observations the catalogue asks for the task, a note. Append-only: a correction is a new row
    pointing at the one it corrects. Readable by the PA who made it, the person's clinicians,
    the budget holder and the coordinator (care.permissions.may_read_pa_record)."""

    class Result(models.TextChoices):
        DONE = "done", "Done"
        NOT_DONE = "not_done", "Not done"
        REFUSED = "refused", "Refused by the person"

    shift = models.ForeignKey("rota.Shift", on_delete=models.PROTECT, related_name="care_given")
    recipient = models.ForeignKey("care.CareRecipient", on_delete=models.CASCADE, related_name="care_given")
    pa = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_given")
    healthcare_task = models.ForeignKey("competencies.HealthcareTask", on_delete=models.PROTECT, related_name="+")
    competency = models.ForeignKey("competencies.Competency", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="care_given")
    done_at = models.DateTimeField()
    result = models.CharField(max_length=10, choices=Result.choices)
    observations = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=500, blank=True)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    # The phone's own id for this entry: a send retried on a weak signal records it once.
    client_key = models.UUIDField(unique=True)

    class Meta:
        ordering = ["done_at", "pk"]
        indexes = [models.Index(fields=["recipient", "pa", "done_at"], name="care_given_log")]

    @property
    def reference(self):
        return f"R{self.pk}"


class Concern(AppendOnly):
    """A concern or incident a PA raised from a shift: what happened, what they did, who they told.
    The accountable practitioner and the budget holder are texted a reference and a link."""

    shift = models.ForeignKey("rota.Shift", on_delete=models.PROTECT, related_name="concerns")
    recipient = models.ForeignKey("care.CareRecipient", on_delete=models.CASCADE, related_name="concerns")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    what_happened = models.TextField(max_length=REASON_LENGTH, validators=[MaxLengthValidator(REASON_LENGTH)])
    what_they_did = models.TextField(max_length=REASON_LENGTH, validators=[MaxLengthValidator(REASON_LENGTH)])
    who_they_told = models.CharField(max_length=300, blank=True)
    client_key = models.UUIDField(unique=True)

    class Meta:
        ordering = ["-raised_at"]

    @property
    def reference(self):
        return f"K{self.pk}"


class ConcernResponse(AppendOnly):
    """Someone's recorded response to a concern; the first one takes it off the home pages."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="responses")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    response = models.TextField(max_length=REASON_LENGTH, validators=[MaxLengthValidator(REASON_LENGTH)])

    class Meta:
        ordering = ["at", "pk"]


class Supervision(AppendOnly):
    """Supervision between sign-off and review (NMC Code 11.2/11.3): the practitioner's spot check
    or supervision session, observed or not, with its outcome; a review's re-observation against
    the task's criteria is one too (`results`, as an assessment's)."""

    class Outcome(models.TextChoices):
        SATISFACTORY = "satisfactory", "Satisfactory"
        CONCERN = "concern", "A concern"
        UNSAFE = "unsafe", "Unsafe"

    class Kind(models.TextChoices):
        SPOT_CHECK = "spot_check", "Spot check or supervision"
        REVIEW = "review", "Re-observation at review"

    process = models.ForeignKey(DelegationProcess, on_delete=models.CASCADE, related_name="supervisions")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SPOT_CHECK)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    observed = models.BooleanField(help_text="Did the clinician watch the PA do the task?")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    results = models.JSONField(default=list, blank=True, help_text="[{'criterion': ..., 'passed': bool}] when re-observed")
    notes = models.TextField(blank=True, max_length=REASON_LENGTH, validators=[MaxLengthValidator(REASON_LENGTH)])
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-on", "-recorded_at"]


class ConditionChange(AppendOnly):
    """A change in the person's condition, recorded by a clinician or the budget holder: every live
    delegation for the person goes to an early review."""

    recipient = models.ForeignKey("care.CareRecipient", on_delete=models.CASCADE, related_name="condition_changes")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    summary = models.TextField(max_length=REASON_LENGTH, validators=[MaxLengthValidator(REASON_LENGTH)])

    class Meta:
        ordering = ["-at"]
