"""Forms of the delegation steps and of the record of care given. They parse and offer choices;
the rules live in services."""
import datetime

from django import forms
from django.utils import timezone
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator

from care.kernel.clock import london
from care.kernel.names import person_name
from care.models import Membership, Role
from competencies.forms import AssessmentForm, TrainingForm  # noqa: F401  (the step views use them)
from competencies.models import HealthcareTask
from competencies.observations import for_task

from . import permissions
from .models import (
    ASSESSMENT_LENGTH, REASON_LENGTH, CareGiven, DelegationAgreement, DelegationRiskAssessment, Supervision,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


class TaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, task):
        return task.name if task.delegable else f"{task.name} (not delegable)"


class PAChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return person_name(user)


class RequestForm(forms.Form):
    """Every catalogue task is offered, non-delegable ones marked: choosing one gets the
    reason it is refused, rather than a silently shorter list."""

    recipient = forms.ModelChoiceField(queryset=None, label="For")
    pa = PAChoiceField(queryset=None, label="Personal assistant")
    healthcare_task = TaskChoiceField(queryset=HealthcareTask.objects.order_by("category", "name"), label="Task")
    reason = forms.CharField(max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
                             label="Why this task, by this PA?")

    def __init__(self, *args, user, recipient=None, **kwargs):
        super().__init__(*args, **kwargs)
        recipients = permissions.requestable_recipients(user).order_by("display_name")
        if recipient is not None:
            recipients = recipients.filter(pk=recipient.pk)
            self.fields["recipient"].initial = recipient.pk
        self.fields["recipient"].queryset = recipients
        pa_ids = Membership.objects.active().filter(role=Role.PA, recipient__in=recipients).values("user")
        self.fields["pa"].queryset = get_user_model().objects.filter(pk__in=pa_ids).order_by("first_name", "last_name")
        self.fields["healthcare_task"].choices = self._tasks_by_category()

    def _tasks_by_category(self):
        """The catalogue under its categories (Injections, Respiratory, ...): a long list reads by group."""
        field = self.fields["healthcare_task"]
        groups = {}
        for task in field.queryset:
            groups.setdefault(task.get_category_display(), []).append((task.pk, field.label_from_instance(task)))
        return [("", "Choose a task"), *groups.items()]


class RiskAssessmentForm(forms.Form):
    hazards = forms.CharField(max_length=ASSESSMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
                              label="Hazards for this person")
    controls = forms.CharField(required=False, max_length=ASSESSMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
                               label="Controls (care plan, equipment, escalation)")
    decision = forms.ChoiceField(choices=DelegationRiskAssessment.Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             label="Reason (required to decline; the person who asked sees it)")

    def __init__(self, *args, reusable=None, **kwargs):
        """`reusable`: on a re-delegation after expiry, the earlier assessment the clinician may
        confirm still stands (its hazards and controls are then copied, whatever is typed here)."""
        super().__init__(*args, **kwargs)
        if reusable is not None:
            self.fields["still_stands"] = forms.BooleanField(
                required=False,
                label=f"The assessment of {timezone.localtime(reusable.assessed_at):%d %b %Y} by "
                      f"{person_name(reusable.assessor)} still stands: reuse it",
                help_text="The PA then goes straight to an observed assessment, without new training.",
            )
            self.fields["hazards"].required = False
            self.fields["hazards"].initial, self.fields["controls"].initial = reusable.hazards, reusable.controls
            self.order_fields(["still_stands"])

    def clean(self):
        data = super().clean()
        if not data.get("still_stands") and "hazards" in data and not data["hazards"].strip():
            self.add_error("hazards", "Say what the hazards are for this person.")
        return data


