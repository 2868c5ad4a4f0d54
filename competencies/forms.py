from django import forms

from care.validators import NOTES_MAX, validate_within_last_year

from .models import TrainingMethod

# A date input takes only ISO values (the browser shows nothing for "01/12/2026"), whatever the
# locale's display format.
RECENT_DAY = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
              "validators": [validate_within_last_year]}


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 3}), label="Reason (required)",
                             help_text="Kept with the record; the PA and the budget holder can read it.")


class TrainingForm(forms.Form):
    trained_on = forms.DateField(**RECENT_DAY)
    method = forms.ChoiceField(choices=TrainingMethod.choices)
    materials = forms.CharField(required=False, max_length=NOTES_MAX, widget=forms.Textarea(attrs={"rows": 2}),
                                help_text="Leaflets, videos, the care plan section used")
    supervised_practices = forms.IntegerField(min_value=0, max_value=50, initial=0,
                                              help_text="Supervised practices completed in this session")
    notes = forms.CharField(required=False, max_length=NOTES_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class AssessmentForm(forms.Form):
    """One yes/no field per criterion of the task, in the catalogue's order."""

    laid_out_elsewhere = ("criterion_",)  # a table of criteria on the assessment page

    assessed_on = forms.DateField(**RECENT_DAY)
    notes = forms.CharField(required=False, max_length=NOTES_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        for index, criterion in enumerate(task.criteria):
            self.fields[f"criterion_{index}"] = forms.TypedChoiceField(
                label=criterion, choices=[("yes", "Met"), ("no", "Not met")], widget=forms.RadioSelect,
                coerce=lambda value: value == "yes",
            )

    def criterion_fields(self):
        return [self[f"criterion_{i}"] for i in range(len(self.task.criteria))]

    def results(self):
        return {c: self.cleaned_data[f"criterion_{i}"] for i, c in enumerate(self.task.criteria)}
