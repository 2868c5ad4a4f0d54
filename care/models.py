"""The person at the centre, the circle around them, and their personal health budget."""
import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact, LessThanOrEqual
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .kernel.names import person_name
from .kernel.records import AppendOnly
from .validators import (
    ADDRESS_MAX,
    normalise_nhs_number,
    normalise_register_number,
    validate_budget_period,
    validate_date_of_birth,
    validate_mobile,
    validate_nhs_number,
    validate_register_number,
)


class CareRecipient(models.Model):
    display_name = models.CharField(max_length=120)
    date_of_birth = models.DateField(validators=[validate_date_of_birth])
    nhs_number = models.CharField(max_length=10, unique=True, validators=[validate_nhs_number])
    address = models.TextField(max_length=ADDRESS_MAX, blank=True, validators=[MaxLengthValidator(ADDRESS_MAX)])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.CheckConstraint(condition=LessThanOrEqual(Length("address"), ADDRESS_MAX),
                                   name="recipient_address_length"),
        ]
        permissions = [
            ("view_circle", "See the circle and its rota"),
            ("manage_circle", "Invite and remove circle members"),
            ("manage_rota", "Plan and change the rota"),
            ("work_shifts", "Take shifts and answer offers"),
            ("view_budget", "See the personal health budget and costs"),
            ("act_clinically", "Assess, train, sign off and revoke delegated tasks"),
            ("consent_delegation", "Consent to delegation as the person or their representative"),
            ("review_hospital_agreement", "Review hospital agreements as the ward"),
            ("use_respite", "Hold and spend respite hours"),
            ("coordinate", "Oversee as PHB coordinator"),
        ]

    def __str__(self):
        return self.display_name

    def clean(self):
        self.nhs_number = normalise_nhs_number(self.nhs_number)

    @property
    def nhs_number_display(self):
        n = self.nhs_number
        return f"{n[:3]} {n[3:6]} {n[6:]}"


class CareRecipientUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(CareRecipient, on_delete=models.CASCADE)


class CareRecipientGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(CareRecipient, on_delete=models.CASCADE)


class Role(models.TextChoices):
    BUDGET_HOLDER = "budget_holder", "Budget holder"
    CARER = "carer", "Carer"
    PA = "pa", "Personal assistant"
    CLINICIAN = "clinician", "Clinician"
    WARD_MANAGER = "ward_manager", "Ward manager"
    COORDINATOR = "coordinator", "PHB coordinator"


class MembershipQuerySet(models.QuerySet):
    def active(self, at=None):
        today = timezone.localdate(at) if at else timezone.localdate()
        return self.filter(started_on__lte=today).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))


class Membership(models.Model):
    """One person's role in one care recipient's circle, from a date until an end date."""

    recipient = models.ForeignKey(CareRecipient, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    # Set once the end has taken effect (permissions removed, listeners told).
    access_removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["recipient", "role", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["recipient", "user", "role"],
                condition=Q(ended_on__isnull=True),
                name="one_open_membership_per_role",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} for {self.recipient}"

    def clean(self):
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "The end date cannot be before the start date."})

    def is_active(self, at=None):
        today = timezone.localdate(at) if at else timezone.localdate()
        return self.started_on <= today and (self.ended_on is None or self.ended_on > today)