class AgreementForm(forms.Form):
    agreed = forms.TypedChoiceField(choices=YES_NO, widget=forms.RadioSelect, coerce=lambda v: v == "yes")
    notes = forms.CharField(required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed"].label = question


class SignOffForm(forms.Form):
    confirm = forms.BooleanField(label="I have observed this PA, judge them competent for this person, and sign off")
    review_interval_days = forms.IntegerField(
        min_value=1, required=False, label="Days until the review",
        help_text="Left empty, the most allowed; the review opens 28 days before the end.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(required=False, max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
    care_plan_ref = forms.CharField(max_length=80, label="Care plan: reference")
    care_plan_version = forms.CharField(max_length=40, label="Care plan: version")
    emergency_plan_ref = forms.CharField(max_length=80, label="Emergency plan: reference")
    emergency_plan_version = forms.CharField(max_length=40, label="Emergency plan: version")
    emergency_plan = forms.CharField(max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
                                     label="In an emergency the PA will…",
                                     help_text="The PA reads this on their record and acknowledges it.")

    def __init__(self, *args, most, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["review_interval_days"]
        field.max_value, field.initial = most, most
        field.widget.attrs["max"] = most
        field.validators.append(MaxValueValidator(most, f"At most {most} days for this task and PA."))
        field.help_text = f"At most {most} days. " + field.help_text


class EmployerAgreementForm(forms.Form):
    choice_of = forms.ChoiceField(choices=DelegationAgreement.Choice.choices, widget=forms.RadioSelect,
                                  label="Whose choice is this delegation?")
    representative = forms.CharField(required=False, max_length=120, label="The representative's name",
                                     help_text="Only when the representative chose for the person.")
    confirm = forms.BooleanField(label="As the PA's employer, I agree to this delegation on these terms")

    def clean(self):
        data = super().clean()
        if data.get("choice_of") == DelegationAgreement.Choice.REPRESENTATIVE and not data.get("representative", "").strip():
            self.add_error("representative", "Name the representative who made the choice for the person.")
        return data


class AcknowledgeForm(forms.Form):
    confirm = forms.BooleanField(label="I have read the controls and the emergency plan and will work to them")


class DeclineForm(forms.Form):
    reason = forms.CharField(max_length=250, widget=forms.Textarea(attrs={"rows": 2}),
                             label="Why you decline (the clinician and the family read it)")


class HandoverForm(forms.Form):
    to = PAChoiceField(queryset=None, label="Hand accountability to")
    reason = forms.CharField(required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, recipient, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = Membership.objects.active().filter(recipient=recipient, role=Role.CLINICIAN).values("user")
        users = get_user_model().objects.filter(pk__in=ids).order_by("first_name", "last_name")
        self.fields["to"].queryset = users.exclude(pk=exclude) if exclude else users


class ReviewForm(forms.Form):
    """Renew, revoke or close; renewing re-observes the PA against each criterion of the task."""

    decision = forms.ChoiceField(choices=(), widget=forms.RadioSelect)
    reason = forms.CharField(required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             label="Reason (required to revoke)")
    notes = forms.CharField(required=False, max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, choices, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = choices
        self.criteria = list(criteria)
        for index, criterion in enumerate(self.criteria):
            self.fields[f"criterion_{index}"] = forms.TypedChoiceField(
                label=f"Re-observed: {criterion}", required=False, choices=[("yes", "Met"), ("no", "Not met")],
                widget=forms.RadioSelect, coerce=lambda value: value == "yes", empty_value=None,
            )

    def results(self):
        """Each criterion's answer, or None when not every one was marked."""
        answers = {c: self.cleaned_data.get(f"criterion_{i}") for i, c in enumerate(self.criteria)}
        return None if any(v is None for v in answers.values()) else answers


class CareGivenForm(forms.Form):
    """One entry of care given, for one task of the shift: quick on a phone (a time, three
    buttons, the catalogue's observations, a note). `client_key` is the phone's id for the entry:
    sent twice on a weak signal, it is recorded once."""

    client_key = forms.UUIDField(widget=forms.HiddenInput)
    healthcare_task = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    time = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    result = forms.ChoiceField(choices=CareGiven.Result.choices, widget=forms.RadioSelect, label="It was")
    note = forms.CharField(required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                           label="Note (say why if not done)")

    def __init__(self, *args, shift, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.shift, self.task = shift, task
        self.fields["healthcare_task"].queryset = shift.tasks.all()
        self.fields["healthcare_task"].initial = task.pk
        self.observation_fields = []
        for observation in for_task(task):
            name = f"obs_{observation.key}"
            label = f"{observation.label} ({observation.unit})" if observation.unit else observation.label
            if observation.kind == "choice":
                field = forms.ChoiceField(label=label, required=False,
                                          choices=[("", "Choose")] + [(o, o) for o in observation.options])
            elif observation.kind == "time":
                field = forms.CharField(label=label, required=False, widget=forms.TimeInput(attrs={"type": "time"}))
            else:
                field = forms.CharField(label=label, required=False,
                                        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
            self.fields[name] = field
            self.observation_fields.append(name)

    def done_at(self):
        """The shift's local day for the time given; the next day for a night shift's small hours."""
        start = timezone.localtime(self.shift.start)
        for day in (start.date(), start.date() + datetime.timedelta(days=1)):
            at = datetime.datetime.combine(day, self.cleaned_data["time"], tzinfo=london())
            if at >= self.shift.start - datetime.timedelta(hours=2):
                return at
        return at

    def observations(self):
        return {name[4:]: self.cleaned_data.get(name) or "" for name in self.observation_fields}


class ConcernForm(forms.Form):
    client_key = forms.UUIDField(widget=forms.HiddenInput)
    what_happened = forms.CharField(max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
                                    label="What happened")
    what_they_did = forms.CharField(max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
                                    label="What you did")
    who_they_told = forms.CharField(required=False, max_length=300, label="Who you told (999, 111, the nurse…)")


class ConcernResponseForm(forms.Form):
    response = forms.CharField(max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
                               label="Your response (what you have done or decided)")


class SupervisionForm(forms.Form):
    on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    observed = forms.TypedChoiceField(choices=[("yes", "Yes, I watched the PA do it"), ("no", "No (a discussion)")],
                                      widget=forms.RadioSelect, coerce=lambda v: v == "yes", label="Observed?")
    outcome = forms.ChoiceField(choices=Supervision.Outcome.choices, widget=forms.RadioSelect)
    notes = forms.CharField(required=False, max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
    then = forms.ChoiceField(required=False, label="After a concern", choices=[
        ("", "Nothing more now"), ("early_review", "Open the review now"), ("suspend", "Suspend the competency now"),
    ])


class ConditionChangeForm(forms.Form):
    summary = forms.CharField(max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
                              label="What changed in the person's condition",
                              help_text="Every signed-off delegated task for the person goes to an early review.")
