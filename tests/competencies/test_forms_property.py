"""Every competencies form with hostile input (tests/hostile.py), as its rightful user: the
clinician's suspend/reinstate/revoke page never fails and keeps nothing invalid; the training and
assessment forms, with the services their flow steps call, refuse cleanly or save valid rows.
(The flow's step pages are workflows'; here the form and the service are the entry points.)"""
from contextlib import suppress

from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from competencies import services
from competencies.forms import AssessmentForm, TrainingForm
from competencies.models import Assessment, Competency, CompetencyEvent, SignOff, Status, TrainingRecord
from tests.factories import log_in_with_second_factor
from tests.hostile import FORM_PROPERTY, assert_no_invalid_rows, hostile_form_data, today_plus

from .factories import catalogue, earn_sign_off

EVERY_RECORD = (Competency, CompetencyEvent, SignOff, TrainingRecord, Assessment)


def test_suspending_reinstating_and_revoking_survive_hostile_reasons(client, family, parent, nurse, pa):
    log_in_with_second_factor(client, nurse)
    task = catalogue("nebuliser")

    @FORM_PROPERTY
    @given(data=hostile_form_data(["reason"], valid={"reason": "Observed unsafe technique"}),
           first=st.sampled_from(["", "suspend"]), action=st.sampled_from(["suspend", "reinstate", "revoke"]))
    def post(data, first, action):
        Competency.objects.live().filter(pa=pa, recipient=family, task=task).update(status=Status.REVOKED)
        competency = earn_sign_off(pa=pa, recipient=family, task=task, clinician=nurse)
        if first:
            services.suspend(competency=competency, actor=nurse, reason="Awaiting retraining")
        # revoking asks once more: the answer is part of the same form
        response = client.post(reverse(f"competencies:{action}", args=[competency.pk]), {**data, "confirm": "yes"})
        # 302 back to the record with a message; 400 when the middleware refuses a NUL byte outright
        assert response.status_code in (302, 400), response.status_code
        assert_no_invalid_rows(*EVERY_RECORD)

    post()


def test_training_and_assessment_forms_survive_hostile_input(family, nurse, pa):
    task = catalogue("nebuliser")
    training_valid = {"trained_on": today_plus(0), "method": "supervised_practice", "supervised_practices": "1",
                      "materials": "Trust leaflet", "notes": "Went well"}
    criteria = {f"criterion_{i}": "yes" for i in range(len(task.criteria))}
    assessment_valid = {"assessed_on": today_plus(0), "notes": "Competent", **criteria}

    @FORM_PROPERTY
    @given(training=hostile_form_data(list(training_valid), valid=training_valid),
           assessment=hostile_form_data(list(assessment_valid), valid=assessment_valid))
    def record(training, assessment):
        Competency.objects.live().filter(pa=pa, recipient=family, task=task).update(status=Status.REVOKED)
        competency = services.start_training(pa=pa, recipient=family, task=task, actor=nurse)
        form = TrainingForm(training)
        if form.is_valid():
            # a refusal by the service (the page shows it) is a right answer too; a crash is not
            with suppress(ValidationError):
                services.record_training(competency=competency, trainer=nurse, **form.cleaned_data)
        form = AssessmentForm(assessment, task=task)
        if form.is_valid():
            with suppress(ValidationError):
                services.record_assessment(competency=competency, assessor=nurse, results=form.results(),
                                           assessed_on=form.cleaned_data["assessed_on"],
                                           notes=form.cleaned_data["notes"])
        assert_no_invalid_rows(*EVERY_RECORD)

    record()
