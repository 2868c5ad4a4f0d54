"""PA-in-hospital agreements: the process (the agreement's terms and state), the task-by-task
decisions of what the PA may do on the ward, and the records of who decided what.

Ward reviews and agreement events are append-only; the terms on the process are a draft until
the ward signs and the budget holder funds, and are never edited after that.
"""
import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from viewflow.workflow.models import Process

from care.kernel.records import AppendOnly
from care.validators import validate_mobile

# Free text has a length (TextField's max_length only reaches the form; the validator tells full_clean).
NOTES_LENGTH = 2000
CONTACTS_LENGTH = 1000


def text_field(length, **kwargs):
    return models.TextField(blank=True, max_length=length, validators=[MaxLengthValidator(length)], **kwargs)


class Support(models.TextChoices):
    """The standard list of what a PA does for the person on the ward."""

    POSTURAL = "postural", "Postural care, handling and movement"
    COMMUNICATION = "communication", "Communication"
    ANXIETY = "anxiety", "Reducing anxiety or behaviour that challenges"
    NUTRITION = "nutrition", "Nutrition (help to eat and drink)"
    HYGIENE = "hygiene", "Personal hygiene"


class State(models.TextChoices):
    WARD_REVIEW = "ward_review", "Waiting for the ward's review"
    FAMILY_CONFIRM = "family_confirm", "The ward amended it: waiting for the family to confirm"
    FUNDING = "funding", "Waiting for the budget holder to confirm funding and insurance"
    ACTIVE = "active", "In place"
    SUSPENDED = "suspended", "Suspended by the ward"
    DISCHARGED = "discharged", "Ended at discharge"
    DECLINED = "declined", "Declined by the ward"
    NOT_AGREED = "not_agreed", "The family did not agree to the ward's changes"


OPEN_STATES = (State.WARD_REVIEW, State.FAMILY_CONFIRM, State.FUNDING, State.ACTIVE, State.SUSPENDED)
IN_FORCE = (State.ACTIVE, State.SUSPENDED)
# The ward signed it and the family agreed (to the ward's changes too): a signed agreement exists.
AGREED = (State.FUNDING, State.ACTIVE, State.SUSPENDED, State.DISCHARGED)


