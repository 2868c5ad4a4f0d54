"""Forms for bringing people in and letting them go. They parse what people type (numbers,
dates, register formats); the rules about who may join live in the services."""
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils import timezone

from . import rates
from .models import BudgetKind, ContinuingCare, ManagementOption, Register, Role
from .validators import (
    ADDRESS_MAX,
    normalise_nhs_number,
    parse_mobile,
    shift_years,
    validate_budget_period,
    validate_date_of_birth,
    validate_nhs_number,
    validate_register_number,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 10, "decimal_places": 2, "min_value": Decimal("0")}
SHARE = {"max_digits": 5, "decimal_places": 2, "min_value": Decimal("0"), "max_value": Decimal("100"), "required": False,
         "widget": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"})}
EMAIL_MAX = 254  # the model's EmailField, and RFC 5321's limit on a path


def apply_service_errors(form, error, rename=None):
    """Put a service's ValidationError beside the fields it names (the rest above the form);
    `rename` maps the service's field names to the form's where they differ."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = (rename or {}).get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class RateCheckMixin:
    """A PA's hourly rate below the wage floor is not taken silently: the first time, the form is sent
    back with the warning (the figure and the date it applies from) and a box to tick; sent again with
    the box ticked, it goes through. Lawful reasons exist (an apprentice, an under-21 rate)."""

    @staticmethod
    def rate_checked_field():
        """Hidden until the warning shows, so a lawful rate is one box fewer on a phone."""
        return forms.BooleanField(required=False, widget=forms.HiddenInput,
                                  label="This rate is lawful (an apprentice or under-21 rate): send it anyway")

    # the warning the budget holder ticked past, for the view's audit row ("" when none)
    rate_confirmed_below_floor = ""

    def check_rate(self, data):
        warning = rates.rate_warning(data.get("hourly_rate"))
        if warning and data.get("rate_checked"):
            self.rate_confirmed_below_floor = warning
        if warning and not data.get("rate_checked"):
            self.fields["rate_checked"].widget = forms.CheckboxInput()
            self.add_error("hourly_rate", f"{warning} If this rate is lawful (an apprentice or under-21 "
                                          "rate), tick the box below and send again.")
        # Only the form's question: the services take the rate, not the answer to it.
        data.pop("rate_checked", None)
        return data


def _phone_input():
    return forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"})


class MobileField(forms.CharField):
    """A UK mobile as people type it (07700 900123, +44 7700 900123), cleaned to E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", _phone_input())
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return parse_mobile(value) if value else ""


class FamilyForm(forms.Form):
    """The person, their budget and who holds it, on one phone-length page."""

    display_name = forms.CharField(label="Name", max_length=120)
    date_of_birth = forms.DateField(widget=DATE, validators=[validate_date_of_birth])
    nhs_number = forms.CharField(label="NHS number", max_length=14, validators=[validate_nhs_number],
                                 widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=ADDRESS_MAX)

    kind = forms.ChoiceField(label="Kind of budget", choices=BudgetKind.choices)
    management_option = forms.ChoiceField(label="How the budget is managed", choices=ManagementOption.choices)
    direct_payment_share = forms.DecimalField(label="A mix: direct payment share (%)", **SHARE)
    third_party_share = forms.DecimalField(label="A mix: third-party share (%)", **SHARE)
    notional_share = forms.DecimalField(label="A mix: notional share (%)", **SHARE)
    continuing_care = forms.ChoiceField(label="Continuing-care eligibility", choices=ContinuingCare.choices)
    commissioning_area = forms.CharField(label="Commissioning area (ICB)", max_length=120, required=False)
    period_start = forms.DateField(label="Budget period starts", widget=DATE)
    period_end = forms.DateField(label="Budget period ends", widget=DATE)
    amount = forms.DecimalField(label="Amount for the period (£)", **MONEY)
    contingency = forms.DecimalField(label="Contingency (£)", initial=Decimal("0"), **MONEY)

    holder_first_name = forms.CharField(label="Budget holder's first name", max_length=150)
    holder_last_name = forms.CharField(label="Budget holder's last name", max_length=150, required=False)
    holder_mobile = MobileField(label="Budget holder's mobile", required=False)
    holder_email = forms.EmailField(label="Budget holder's email", required=False, max_length=EMAIL_MAX)

    # The budget holder's invitation reports its errors under the invitation's field names.
    HOLDER_FIELDS = {"first_name": "holder_first_name", "last_name": "holder_last_name",
                     "mobile": "holder_mobile", "email": "holder_email"}

    SECTIONS = [
        ("The person", ["display_name", "date_of_birth", "nhs_number", "address"]),
        ("Personal health budget", ["kind", "management_option", "direct_payment_share", "third_party_share",
                                    "notional_share", "continuing_care", "commissioning_area", "period_start",
                                    "period_end", "amount", "contingency"]),
        ("Budget holder (mobile or email, or both)",
         ["holder_first_name", "holder_last_name", "holder_mobile", "holder_email"]),
    ]

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean_nhs_number(self):
        return normalise_nhs_number(self.cleaned_data["nhs_number"])

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end"):
            # The budget's own rule, run here too so both dates' messages show before anything is saved.
            try:
                validate_budget_period(data["period_start"], data["period_end"])
            except forms.ValidationError as error:
                for field, errors in error.error_dict.items():
                    self.add_error(field, errors)
        return data

    def service_arguments(self):
        d = self.cleaned_data
        return {
            "person": {k: d[k] for k in ("display_name", "date_of_birth", "nhs_number", "address")},
            "budget": {
                **{k: d[k] for k in ("kind", "management_option", "continuing_care", "commissioning_area",
                                     "period_start", "period_end", "amount", "contingency")},
                # the shares only mean something in a mix; a single option is all of the budget
                **{k: d[k] or Decimal("0") for k in ("direct_payment_share", "third_party_share", "notional_share")},
            },
            "budget_holder": {
                "first_name": d["holder_first_name"], "last_name": d["holder_last_name"],
                "mobile": d["holder_mobile"], "email": d["holder_email"],
            },
        }


class InviteForm(RateCheckMixin, forms.Form):
    first_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    last_name = forms.CharField(max_length=150, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(widget=forms.RadioSelect)
    mobile = MobileField(required=False, help_text="We text them the link.")
    email = forms.EmailField(required=False, max_length=EMAIL_MAX, help_text="Or we email it.")
    register = forms.ChoiceField(label="Professional register", choices=[("", "—")] + Register.choices,
                                 required=False)
    registration_number = forms.CharField(label="Registration number (NMC PIN, HCPC or GMC number)", max_length=20,
                                          required=False)
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    hourly_rate = forms.DecimalField(label="Hourly rate (£)", max_digits=7, decimal_places=2, min_value=0,
                                     required=False)
    sleep_in_rate = forms.DecimalField(label="Sleep-in rate (£)", max_digits=7, decimal_places=2, min_value=0,
                                       required=False)
    rate_checked = RateCheckMixin.rate_checked_field()

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0].value

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.CLINICIAN and data.get("register") and data.get("registration_number"):
            # The format check runs here too so a typo shows beside the field before anything is saved.
            try:
                validate_register_number(data["register"], data["registration_number"])
            except forms.ValidationError as error:
                self.add_error(None, error)
        if data.get("role") == Role.PA:
            self.check_rate(data)
        data.pop("rate_checked", None)
        return data


class AddPAForm(RateCheckMixin, forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150, required=False)
    mobile = MobileField()
    sms_consent = forms.BooleanField(
        label="They have agreed to get texts from paworkflow (shift offers, changes, reminders)",
        required=True,
        error_messages={"required": "Tick this once they have agreed: without it we cannot text them."},
    )
    hourly_rate = forms.DecimalField(label="Hourly rate (£)", max_digits=7, decimal_places=2, min_value=0)
    sleep_in_rate = forms.DecimalField(label="Sleep-in rate (£)", max_digits=7, decimal_places=2, min_value=0)
    rate_checked = RateCheckMixin.rate_checked_field()

    def clean(self):
        return self.check_rate(super().clean())


class EndMembershipForm(forms.Form):
    # Access ends at the start of this day (Membership.objects.active: ended_on > today), so it is
    # not a "last day" they can still work.
    ended_on = forms.DateField(label="Access ends on", widget=DATE, initial=timezone.localdate,
                               help_text="At midnight (UK time) at the start of this day. Today ends it now.")
    reason = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean_ended_on(self):
        # A notice period, not a date in another century; earlier days are checked against the start.
        ended_on = self.cleaned_data["ended_on"]
        if ended_on > shift_years(timezone.localdate(), 1):
            raise forms.ValidationError("Choose a day within a year from today.", code="end_too_far")
        return ended_on


class NewPasswordMixin:
    def _check_passwords(self, user):
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords do not match.")
        elif p1:
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)


