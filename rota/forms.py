"""Forms only parse what people type into aware datetimes and objects; the rules live in rota.services."""
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from care.kernel.names import person_name

from .models import Shift
from .queries import circle_pas, local_instant


class ShiftForm(forms.Form):
    # Browsers' date and time pickers exchange ISO formats whatever the page's locale.
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label="Starts", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(
        label="Ends", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="An end at or before the start means the next day (a night or sleep-in).",
    )
    kind = forms.ChoiceField(choices=Shift.Kind.choices)
    tasks = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label="Delegated tasks on this shift", help_text="Only a PA signed off for each of these can be booked.",
    )
    pa = forms.ModelChoiceField(queryset=None, required=False, label="PA", empty_label="Open (no PA yet)")
    location = forms.CharField(max_length=200, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, recipient, with_pa=True, current_tasks=(), **kwargs):
        from competencies.models import HealthcareTask

        super().__init__(*args, **kwargs)
        # Only tasks delegated in this circle (someone is training or signed off for them) are offered.
        self.fields["tasks"].queryset = (
            HealthcareTask.objects.filter(delegable=True)
            .filter(Q(competencies__recipient=recipient) | Q(pk__in=[t.pk for t in current_tasks]))
            .distinct().order_by("name")
        )
        self.fields["tasks"].nothing_to_choose = "No healthcare tasks are delegated in this circle yet."
        if with_pa:
            self.fields["pa"].queryset = circle_pas(recipient)
            self.fields["pa"].label_from_instance = person_name
        else:
            del self.fields["pa"]

    @classmethod
    def initial_for(cls, shift):
        from django.utils import timezone

        start, end = timezone.localtime(shift.start), timezone.localtime(shift.end)
        return {
            "day": start.date(), "start_time": start.time().replace(second=0, microsecond=0),
            "end_time": end.time().replace(second=0, microsecond=0), "kind": shift.kind,
            "tasks": list(shift.tasks.all()), "location": shift.location, "notes": shift.notes,
            "version": shift.version,
        }

    def clean(self):
        data = super().clean()
        day, start_time, end_time = data.get("day"), data.get("start_time"), data.get("end_time")
        if day is None or start_time is None or end_time is None:
            return data
        end_day = day + datetime.timedelta(days=1) if end_time <= start_time else day
        start, end = local_instant(day, start_time), local_instant(end_day, end_time)
        if start is None:
            self.add_error("start_time", "That time does not exist in the UK that day: the clocks go forward.")
        if end is None:
            self.add_error("end_time", "That time does not exist in the UK that day: the clocks go forward.")
        data["start"], data["end"] = start, end
        return data


class AssignForm(forms.Form):
    pa = forms.ModelChoiceField(queryset=None, label="PA", empty_label=None)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, recipient, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pa"].queryset = circle_pas(recipient)
        self.fields["pa"].label_from_instance = person_name


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=200, label="Why is it cancelled?")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NeedsCoverForm(forms.Form):
    reason = forms.CharField(max_length=200, label="The PA can't come? Why does it need cover?")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("yes", "Yes, I'll take it"), ("no", "No, I can't")])


def form_errors(form, error: ValidationError):
    """Put a service's refusal on the form, every reason shown."""
    for message in error.messages:
        form.add_error(None, message)
