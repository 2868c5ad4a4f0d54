"""Timesheet forms parse what people type into aware datetimes; the rules live in rota.timesheets."""
import datetime

from django import forms
from django.utils import timezone

from care.kernel.names import person_name

from .models import Shift
from .queries import circle_pas, local_instant

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
CLOCKS_GO_FORWARD = "That time does not exist in the UK that day: the clocks go forward."


class TimesForm(forms.Form):
    day = forms.DateField(widget=DATE, label="Started on")
    start_time = forms.TimeField(label="Started", widget=TIME)
    end_time = forms.TimeField(label="Finished", widget=TIME,
                               help_text="A finish at or before the start means the next day.")
    break_minutes = forms.IntegerField(label="Unpaid break (minutes)", initial=0, min_value=0, max_value=24 * 60)
    woken_minutes = forms.IntegerField(label="Time woken to work (minutes, sleep-ins)", initial=0, min_value=0,
                                       max_value=24 * 60, required=False)
    reason = forms.CharField(max_length=200, label="Why the times changed")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, timesheet):
        current = timesheet.current_version
        start, end = timezone.localtime(current.start), timezone.localtime(current.end)
        return {"day": start.date(), "start_time": start.time().replace(second=0, microsecond=0),
                "end_time": end.time().replace(second=0, microsecond=0), "break_minutes": current.break_minutes,
                "woken_minutes": current.woken_minutes, "version": timesheet.version}

    def clean(self):
        data = super().clean()
        day, start_time, end_time = data.get("day"), data.get("start_time"), data.get("end_time")
        data["woken_minutes"] = data.get("woken_minutes") or 0
        if day is None or start_time is None or end_time is None:
            return data
        try:
            end_day = day + datetime.timedelta(days=1) if end_time <= start_time else day
        except OverflowError:
            raise forms.ValidationError("Check the date.") from None
        start, end = local_instant(day, start_time), local_instant(end_day, end_time)
        if start is None:
            self.add_error("start_time", CLOCKS_GO_FORWARD)
        if end is None:
            self.add_error("end_time", CLOCKS_GO_FORWARD)
        data["start"], data["end"] = start, end
        return data


class WorkedShiftForm(TimesForm):
    pa = forms.ModelChoiceField(queryset=None, label="PA")
    kind = forms.ChoiceField(choices=Shift.Kind.choices)
    reason = forms.CharField(max_length=200, label="Note (why it was not on the rota)", required=False)

    field_order = ["pa", "kind", "day", "start_time", "end_time", "break_minutes", "woken_minutes", "reason"]

    def __init__(self, *args, recipient, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        self.fields["pa"].queryset = circle_pas(recipient)
        self.fields["pa"].label_from_instance = person_name


class QueryForm(forms.Form):
    reason = forms.CharField(max_length=200, label="What should the PA look at again?")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