def new_password_fields():
    return (
        forms.CharField(label="Password", strip=False,
                        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                        help_text=password_validation.password_validators_help_text_html()),
        forms.CharField(label="Password again", strip=False,
                        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})),
    )


class AccountForm(NewPasswordMixin, forms.Form):
    """Choose a username and password when accepting an invitation."""

    username = forms.CharField(max_length=150, widget=forms.TextInput(
        attrs={"autocomplete": "username", "autocapitalize": "none"}))
    password1, password2 = new_password_fields()
    # Consent is a box the person ticks themselves, never one ticked for them.
    sms_consent = forms.BooleanField(label="Send me texts about shifts and changes (reply STOP at any time)",
                                     required=False)

    def __init__(self, *args, invitation, existing_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation, self.existing_user = invitation, existing_user
        if not invitation.mobile or (existing_user is not None and hasattr(existing_user, "profile")):
            del self.fields["sms_consent"]

    def clean_username(self):
        User = get_user_model()
        username = User.normalize_username(self.cleaned_data["username"].strip())
        User.username_validator(username)
        taken = User.objects.filter(username__iexact=username)
        if self.existing_user is not None:
            taken = taken.exclude(pk=self.existing_user.pk)
        if taken.exists():
            raise forms.ValidationError("That username is taken: choose another.")
        return username

    def clean(self):
        data = super().clean()
        User = get_user_model()
        probe = User(username=data.get("username", ""), first_name=self.invitation.first_name,
                     last_name=self.invitation.last_name, email=self.invitation.email)
        self._check_passwords(probe)
        return data

