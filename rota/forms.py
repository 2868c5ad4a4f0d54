"""Forms only parse what people type into aware datetimes and objects; the rules live in rota.services."""
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from care.kernel.names import person_name
from competencies.models import HealthcareTask

from . import rules
from .models import Shift
from .queries import circle_pas, happens_twice, local_instant, working_time_warnings


# The largest id a database here can hold. SQLite cannot even bind a bigger integer (OverflowError:
# a 500), so a choice naming one is refused like any other id that matches nothing.
LARGEST_ID = 2**63 - 1


def _too_large(value):
    try:
        return abs(int(str(value).strip())) > LARGEST_ID
    except ValueError:
        return False  # not a number at all: Django's own "not a valid value" answers it


class ChoiceOfRecord(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _too_large(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ChoicesOfRecords(forms.ModelMultipleChoiceField):
    def clean(self, value):
        for one in value if isinstance(value, (list, tuple)) else []:
            if _too_large(one):
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": one})
        return super().clean(value)


SCOPES = [("this", "Only this shift"), ("following", "This and the following shifts of the pattern")]


def _which_choices(time):
    return [("first", f"The first {time:%H:%M} (BST), before the clocks go back"),
            ("second", f"The second {time:%H:%M} (GMT), after the clocks go back")]


WHICH = [("first", "The first (BST)"), ("second", "The second (GMT)")]


class ShiftForm(forms.Form):
    # Browsers' date and time pickers exchange ISO formats whatever the page's locale.
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label="Starts", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(
        label="Ends", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="An end at or before the start means the next day (a night or sleep-in).",
    )
    kind = forms.ChoiceField(choices=Shift.Kind.choices)
    tasks = ChoicesOfRecords(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label="Delegated tasks on this shift", help_text="Only a PA signed off for each of these can be booked.",
    )
    pa = ChoiceOfRecord(queryset=None, required=False, label="PA", empty_label="Open (no PA yet)")
    location = forms.CharField(max_length=rules.LOCATION_MAX_LENGTH, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                            max_length=rules.NOTES_MAX_LENGTH)
    # Asked only when a time happens twice (the autumn clock change): hidden until then.
    start_which = forms.ChoiceField(choices=WHICH, required=False, widget=forms.HiddenInput)
    end_which = forms.ChoiceField(choices=WHICH, required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)

    scope = forms.ChoiceField(
        choices=SCOPES, widget=forms.RadioSelect, label="Change", required=False,
    )

    def __init__(self, *args, recipient, with_pa=True, current_tasks=(), editing=False, in_pattern=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["version"]  # a new shift has no version yet; every edit must send one
        if in_pattern:
            self.fields["scope"].required = True
            self.fields["scope"].error_messages["required"] = (
                "Say whether to change only this shift, or this and the following ones of its pattern.")
        else:
            del self.fields["scope"]
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
        start, end = timezone.localtime(shift.start), timezone.localtime(shift.end)
        return {
            "day": start.date(), "start_time": start.time().replace(second=0, microsecond=0),
            "end_time": end.time().replace(second=0, microsecond=0), "kind": shift.kind,
            "tasks": list(shift.tasks.all()), "location": shift.location, "notes": shift.notes,
            "version": shift.version,
            "start_which": "second" if start.fold else "", "end_which": "second" if end.fold else "",
        }

    def clean_day(self):
        day = self.cleaned_data["day"]
        rules.check_day(day)  # before any arithmetic on it: 31 Dec 9999 has no next day
        return day

    def clean(self):
        data = super().clean()
        day, start_time, end_time = data.get("day"), data.get("start_time"), data.get("end_time")
        if day is None or start_time is None or end_time is None:
            return data
        end_day = day + datetime.timedelta(days=1) if end_time <= start_time else day
        folds = {}
        for name, on, time in (("start", day, start_time), ("end", end_day, end_time)):
            folds[name] = self._fold(name, on, time)
        if folds["start"] is None or folds["end"] is None:
            return data
        start = local_instant(day, start_time, fold=folds["start"])
        end = local_instant(end_day, end_time, fold=folds["end"])
        if start is None:
            self.add_error("start_time", "That time does not exist in the UK that day: the clocks go forward.")
        if end is None:
            self.add_error("end_time", "That time does not exist in the UK that day: the clocks go forward.")
        data["start"], data["end"] = start, end
        return data

    def _fold(self, name, day, time):
        """0 or 1 for a time that happens twice, once the person has said which; else None and the
        question is asked (a guess would put the PA there an hour early or late)."""
        if not happens_twice(day, time):
            return 0
        field = f"{name}_which"
        which = self.cleaned_data.get(field)
        if which:
            return 1 if which == "second" else 0
        choices = _which_choices(time)
        self.fields[field].widget = forms.RadioSelect(choices=choices)
        self.fields[field].choices = choices
        self.fields[field].label = f"Which {time:%H:%M}?"
        self.add_error(field, f"{time:%H:%M} happens twice on {day:%a %d %b %Y}: the clocks go back an hour "
                              "at 02:00. Choose which one you mean.")
        return None


class AssignForm(forms.Form):
    # Nobody is preselected: a tap on "Book" must never book whoever sorts first.
    pa = ChoiceOfRecord(queryset=None, label="PA", empty_label="Choose a PA")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, recipient, shift=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pa"].queryset = circle_pas(recipient)
        self.fields["pa"].label_from_instance = person_name
        if shift is not None:
            # Rest and weekly-hours warnings beside each name, so they are seen while choosing.
            self.fields["pa"].label_from_instance = lambda pa: self._with_warnings(pa, shift)

    @staticmethod
    def _with_warnings(pa, shift):
        name = person_name(pa)
        found = working_time_warnings(pa=pa, start=shift.start, end=shift.end, exclude_pk=shift.pk)
        if not found:
            return name
        return f"{name} — " + "; ".join(w.removeprefix(f"{name} would have ").removeprefix(f"{name} would ")
                                         for w in found)


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=200, label="Why is it cancelled?")
    version = forms.IntegerField(widget=forms.HiddenInput)


class NeedsCoverForm(forms.Form):
    reason = forms.CharField(max_length=200, label="The PA can't come? Why does it need cover?")
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class SwapAskForm(forms.Form):
    # Nobody is preselected, as for booking: a tap must never ask whoever sorts first.
    to_pa = ChoiceOfRecord(queryset=None, label="Ask another PA to take it", empty_label="Choose a PA")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, recipient, pa, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_pa"].queryset = circle_pas(recipient).exclude(pk=pa.pk)
        self.fields["to_pa"].label_from_instance = person_name


class DropForm(forms.Form):
    reason = forms.CharField(max_length=200, label="Can't work it and nobody to ask? Say why",
                             help_text="The budget holder sees this; it is never put in a text.")
    version = forms.IntegerField(widget=forms.HiddenInput)


class SwapDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("refuse", "Don't approve")])
    version = forms.IntegerField(widget=forms.HiddenInput)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("yes", "Yes, I'll take it"), ("no", "No, I can't")])


