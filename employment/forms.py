"""Forms parse what people type; the rules (minimum wage, overlaps, windows) live in employment.services."""
from django import forms

from .models import Absence, Contract, PayPeriod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 8, "decimal_places": 2, "min_value": 0}
PERCENT = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 200}


class PAChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class TermsForm(forms.Form):
    pa = PAChoice(queryset=None, label="PA")
    effective_from = forms.DateField(widget=DATE, label="In force from")
    hourly_rate = forms.DecimalField(label="Hourly rate (£)", **MONEY)
    sleep_in_allowance = forms.DecimalField(label="Sleep-in allowance (£ a night)", **MONEY,
                                            help_text="Covers the time asleep; time woken is paid by the hour.")
    night_uplift_percent = forms.DecimalField(label="Night uplift (%)", initial=0, **PERCENT,
                                              help_text="For hours worked 22:00–06:00.")
    weekend_uplift_percent = forms.DecimalField(label="Weekend uplift (%)", initial=0, **PERCENT)
    bank_holiday_uplift_percent = forms.DecimalField(label="Bank holiday uplift (%)", initial=0, **PERCENT)
    pay_period = forms.ChoiceField(choices=PayPeriod.choices, initial=PayPeriod.MONTHLY)
    leave_year_start = forms.DateField(widget=DATE, label="Leave year starts on")
    contract = forms.ChoiceField(choices=Contract.choices, label="Hours")
    weekly_hours = forms.DecimalField(label="Contracted hours a week", required=False, max_digits=5,
                                      decimal_places=2, min_value=0, help_text="Regular hours only.")
    days_per_week = forms.DecimalField(label="Days worked a week", required=False, max_digits=2, decimal_places=1,
                                       min_value=0, max_value=7,
                                       help_text="Regular hours only: holiday is 5.6 weeks of these days, 28 at most.")
    below_minimum_reason = forms.CharField(
        label="Why a rate below the National Living Wage is lawful", required=False, max_length=200,
        help_text="Only for an apprentice or under-21 rate.",
    )

    def __init__(self, *args, pas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pa"].queryset = pas


class LeaveForm(forms.Form):
    first_day = forms.DateField(widget=DATE)
    last_day = forms.DateField(widget=DATE)
    hours = forms.DecimalField(required=False, max_digits=6, decimal_places=2, min_value=0,
                               help_text="Hours of holiday pay; leave empty to count a regular week's days.")


class SicknessForm(forms.Form):
    pa = PAChoice(queryset=None, label="PA")
    first_day = forms.DateField(widget=DATE)
    last_day = forms.DateField(widget=DATE)
    category = forms.ChoiceField(choices=Absence.Category.choices,
                                 help_text="A category only: no details of the illness.")

    def __init__(self, *args, pas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pa"].queryset = pas


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])
    reason = forms.CharField(required=False, max_length=200, help_text="Needed to decline; the PA sees it.")
