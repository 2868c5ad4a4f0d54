"""Forms only parse input; the rules (enough hours, quarter hours, who may) live in respite.services."""
from django import forms
from django.contrib.auth import get_user_model

from care.kernel.names import person_name
from care.models import Membership, Role
from rota.forms import ChoiceOfRecord

from .models import QUARTER, PeriodUnit


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
        carers = Membership.objects.active().filter(recipient=recipient, role__in=[Role.CARER, Role.BUDGET_HOLDER])
        self.fields["carer"].queryset = (
            get_user_model().objects.filter(pk__in=carers.values("user")).order_by("first_name", "username")
        )
        self.fields["carer"].label_from_instance = person_name