def missing_version(form):
    """A change that does not say which version it was based on is treated as stale, never applied."""
    return "version" in form.fields and form.has_error("version")


def form_errors(form, error: ValidationError):
    """Put a service's refusal on the form, every reason shown."""
    for message in error.messages:
        form.add_error(None, message)


WEEKDAYS = [(str(i), name) for i, name in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                                     "Saturday", "Sunday"])]


class PatternForm(forms.Form):
    weekdays = forms.MultipleChoiceField(choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple, label="On")
    start_time = forms.TimeField(label="Starts", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(
        label="Ends", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="An end at or before the start means the next day (a night or sleep-in).",
    )
    kind = forms.ChoiceField(choices=[(k, v) for k, v in Shift.Kind.choices if k in ("day", "waking_night",
                                                                                   "sleep_in")])
    every_weeks = forms.TypedChoiceField(coerce=int, label="Repeats", initial=1, choices=[
        (1, "Every week"), (2, "Every other week"), (3, "Every third week"), (4, "Every fourth week")])
    starts_on = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    weeks = forms.IntegerField(label="For how many weeks", min_value=1, max_value=104, initial=8)
    pa = ChoiceOfRecord(queryset=None, required=False, label="PA", empty_label="Open (no PA yet)")
    tasks = ChoicesOfRecords(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label="Delegated tasks on these shifts", help_text="Only a PA signed off for each of these can be booked.",
    )
    location = forms.CharField(max_length=rules.LOCATION_MAX_LENGTH, required=False)

    def __init__(self, *args, recipient, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pa"].queryset = circle_pas(recipient)
        self.fields["pa"].label_from_instance = person_name
        self.fields["tasks"].queryset = (
            HealthcareTask.objects.filter(delegable=True, competencies__recipient=recipient).distinct().order_by("name")
        )

    def clean_starts_on(self):
        day = self.cleaned_data["starts_on"]
        rules.check_day(day)
        return day


class EndPatternForm(forms.Form):
    reason = forms.CharField(max_length=200, label="Why does the pattern end?")


class CopyWeekForm(forms.Form):
    from_week = forms.DateField(label="Copy the week of", widget=forms.DateInput(attrs={"type": "date"},
                                                                                 format="%Y-%m-%d"))
    to_week = forms.DateField(label="Onto the week of", widget=forms.DateInput(attrs={"type": "date"},
                                                                               format="%Y-%m-%d"),
                              help_text="Any day of each week will do.")

    def clean(self):
        data = super().clean()
        for name in ("from_week", "to_week"):
            if data.get(name):
                data[name] = data[name] - datetime.timedelta(days=data[name].weekday())
        if data.get("to_week"):
            try:
                rules.check_day(data["to_week"])
            except ValidationError as refusal:
                self.add_error("to_week", refusal)
        return data


class RotaSettingsForm(forms.Form):
    label = forms.CharField(
        max_length=20, required=False, label="Label in texts and calendars",
        help_text="A short name for your household a PA will recognise, e.g. \"Rose St\": no names or conditions.",
    )
    offer_follow_up_hours = forms.IntegerField(
        min_value=1, max_value=168, label="Tell me when nobody has taken an offered shift this many hours before it",
        help_text="We text the budget holders once, with a link to offer it again. 1 to 168 hours.",
    )
    approve_swaps_automatically = forms.BooleanField(
        required=False, label="Approve swaps between our PAs automatically",
        help_text="When a PA agrees to take over another's shift, it goes through at once if the rota's rules "
                  "(competencies, clashes, leave) allow it. Off: you approve each swap.",
    )


class ReminderForm(forms.Form):
    on = forms.BooleanField(required=False, label="Text me the day before each booked shift")
    at = forms.TimeField(label="At (UK time)", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


class UnavailableForm(forms.Form):
    repeat = forms.ChoiceField(choices=[("once", "Once"), ("weekly", "Every week")], widget=forms.RadioSelect,
                               initial="once", label="When")
    day = forms.DateField(required=False, label="Day (once)",
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    weekday = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Day (every week)",
                                     choices=[("", "—")] + [(str(i), n) for i, n in enumerate(
                                         ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                                          "Sunday"])])
    from_time = forms.TimeField(label="From", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    until_time = forms.TimeField(label="Until", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                 help_text="At or before the start means the next day.")

    def clean(self):
        data = super().clean()
        if data.get("repeat") == "once":
            day = data.get("day")
            if day is None:
                self.add_error("day", "Choose the day.")
                return data
            first, last = rules.shift_window()
            if not first <= day <= last:  # before any arithmetic on it: 31 Dec 9999 has no next day
                self.add_error("day", "That time has already passed." if day < first else
                               rules.window_message(first, last))
                return data
            if data.get("from_time") and data.get("until_time"):
                end_day = day + datetime.timedelta(days=1) if data["until_time"] <= data["from_time"] else day
                data["start"] = local_instant(day, data["from_time"])
                data["end"] = local_instant(end_day, data["until_time"])
                if data["start"] is None or data["end"] is None:
                    self.add_error(None, "That time does not exist in the UK that day: the clocks go forward.")
        elif data.get("repeat") == "weekly" and data.get("weekday") is None:
            self.add_error("weekday", "Choose the day of the week.")
        return data

    def service_kwargs(self):
        data = self.cleaned_data
        if data["repeat"] == "weekly":
            return {"weekday": data["weekday"], "from_time": data["from_time"], "until_time": data["until_time"]}
        return {"start": data["start"], "end": data["end"]}
