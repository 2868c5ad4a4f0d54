"""Forms of the delegation steps. They parse and offer choices; the rules live in services."""
from django import forms
from django.contrib.auth import get_user_model

from care.kernel.names import person_name
from care.models import Membership, Role
from competencies.forms import AssessmentForm, TrainingForm  # noqa: F401  (the step views use them)
from competencies.models import HealthcareTask

from . import permissions
from .models import ASSESSMENT_LENGTH, REASON_LENGTH, DelegationRiskAssessment

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


class RiskAssessmentForm(forms.Form):
    hazards = forms.CharField(max_length=ASSESSMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
                              label="Hazards for this person")
    controls = forms.CharField(required=False, max_length=ASSESSMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
                               label="Controls (care plan, equipment, escalation)")
    decision = forms.ChoiceField(choices=DelegationRiskAssessment.Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             label="Reason (required to decline; the person who asked sees it)")


class AgreementForm(forms.Form):
    agreed = forms.TypedChoiceField(choices=YES_NO, widget=forms.RadioSelect, coerce=lambda v: v == "yes")
    notes = forms.CharField(required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed"].label = question


class SignOffForm(forms.Form):
    confirm = forms.BooleanField(label="I have observed this PA, judge them competent for this person, and sign off")
    notes = forms.CharField(required=False, max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=(), widget=forms.RadioSelect)
    reason = forms.CharField(required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             label="Reason (required to revoke)")
    notes = forms.CharField(required=False, max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = choices
