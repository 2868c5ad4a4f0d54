"""Forms of the hospital agreement's pages. They parse and offer choices; the rules live in
services."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from care.kernel.names import person_name
from care.models import Membership, Role
from care.validators import validate_mobile

from . import services
from .models import CONTACTS_LENGTH, NOTES_LENGTH, HomeShift, Support, WardReview

YES_NO = [("yes", "Yes"), ("no", "No")]
ALLOW_KEEP = [("keep", "The ward keeps it"), ("allow", "The PA may do it on the ward")]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return person_name(user)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return person_name(user)


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


def circle_members(recipient, role):
    ids = Membership.objects.active().filter(recipient=recipient, role=role).values("user")
    return get_user_model().objects.filter(pk__in=ids).order_by("first_name", "last_name", "pk")


class StartForm(forms.Form):
    laid_out_elsewhere = ("allow_",)  # a row per delegated task

    hospital = forms.CharField(max_length=120)
    ward = forms.CharField(max_length=80)
    ward_contact_name = forms.CharField(max_length=120, label="Ward contact (name)")
    ward_contact_mobile = forms.CharField(max_length=16, required=False, validators=[validate_mobile],
                                          label="Ward contact's mobile", help_text="The review link is texted here")
    ward_contact_email = forms.EmailField(required=False, label="…or their email")
    ward_manager = PersonChoiceField(queryset=None, required=False, label="…or a ward manager in the circle",
                                     empty_label="Nobody in the circle: send a link to the ward contact")
    admission_date = forms.DateField(widget=DateInput)
    expected_discharge = forms.DateField(widget=DateInput)
    pas = PeopleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple, label="PAs who will support them")
    support = forms.MultipleChoiceField(choices=Support.choices, required=False, widget=forms.CheckboxSelectMultiple,
                                        label="What the PAs will do")
    support_notes = forms.CharField(required=False, max_length=NOTES_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
                                    label="Anything else")

    def __init__(self, *args, recipient, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pas"].queryset = circle_members(recipient, Role.PA)
        self.fields["ward_manager"].queryset = circle_members(recipient, Role.WARD_MANAGER)
        self.competencies = list(competencies)
        for competency in self.competencies:
            self.fields[f"allow_{competency.pk}"] = forms.BooleanField(
                required=False, label=f"Ask the ward to let {person_name(competency.pa)} "
                                      f"do {competency.task.name}")

    def clean(self):
        data = super().clean()
        # the service's own rule, shown against its field; the service asks it again
        for field, message in services.stay_date_errors(data.get("admission_date"),
                                                        data.get("expected_discharge")).items():
            self.add_error(field, message)
        return data

    def task_fields(self):
        return [self[f"allow_{c.pk}"] for c in self.competencies]

    def terms(self):
        data = dict(self.cleaned_data)
        asked = [c.pk for c in self.competencies if data.pop(f"allow_{c.pk}", False)]
        return {**data, "asked_to_allow": asked}


class ReviewForm(forms.Form):
    """The ward's answer: its conditions, task by task what the PAs may do, and its decision."""

    laid_out_elsewhere = ("task_",)  # a row per delegated task

    reviewer_name = forms.CharField(max_length=120, label="Your name")
    reviewer_role = forms.CharField(max_length=120, required=False, label="Your role (e.g. ward manager)")
    support = forms.MultipleChoiceField(choices=Support.choices, required=False, widget=forms.CheckboxSelectMultiple,
                                        label="What the PAs may do on the ward")
    report_to = forms.CharField(max_length=120, required=False, label="On arrival the PA reports to")
    present_from = forms.TimeField(required=False, widget=TimeInput, label="PA present from")
    present_until = forms.TimeField(required=False, widget=TimeInput, label="PA present until")
    infection_control = forms.CharField(required=False, max_length=NOTES_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
    id_badge = forms.CharField(max_length=200, required=False, label="ID and badge")
    escalation_contacts = forms.CharField(required=False, max_length=CONTACTS_LENGTH,
                                          widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.ChoiceField(choices=WardReview.Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             label="Reason (required to decline; the family sees it)")

    def __init__(self, *args, agreement, decisions, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("support", agreement.support)
        super().__init__(*args, **kwargs)
        self.decisions = list(decisions)
        for row in self.decisions:
            self.fields[f"task_{row.pk}"] = forms.ChoiceField(
                choices=ALLOW_KEEP, widget=forms.RadioSelect, initial="allow" if row.ward_allows else "keep",
                label=f"{person_name(row.pa)}: {row.task.name}")

    def task_fields(self):
        return [self[f"task_{row.pk}"] for row in self.decisions]

    def answer(self):
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("task_")}
        data["allows"] = [row.pk for row in self.decisions if self.cleaned_data.get(f"task_{row.pk}") == "allow"]
        return data


class ConfirmForm(forms.Form):
    agreed = forms.TypedChoiceField(choices=YES_NO, widget=forms.RadioSelect, coerce=lambda v: v == "yes",
                                    label="Do you agree to the agreement as the ward has amended it?")
    notes = forms.CharField(required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class FundForm(forms.Form):
    laid_out_elsewhere = ("day_", "home_")  # the day-by-day plan, the home shifts inside the stay

    hours_funded = forms.BooleanField(required=False, label="The PAs' hours on the ward are funded from the budget")
    insurance_covers = forms.BooleanField(
        required=False, label="My employer's and public liability insurance covers the PAs on hospital premises")
    insurer = forms.CharField(max_length=120, required=False)
    policy_number = forms.CharField(max_length=60, required=False)
    insurance_expires = forms.DateField(required=False, widget=DateInput, label="Policy expires on")

    def __init__(self, *args, days, pas, default_plan, home_shifts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.days = days
        choices = [("", "No shift")] + [(str(pa.pk), person_name(pa)) for pa in pas]
        self.pas = {str(pa.pk): pa for pa in pas}
        for day in days:
            pa = default_plan.get(day)
            self.fields[f"day_{day:%Y%m%d}"] = forms.ChoiceField(
                choices=choices, required=False, label=f"{day:%a %d %b}", initial=str(pa.pk) if pa else "")
        self.home_shifts = list(home_shifts)
        for shift in self.home_shifts:
            offered = [c for c in HomeShift.Choice.choices
                       if c[0] != HomeShift.Choice.TURN or str(shift.pa_id) in self.pas]
            start, end = timezone.localtime(shift.start), timezone.localtime(shift.end)
            who = person_name(shift.pa) if shift.pa_id else "open, no PA"
            # not required here: the service reports a missing choice together with every other problem
            self.fields[f"home_{shift.pk}"] = forms.ChoiceField(
                choices=offered, widget=forms.RadioSelect, required=False,
                label=f"{start:%a %d %b %H:%M}-{end:%H:%M}, {shift.get_kind_display().lower()} ({who})")

    def day_fields(self):
        return [self[f"day_{day:%Y%m%d}"] for day in self.days]

    def home_fields(self):
        return [self[f"home_{shift.pk}"] for shift in self.home_shifts]

    def employer_answers(self):
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith(("day_", "home_"))}
        data["plan"] = {day: self.pas.get(self.cleaned_data.get(f"day_{day:%Y%m%d}") or "") for day in self.days}
        data["home"] = {shift.pk: self.cleaned_data.get(f"home_{shift.pk}") for shift in self.home_shifts}
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False)


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(required=False, widget=DateInput, label="Discharge date (today if blank)",
                                    help_text="A later date plans the discharge: the agreement ends that day. "
                                              "You see which shifts go before anything changes.")


class ExpectedDischargeForm(forms.Form):
    expected_discharge = forms.DateField(widget=DateInput, label="New expected discharge")
