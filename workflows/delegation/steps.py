"""The delegation flow's step views: each step's form, run inside Viewflow's task wrapper (which
has checked the step's permission and started the task). Each parses its form, calls one
service, and redirects to the process page. The flow declares these; nothing here knows the flow.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView
from viewflow.workflow.flow.views import UnassignTaskView

from care.models import CareRecipient
from care.permissions import VIEW, can
from care.kernel.names import person_name
from competencies.services import (
    MAX_ASSESSMENT_ATTEMPTS,
    failed_attempts,
    max_review_days,
    supervised_practices_done,
)

from ..nodes import ClaimTaskView
from . import forms, services
from .models import DelegationAgreement


class ClaimView(ClaimTaskView):
    """Claim and open in one tap: the process page and the inbox post here and land on the step's form."""

    template_name = "workflows/delegation/task_assign.html"

    def get_success_message(self, cleaned_data):
        return ""  # the form that opens says enough; "Task #71 has been assigned" said nothing


class GiveBackView(UnassignTaskView):
    """A claimed step given back from its own page: open again to everyone who may take it."""

    template_name = "workflows/delegation/delegation/task_unassign.html"

    def get_success_message(self, cleaned_data):
        return f"{self.request.activation.flow_task.task_title}: given back. Others who may take it see it again."

    def get_success_url(self):
        return process_url(self.request.activation.process)


def process_url(process):
    return reverse("workflows:delegation:process_detail", args=[process.pk])


class StepView(FormView):
    template_name = "workflows/delegation/step.html"
    form_class = None
    intro = ""

    @property
    def activation(self):
        return self.request.activation

    @property
    def process(self):
        return self.request.activation.process

    def perform(self, form):
        """Call the step's service; what it returns goes to `result`."""
        raise NotImplementedError

    def result(self, outcome):
        return "done"

    def form_valid(self, form):
        try:
            # the step's services take no savepoint of their own (services' docstring): this page goes
            # on after a refusal, to show the form again, so it holds one around them
            with transaction.atomic():
                outcome = self.perform(form)
        except ValidationError as exc:
            # a service names the field it refuses when it can: the message goes beside it
            by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
            for field, errors in by_field.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.activation.flow_task.task_title}: {self.result(outcome)}.")
        return redirect(process_url(self.process))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task, step = self.activation.task, self.activation.flow_task
        context.update(process=self.process, step=step, intro=self.intro)
        if hasattr(step, "can_unassign") and step.can_unassign(self.request.user, task):
            context["give_back_url"] = step.reverse("unassign", args=[task.process_id, task.pk])
        return context


class RequestDelegationView(StepView):
    template_name = "workflows/delegation/request.html"
    form_class = forms.RequestForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        recipient = None
        if self.request.GET.get("recipient", "").isdigit():
            recipient = CareRecipient.objects.filter(pk=self.request.GET["recipient"]).first()
            if recipient is not None and not can(self.request.user, VIEW, recipient):
                recipient = None
        return {**kwargs, "user": self.request.user, "recipient": recipient}

    def form_valid(self, form):
        try:
            with transaction.atomic():  # as StepView.form_valid
                process = services.request_delegation(
                    activation=self.activation, actor=self.request.user, **form.cleaned_data
                )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, list(getattr(exc, "messages", [str(exc)])))
            return self.form_invalid(form)
        messages.success(self.request, f"Requested ({process.reference}). A clinician will assess the risk first.")
        return redirect(process_url(process))


class RiskAssessmentView(StepView):
    form_class = forms.RiskAssessmentForm

    @cached_property
    def reusable(self):
        return services.reusable_assessment(self.process)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "reusable": self.reusable}

    @property
    def intro(self):
        intro = "Is it safe to delegate this task, for this person, to this PA? Declining ends the request."
        if self.reusable is not None:
            intro += (f" This PA's delegation {self.process.reassesses.reference} expired: if its risk assessment "
                      "still stands, reuse it and observe the PA again.")
        return intro

    def perform(self, form):
        services.assess_risk(activation=self.activation, actor=self.request.user, **form.cleaned_data)


