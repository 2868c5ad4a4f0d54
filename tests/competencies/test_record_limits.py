"""Clinical records refuse pasted documents and impossible dates with a message, and save nothing
(issue 15, item 7): the forms say so beside the field, the services refuse the same through any
other way in (a flow step, a script)."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from competencies import services
from competencies.forms import AssessmentForm, ReasonForm, TrainingForm
from competencies.models import Assessment, CompetencyEvent, SignOff, TrainingRecord

from .factories import catalogue

pytestmark = pytest.mark.django_db

PASTED = "x" * 100_000


def today(n=0):
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def training_data(**changes):
    return {"trained_on": today(), "method": "supervised_practice", "supervised_practices": "1",
            "materials": "", "notes": "", **changes}


@pytest.mark.parametrize("field", ["materials", "notes"])
def test_a_pasted_document_in_a_training_record_is_a_form_error(field):
    form = TrainingForm(training_data(**{field: PASTED}))
    assert not form.is_valid() and "at most 2000 characters" in str(form.errors[field])


@pytest.mark.parametrize("trained_on, message", [
    ("0001-01-01", "within the last year"),
    ("1800-01-01", "within the last year"),
    ("9999-12-31", "cannot be in the future"),
])
def test_a_training_date_centuries_away_is_a_form_error(trained_on, message):
    form = TrainingForm(training_data(trained_on=trained_on))
    assert not form.is_valid() and message in str(form.errors["trained_on"])


def test_an_assessment_with_a_pasted_note_or_an_ancient_date_is_a_form_error():
    task = catalogue("nebuliser")
    answers = {f"criterion_{i}": "yes" for i in range(len(task.criteria))}
    form = AssessmentForm({"assessed_on": today(), "notes": PASTED, **answers}, task=task)
    assert not form.is_valid() and "notes" in form.errors
    form = AssessmentForm({"assessed_on": "0001-01-01", "notes": "", **answers}, task=task)
    assert not form.is_valid() and "within the last year" in str(form.errors["assessed_on"])
    form = AssessmentForm({"assessed_on": today(), "notes": "Fine", **answers}, task=task)
    assert form.is_valid(), form.errors


def test_a_reason_longer_than_the_record_keeps_is_a_form_error():
    form = ReasonForm({"reason": PASTED})
    assert not form.is_valid() and "reason" in form.errors


def test_the_services_refuse_the_same_and_save_nothing(family, pa, nurse):
    task = catalogue("nebuliser")
    competency = services.start_training(pa=pa, recipient=family, task=task, actor=nurse)
    with pytest.raises(ValidationError) as exc:
        services.record_training(competency=competency, trainer=nurse, trained_on=timezone.localdate(),
                                 method="supervised_practice", supervised_practices=1, notes=PASTED)
    assert "notes" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_training(competency=competency, trainer=nurse, trained_on=datetime.date(1, 1, 1),
                                 method="supervised_practice", supervised_practices=1)
    assert "trained_on" in exc.value.message_dict
    assert not TrainingRecord.objects.exists()

    services.record_training(competency=competency, trainer=nurse, trained_on=timezone.localdate(),
                             method="supervised_practice", supervised_practices=task.supervised_practices_required)
    results = {c: True for c in task.criteria}
    with pytest.raises(ValidationError) as exc:
        services.record_assessment(competency=competency, assessor=nurse, assessed_on=timezone.localdate(),
                                   results=results, notes=PASTED)
    assert "notes" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.record_assessment(competency=competency, assessor=nurse, assessed_on=datetime.date(1800, 1, 1),
                                   results=results)
    assert not Assessment.objects.exists()

    services.record_assessment(competency=competency, assessor=nurse, assessed_on=timezone.localdate(),
                               results=results)
    with pytest.raises(ValidationError) as exc:
        services.sign_off(competency=competency, actor=nurse, notes=PASTED)
    assert "notes" in exc.value.message_dict
    assert not SignOff.objects.exists()
    services.sign_off(competency=competency, actor=nurse, notes="Observed twice")

    events = CompetencyEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.suspend(competency=competency, actor=nurse, reason=PASTED)
    assert "reason" in exc.value.message_dict
    assert CompetencyEvent.objects.count() == events


def test_the_models_refuse_pasted_documents_too(family, pa, nurse):
    competency = services.start_training(pa=pa, recipient=family, task=catalogue("nebuliser"), actor=nurse)
    record = TrainingRecord(competency=competency, trainer=nurse, trained_on=timezone.localdate(),
                            method="supervised_practice", materials=PASTED, notes=PASTED)
    with pytest.raises(ValidationError) as exc:
        record.full_clean()
    assert {"materials", "notes"} <= set(exc.value.message_dict)