class HospitalAgreement(Process):
    """One admission: what the named PAs will do for the person on one ward, until discharge."""

    recipient = models.ForeignKey("care.CareRecipient", on_delete=models.CASCADE, related_name="hospital_agreements")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    hospital = models.CharField(max_length=120)
    ward = models.CharField(max_length=80)
    ward_contact_name = models.CharField(max_length=120)
    ward_contact_mobile = models.CharField(max_length=16, blank=True, validators=[validate_mobile])
    ward_contact_email = models.EmailField(blank=True)
    # A ward manager in the circle reviews as themselves; otherwise a single-use link goes to the contact.
    ward_manager = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="hospital_agreements_as_ward")
    admission_date = models.DateField()
    expected_discharge = models.DateField()
    pas = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="hospital_agreements_as_pa", verbose_name="PAs")
    # empty when the family described the support in words instead
    support = models.JSONField(default=list, blank=True, help_text="Codes from the standard list (Support)")
    support_notes = text_field(NOTES_LENGTH)

    # The ward's conditions.
    report_to = models.CharField(max_length=120, blank=True, help_text="Who the PA reports to on arrival")
    infection_control = text_field(NOTES_LENGTH)
    id_badge = models.CharField(max_length=200, blank=True, help_text="ID and badge the PA must carry")
    present_from = models.TimeField(null=True, blank=True)
    present_until = models.TimeField(null=True, blank=True)
    escalation_contacts = text_field(CONTACTS_LENGTH)

    # The employer's confirmation.
    funded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    funded_at = models.DateTimeField(null=True, blank=True)
    insurer = models.CharField(max_length=120, blank=True)
    policy_number = models.CharField(max_length=60, blank=True)
    insurance_expires = models.DateField(null=True, blank=True)

    state = models.CharField(max_length=20, choices=State.choices, default=State.WARD_REVIEW)
    state_reason = models.CharField(max_length=300, blank=True)
    discharged_on = models.DateField(null=True, blank=True)
    # A discharge recorded ahead of the day: the agreement stays in force until then, and the
    # periodic job ends it on that date (jobs.hospital_planned_discharges).
    planned_discharge = models.DateField(null=True, blank=True)
    # The expected discharge date the overdue reminder was last sent for (claimed by a conditional update).
    discharge_reminded_for = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "hospital agreement"
        indexes = [models.Index(fields=["state", "expected_discharge"], name="hospital_state_discharge")]
        constraints = [
            models.CheckConstraint(condition=Q(expected_discharge__gte=models.F("admission_date")),
                                   name="hospital_discharge_after_admission"),
            models.CheckConstraint(
                condition=Q(ward_manager__isnull=False) | ~Q(ward_contact_mobile="") | ~Q(ward_contact_email=""),
                name="hospital_ward_reachable",
            ),
            models.CheckConstraint(condition=~Q(state="discharged") | Q(discharged_on__isnull=False),
                                   name="hospital_discharged_has_date"),
        ]

    def __str__(self):
        return f"Hospital agreement {self.reference}: {self.recipient} on {self.ward}, {self.hospital}"

    @property
    def reference(self):
        return f"H{self.pk}"

    @property
    def in_force(self):
        return self.state in IN_FORCE

    @property
    def agreed(self):
        """Signed by the ward and agreed by the family: only then is there an agreement to print."""
        return self.state in AGREED

    @property
    def ward_has_decided(self):
        """Until the ward signs, a task marked allowed is only what the family asked for."""
        return self.state not in (State.WARD_REVIEW, State.DECLINED)

    def support_labels(self):
        return [Support(code).label for code in self.support if code in Support.values]

    def insurance_lapses_early(self):
        return bool(self.insurance_expires and self.insurance_expires < self.expected_discharge)


class HospitalTaskDecision(models.Model):
    """One of a named PA's signed-off delegated tasks, and whether the ward lets the PA do it on
    the ward. The ward keeps every task unless it says otherwise."""

    agreement = models.ForeignKey(HospitalAgreement, on_delete=models.CASCADE, related_name="task_decisions")
    pa = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey("competencies.HealthcareTask", on_delete=models.PROTECT, related_name="+")
    competency = models.ForeignKey("competencies.Competency", on_delete=models.PROTECT, related_name="+")
    ward_allows = models.BooleanField(default=False)

    class Meta:
        ordering = ["pa__first_name", "task__name"]
        constraints = [models.UniqueConstraint(fields=["agreement", "pa", "task"], name="one_decision_per_pa_task")]

    def __str__(self):
        return f"{self.task} by {self.pa}: {'ward allows' if self.ward_allows else 'ward keeps'}"


class WardReview(AppendOnly):
    class Decision(models.TextChoices):
        ACCEPT = "accept", "Accept"
        AMEND = "amend", "Amend (the family confirms the changes)"
        DECLINE = "decline", "Decline"

    agreement = models.ForeignKey(HospitalAgreement, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    reviewer_name = models.CharField(max_length=120)
    reviewer_role = models.CharField(max_length=120, blank=True)
    via_link = models.BooleanField(default=False)
    reason = models.CharField(max_length=300, blank=True)
    # empty when the ward accepted the family's proposal as it was
    changes = models.JSONField(default=list, blank=True, help_text="What the ward changed, in words")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(decision="decline") | ~Q(reason=""), name="ward_decline_has_reason"),
        ]