class AgreementView(StepView):
    form_class = forms.AgreementForm
    template_name = "workflows/delegation/agreement.html"
    party = None
    question = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "question": self.question}

    def perform(self, form):
        services.agree(activation=self.activation, actor=self.request.user, party=self.party, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["risk"] = self.process.risk_assessments.select_related("assessor").first()
        return context


class ConsentView(AgreementView):
    party = DelegationAgreement.Party.PERSON
    question = "As the person or their representative, do you consent to this delegation?"
    intro = "The decision is joint: the clinician has assessed the risk; you and the PA both have to agree."


class AcceptView(AgreementView):
    party = DelegationAgreement.Party.PA
    question = "Do you accept this delegated task, with its training and assessment?"
    intro = "You will be trained and observed before you do this task on your own."


class TrainingView(StepView):
    form_class = forms.TrainingForm

    def get_initial(self):
        return {"trained_on": timezone.localdate()}

    @property
    def intro(self):
        competency = self.process.competency
        done = supervised_practices_done(competency)
        needed = self.process.healthcare_task.supervised_practices_required
        return f"Supervised practices so far: {done} of {needed} needed before the assessment."

    def perform(self, form):
        services.train(activation=self.activation, actor=self.request.user, **form.cleaned_data)


class AssessmentView(StepView):
    form_class = forms.AssessmentForm
    template_name = "workflows/delegation/assessment.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "task": self.process.healthcare_task}

    def get_initial(self):
        return {"assessed_on": timezone.localdate()}

    @property
    def intro(self):
        failed = failed_attempts(self.process.competency)
        return (f"Attempt {failed + 1} of {MAX_ASSESSMENT_ATTEMPTS}. Competent only if every criterion is met; "
                "a fail returns to training.")

    def perform(self, form):
        return services.assess(
            activation=self.activation, actor=self.request.user, assessed_on=form.cleaned_data["assessed_on"],
            results=form.results(), notes=form.cleaned_data["notes"],
        )

    def result(self, assessment):
        return services.assessment_result(assessment)


class SignOffView(StepView):
    form_class = forms.SignOffForm

    @cached_property
    def most_days(self):
        return max_review_days(self.process.competency)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "most": self.most_days}

    @property
    def intro(self):
        practitioner = self.process.practitioner
        who = person_name(practitioner) if practitioner else "nobody yet"
        return (f"Accountable practitioner: {who}. You set the days until the review, up to {self.most_days} "
                f"(the catalogue allows {self.process.healthcare_task.review_interval_days}; a PA new to this "
                "person is reviewed sooner).")

    def get_initial(self):
        # the plans are the person's: the last sign-off for them named the current ones
        return services.plans_on_record(self.process.recipient)

    def perform(self, form):
        return services.sign_off(activation=self.activation, actor=self.request.user, notes=form.cleaned_data["notes"],
                                 review_interval_days=form.cleaned_data["review_interval_days"],
                                 plans={name: form.cleaned_data[name] for name in services.PLAN_FIELDS})

    def result(self, record):
        return (f"signed off until {timezone.localtime(record.valid_until):%d %b %Y}; the employer is asked to "
                "agree, then the PA to acknowledge")


class ReviewView(StepView):
    form_class = forms.ReviewForm
    intro = ("Re-observe the PA doing the task and mark each criterion: renew only if every one is met; "
             "otherwise revoke.")

    def get_form_kwargs(self):
        competency = self.process.competency
        competency.refresh_from_db()
        return {**super().get_form_kwargs(), "choices": services.review_choices(competency),
                "criteria": self.process.healthcare_task.criteria}

    def perform(self, form):
        data = {k: form.cleaned_data[k] for k in ("decision", "reason", "notes")}
        services.review(activation=self.activation, actor=self.request.user, results=form.results(), **data)
