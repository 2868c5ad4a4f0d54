"""Forms only parse input; the rules (enough hours, quarter hours, who may) live in respite.services."""
from django import forms
from django.contrib.auth import get_user_model

from care.kernel.names import person_name
from care.models import Membership, Role
from rota.forms import ChoiceOfRecord

from .models import QUARTER, CarerAssessment, Eligibility, PeriodUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [(True, "Yes"), (False, "No")]


def _carers(recipient):
    carers = Membership.objects.active().filter(recipient=recipient, role__in=[Role.CARER, Role.BUDGET_HOLDER])
    return get_user_model().objects.filter(pk__in=carers.values("user")).order_by("first_name", "username")


def _assessment_label(assessment):
    return (f"{assessment.reference}: {person_name(assessment.carer)}, {assessment.assessed_on:%d %b %Y} — "
            f"{assessment.respite_display}")


def current_assessments(recipient):
    return (CarerAssessment.objects.current().filter(recipient=recipient, respite_hours__isnull=False)
            .select_related("carer").order_by("carer__first_name", "-pk"))


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"step": 900, **(attrs or {})}, format="%Y-%m-%dT%H:%M")


class BookingForm(forms.Form):
    start = forms.DateTimeField(label="From", widget=LocalDateTimeInput())
    end = forms.DateTimeField(label="Until", widget=LocalDateTimeInput())
    notes = forms.CharField(label="Anything the PA should know (optional)", max_length=300, required=False)


class DecisionForm(forms.Form):
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label="Why (optional)", max_length=200, required=False)


class AdjustForm(forms.Form):
    hours = forms.DecimalField(
        label="Hours (negative to take away)", max_digits=7, decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
    )
    reason = forms.CharField(label="Reason", max_length=300)


class OpenAccountForm(forms.Form):
    carer = ChoiceOfRecord(queryset=get_user_model().objects.none())
    assessment = ChoiceOfRecord(label="The carer's assessment it comes from", queryset=CarerAssessment.objects.none())
    allowance_hours = forms.DecimalField(label="Hours each period", min_value=QUARTER, max_digits=7, decimal_places=2)
    period_length = forms.IntegerField(label="Every", min_value=1, max_value=52, initial=4)
    period_unit = forms.ChoiceField(label="Period", choices=PeriodUnit.choices, initial=PeriodUnit.WEEK)
    periods_start_on = forms.DateField(label="First period starts on", widget=forms.DateInput(attrs={"type": "date"}))
    cap_hours = forms.DecimalField(label="Cap on the banked balance (hours, optional)", required=False, min_value=0,
                                   max_digits=7, decimal_places=2)
    carry_over_hours = forms.DecimalField(label="Carry-over limit at the end of a period (hours, optional)",
                                          required=False, min_value=0, max_digits=7, decimal_places=2)
    expiry_months = forms.IntegerField(label="Hours expire after (months, optional)", required=False, min_value=1,
                                       max_value=120, initial=12)

    def __init__(self, *args, recipient, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carer"].queryset = _carers(recipient)
        self.fields["carer"].label_from_instance = person_name
        self.fields["assessment"].queryset = current_assessments(recipient)
        self.fields["assessment"].label_from_instance = _assessment_label


class AllowanceForm(forms.Form):
    allowance_hours = forms.DecimalField(label="Hours each period", min_value=QUARTER, max_digits=7, decimal_places=2,
                                         widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}))
    assessment = ChoiceOfRecord(label="The carer's assessment it comes from", queryset=CarerAssessment.objects.none())

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = current_assessments(account.recipient).filter(carer=account.carer)
        self.fields["assessment"].label_from_instance = _assessment_label


class AssessmentForm(forms.Form):
    carer = ChoiceOfRecord(queryset=get_user_model().objects.none())
    assessed_on = forms.DateField(label="Date of the assessment", widget=DATE)
    assessor = forms.CharField(label="Who assessed (name and organisation)", max_length=200)
    able_to_continue = forms.TypedChoiceField(label="Is the carer able to go on caring?", choices=YES_NO,
                                              coerce=lambda v: v == "True", widget=forms.RadioSelect)
    willing_to_continue = forms.TypedChoiceField(label="Is the carer willing to go on caring?", choices=YES_NO,
                                                 coerce=lambda v: v == "True", widget=forms.RadioSelect)
    impact = forms.CharField(label="The impact of caring on them", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    outcomes = forms.CharField(label="The outcomes they want", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    eligibility = forms.ChoiceField(label="Eligibility decision", choices=Eligibility.choices)
    support = forms.CharField(label="Support agreed", max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    respite_hours = forms.DecimalField(label="Respite hours agreed (optional)", required=False, min_value=QUARTER,
                                       max_digits=7, decimal_places=2,
                                       widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}))
    respite_period_length = forms.IntegerField(label="Every", required=False, min_value=1, max_value=52)
    respite_period_unit = forms.ChoiceField(label="Period", choices=[("", "—"), *PeriodUnit.choices], required=False)
    review_on = forms.DateField(label="Review date", widget=DATE)

    def __init__(self, *args, recipient, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carer"].queryset = _carers(recipient)
        self.fields["carer"].label_from_instance = person_name