class AgreementEvent(AppendOnly):
    class Kind(models.TextChoices):
        CONFIRMED = "confirmed", "The family confirmed the ward's changes"
        NOT_CONFIRMED = "not_confirmed", "The family did not agree to the ward's changes"
        FUNDED = "funded", "Funding and insurance confirmed; hospital shifts booked"
        SUSPENDED = "suspended", "Suspended by the ward"
        RESUMED = "resumed", "Resumed by the ward"
        DISCHARGE_PLANNED = "discharge_planned", "Discharge planned"
        DISCHARGED = "discharged", "Discharged: the agreement ended"
        LINK_SENT = "link_sent", "Link sent to the ward contact"

    agreement = models.ForeignKey(HospitalAgreement, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]


class ConditionsRead(AppendOnly):
    """A PA read the ward's conditions on their phone and confirmed they will follow them, before
    their first hospital shift; the printed agreement shows when."""

    agreement = models.ForeignKey(HospitalAgreement, on_delete=models.CASCADE, related_name="conditions_read")
    pa = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["agreement", "pa"], name="conditions_read_once_per_pa")]


class HospitalShift(models.Model):
    """A rota shift booked under an agreement; discharge cancels the future ones."""

    agreement = models.ForeignKey(HospitalAgreement, on_delete=models.CASCADE, related_name="hospital_shifts")
    shift = models.OneToOneField("rota.Shift", on_delete=models.PROTECT, related_name="hospital_agreement_link")

    def __str__(self):
        return f"{self.agreement.reference}: {self.shift}"


class HomeShift(models.Model):
    """A home shift that fell inside the admission, and what the family chose for it when the
    hospital shifts were planned. `was` keeps the shift as it stood (times, kind, PA, tasks), so
    at discharge the ones after it can be offered back to the home rota."""

    class Choice(models.TextChoices):
        KEEP = "keep", "Keep it"
        CANCEL = "cancel", "Cancel it"
        TURN = "turn", "Turn it into the hospital shift that day"

    agreement = models.ForeignKey(HospitalAgreement, on_delete=models.CASCADE, related_name="home_shifts")
    shift = models.ForeignKey("rota.Shift", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    was = models.JSONField(help_text="The shift before the admission: start, end, kind, pa, tasks, notes, location")
    # the shift put back on the home rota at discharge (claimed by a conditional update)
    restored = models.ForeignKey("rota.Shift", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["shift__start", "pk"]
        constraints = [models.UniqueConstraint(fields=["agreement", "shift"], name="one_choice_per_home_shift")]

    def __str__(self):
        return f"{self.agreement.reference}: {self.get_choice_display()} ({self.shift})"

    def was_start(self):
        return datetime.datetime.fromisoformat(self.was["start"])

    def was_end(self):
        return datetime.datetime.fromisoformat(self.was["end"])

    @staticmethod
    def snapshot(shift):
        return {"start": shift.start.isoformat(), "end": shift.end.isoformat(), "kind": shift.kind,
                "pa": shift.pa_id, "tasks": [t.pk for t in shift.tasks.all()], "notes": shift.notes,
                "location": shift.location}


class WardLinkQuerySet(models.QuerySet):
    def for_token(self, token):
        return self.filter(token_hash=WardLink.hash_token(token))


class WardLink(models.Model):
    """A signed, single-use, expiring link for a ward contact outside the circle to review one
    agreement, or, once it is in force, to suspend, resume or record the discharge. Only a hash
    of the token is stored, so the database never holds a working link."""

    class Purpose(models.TextChoices):
        REVIEW = "review", "Review the agreement"
        IN_FORCE = "in_force", "Suspend, resume or record the discharge"

    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.REVIEW)
    agreement = models.ForeignKey(HospitalAgreement, on_delete=models.CASCADE, related_name="ward_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_to = models.CharField(max_length=254)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = WardLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(str(token).encode()).hexdigest()

    @classmethod
    def new_token(cls):
        return secrets.token_urlsafe(24)

    def state(self, now=None):
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at <= (now or timezone.now()) else "usable"