class Profile(models.Model):
    """How to reach someone by text. Anyone in a circle may have one; PAs always do."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    mobile = models.CharField(max_length=16, blank=True, validators=[validate_mobile], help_text="E.164, e.g. +447700900123")
    sms_consent = models.BooleanField(default=False, help_text="Agreed to receive texts from paworkflow")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mobile"], condition=~Q(mobile=""), name="one_profile_per_mobile"),
        ]

    def __str__(self):
        return f"{self.user} {self.mobile}"


class PAProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pa_profile")
    hourly_rate = models.DecimalField(max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    sleep_in_rate = models.DecimalField(
        max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0"))], help_text="Flat rate per sleep-in"
    )

    class Meta:
        verbose_name = "PA profile"
        constraints = [
            models.CheckConstraint(condition=Q(hourly_rate__gte=0) & Q(sleep_in_rate__gte=0), name="pa_rates_not_negative"),
        ]

    def __str__(self):
        return f"PA {self.user}"


class Register(models.TextChoices):
    NMC = "nmc", "NMC (nurses and midwives)"
    HCPC = "hcpc", "HCPC (allied health professionals)"
    GMC = "gmc", "GMC (doctors)"


class ClinicianProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician_profile")
    register = models.CharField(max_length=4, choices=Register.choices)
    registration_number = models.CharField(max_length=12)
    organisation = models.CharField(max_length=200)

    def __str__(self):
        return f"{self.user} ({self.get_register_display()} {self.registration_number})"

    def clean(self):
        if self.register:
            validate_register_number(self.register, self.registration_number)
            self.registration_number = self.registration_number.replace(" ", "").upper()


class ManagementOption(models.TextChoices):
    DIRECT_PAYMENT = "direct_payment", "Direct payment"
    THIRD_PARTY = "third_party", "Third-party budget"
    NOTIONAL = "notional", "Notional budget"
    MIXED = "mixed", "A mix of these"


class BudgetKind(models.TextChoices):
    """The kinds the national PHB collection counts separately."""

    PERSONAL_HEALTH_BUDGET = "phb", "Personal health budget"
    INTEGRATED = "ipb", "Integrated personal budget"
    WHEELCHAIR = "pwb", "Personal wheelchair budget"


class ContinuingCare(models.TextChoices):
    NONE = "none", "Not eligible for continuing care"
    ADULT_CHC = "adult_chc", "NHS continuing healthcare (adult)"
    CHILDREN = "children_cc", "Children and young people's continuing care"


# Each single option's share field; a mix names two or more shares adding up to 100%.
SHARE_FIELDS = {
    ManagementOption.DIRECT_PAYMENT: "direct_payment_share",
    ManagementOption.THIRD_PARTY: "third_party_share",
    ManagementOption.NOTIONAL: "notional_share",
}
HUNDRED = Decimal("100")


def _share_field(label):
    return models.DecimalField(
        label, max_digits=5, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(HUNDRED)],
        help_text="Per cent of the budget managed this way",
    )


class PersonalHealthBudget(models.Model):
    """One period of a person's budget. A renewal is a new row with the same kind and `started_on`;
    the quarterly return counts a budget once per person and kind (care.phb_return)."""

    recipient = models.ForeignKey(CareRecipient, on_delete=models.CASCADE, related_name="budgets")
    kind = models.CharField(max_length=3, choices=BudgetKind.choices, default=BudgetKind.PERSONAL_HEALTH_BUDGET)
    management_option = models.CharField(max_length=20, choices=ManagementOption.choices)
    direct_payment_share = _share_field("direct payment share (%)")
    third_party_share = _share_field("third-party share (%)")
    notional_share = _share_field("notional share (%)")
    period_start = models.DateField()
    period_end = models.DateField()
    started_on = models.DateField(
        blank=True, help_text="When this person's budget of this kind began (a renewal keeps the first date); "
        "blank: the period's start")
    ended_on = models.DateField(null=True, blank=True,
                                help_text="When the budget stopped, if it did (moved away, no longer eligible)")
    continuing_care = models.CharField(
        "continuing-care eligibility", max_length=12, choices=ContinuingCare.choices, default=ContinuingCare.NONE)
    commissioning_area = models.CharField(max_length=120, blank=True,
                                          help_text="The commissioning ICB, e.g. NHS West Yorkshire ICB")
    amount = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    contingency = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    # Fields migration 0005 filled in for budgets that existed before the return did, without
    # knowing them; the return lists these budgets until someone saves them with checked values.
    guessed = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["recipient", "-period_start"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gt=models.F("period_start")), name="budget_period_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(contingency__gte=0), name="budget_not_negative"),
            models.CheckConstraint(
                condition=Exact(models.F("direct_payment_share") + models.F("third_party_share")
                                + models.F("notional_share"), HUNDRED),
                name="budget_shares_add_to_100",
            ),
            models.CheckConstraint(
                condition=Q(management_option="direct_payment", direct_payment_share=HUNDRED)
                | Q(management_option="third_party", third_party_share=HUNDRED)
                | Q(management_option="notional", notional_share=HUNDRED)
                | Q(management_option="mixed", direct_payment_share__lt=HUNDRED, third_party_share__lt=HUNDRED,
                    notional_share__lt=HUNDRED),
                name="budget_shares_match_option",
            ),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="budget_ends_after_it_starts"),
        ]

    def __str__(self):
        return f"{self.recipient}: £{self.amount} {self.period_start}–{self.period_end}"

    @property
    def shares(self):
        """{option: per cent} for the options this budget uses."""
        return {option: getattr(self, field) for option, field in SHARE_FIELDS.items() if getattr(self, field)}

    def management_display(self):
        if self.management_option != ManagementOption.MIXED:
            return self.get_management_option_display()
        return ", ".join(f"{ManagementOption(o).label.lower()} {share.normalize():f}%"
                         for o, share in self.shares.items())

    def _fill_defaults(self):
        """A single option is all of the budget; a new budget starts with its first period."""
        if self.management_option in SHARE_FIELDS:
            for option, field in SHARE_FIELDS.items():
                setattr(self, field, HUNDRED if option == self.management_option else Decimal("0"))
        if self.started_on is None:
            self.started_on = self.period_start

    def clean(self):
        self._fill_defaults()
        errors = {}
        if self.period_start and self.period_end:
            # The window around today is for new periods: last decade's budget stays correctable.
            new = self._state.adding or not PersonalHealthBudget.objects.filter(
                pk=self.pk, period_start=self.period_start).exists()
            try:
                validate_budget_period(self.period_start, self.period_end, new=new)
            except ValidationError as error:
                errors.update(error.error_dict)
        if self.management_option == ManagementOption.MIXED:
            shares = [getattr(self, field) or Decimal("0") for field in SHARE_FIELDS.values()]
            total = sum(shares)
            if total != HUNDRED:
                errors["management_option"] = ValidationError(
                    f"The shares of a mix must add up to 100%; these add up to {total.normalize():f}%.",
                    code="shares_total")
            elif sum(1 for share in shares if share) < 2:
                errors["management_option"] = ValidationError(
                    "A mix uses at least two ways of managing the budget: choose that one instead.",
                    code="shares_single")
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = ValidationError("The budget cannot end before it started.", code="budget_end_order")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self._fill_defaults()
        super().save(*args, **kwargs)


class AuditEvent(AppendOnly):
    """Append-only record of who did what to whom: membership changes, decisions, staff views."""

    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    # Who acted is kept twice: a user with audit rows cannot be deleted (deactivate them), and the
    # name they had at the time stays on the row whatever later happens to the account.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=300, blank=True, editable=False)
    recipient = models.ForeignKey(CareRecipient, null=True, on_delete=models.SET_NULL, related_name="audit_events")
    action = models.CharField(max_length=60)
    summary = models.CharField(max_length=300)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["recipient", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or 'the system'} {self.action}: {self.summary}"

    def save(self, *args, **kwargs):
        if self.actor_id and not self.actor_name:
            self.actor_name = person_name(self.actor)[:300]
        super().save(*args, **kwargs)


INVITATION_VALID_DAYS = 7
# The roles a circle invites people into. Coordinators join by creating or being given a caseload.
INVITABLE_ROLES = [Role.BUDGET_HOLDER, Role.CARER, Role.PA, Role.CLINICIAN, Role.WARD_MANAGER]


class InvitationQuerySet(models.QuerySet):
    def pending(self, at=None):
        """Not accepted, not revoked, not yet expired: the link still works."""
        return self.filter(status=Invitation.Status.PENDING, expires_at__gt=at or timezone.now())

    def for_token(self, token):
        return self.filter(token_hash=Invitation.hash_token(token))


class Invitation(models.Model):
    """A single-use link asking one person (by mobile or email) to join a circle in a role.

    Only a hash of the token is stored, so the database never holds a working link.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Withdrawn"

    class State(models.TextChoices):
        """What the link does now: the stored status, plus expiry, which passes without a write."""

        PENDING = "pending", "Waiting for an answer"
        EXPIRED = "expired", "Expired"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Withdrawn"

    recipient = models.ForeignKey(CareRecipient, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20, choices=Role.choices)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150, blank=True)
    mobile = models.CharField(max_length=16, blank=True, validators=[validate_mobile])
    email = models.EmailField(blank=True)
    # The account this invitation is for when one already exists (a PA of another family,
    # or a PA added without an account who is now given one); None for a new person.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    # Clinicians: their professional register entry, checked for format.
    register = models.CharField(max_length=4, choices=Register.choices, blank=True)
    registration_number = models.CharField(max_length=12, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    # PAs: rates used when the PA has no PA profile yet.
    hourly_rate = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    sleep_in_rate = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    expires_at = models.DateTimeField()
    sent_count = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mobile="") | ~Q(email=""),
                name="invitation_has_a_contact",
                violation_error_message="Give a mobile number or an email address.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in INVITABLE_ROLES]),
                name="invitation_role_invitable",
                violation_error_message="People cannot be invited into this role.",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.CLINICIAN) | (~Q(register="") & ~Q(registration_number="")),
                name="clinician_invitation_has_register",
                violation_error_message="A clinician's invitation needs their professional register and number.",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False), name="accepted_invitation_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False), name="revoked_invitation_has_time"
            ),
            models.UniqueConstraint(
                fields=["recipient", "mobile"],
                condition=Q(status="pending") & ~Q(mobile=""),
                name="one_pending_invitation_per_mobile",
                violation_error_message="Someone was already invited with this number.",
            ),
            models.UniqueConstraint(
                fields=["recipient", "email"],
                condition=Q(status="pending") & ~Q(email=""),
                name="one_pending_invitation_per_email",
                violation_error_message="Someone was already invited with this email address.",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} as {self.get_role_display()} for {self.recipient}"

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(str(token).encode()).hexdigest()

    def new_token(self):
        """Give the invitation a fresh link (the old one stops working) and return the raw token."""
        token = secrets.token_urlsafe(16)
        self.token_hash = self.hash_token(token)
        return token

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def reference(self):
        return f"I-{self.pk}"

    def state(self, at=None):
        if self.status != self.Status.PENDING:
            return self.State(self.status)
        return self.State.PENDING if self.expires_at > (at or timezone.now()) else self.State.EXPIRED

    def get_state_display(self):
        return self.state().label

    def clean(self):
        self.email = self.email.strip().lower()
        if not (self.mobile or self.email):
            raise ValidationError({"mobile": "Give a mobile number or an email address."})
        if self.role == Role.CLINICIAN:
            if not self.register:
                raise ValidationError({"register": "Choose the clinician's professional register."})
            validate_register_number(self.register, self.registration_number)
            self.registration_number = normalise_register_number(self.registration_number)
            if not self.organisation.strip():
                raise ValidationError({"organisation": "Give the clinician's organisation (their trust or practice)."})


class RecoveryCode(models.Model):
    """A one-time code texted to someone who has only a mobile number, to set a new password."""

    VALID_MINUTES = 15
    MAX_ATTEMPTS = 5

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"Recovery code for {self.user} at {self.created_at:%Y-%m-%d %H:%M}"
