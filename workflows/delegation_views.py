"""Pages of the delegation process: each step's form, the process page, the list, the inbox.

Step views run inside Viewflow's task wrapper (which has checked the step's permission and
started the task); each parses its form, calls one service from delegation_services, and
redirects to the process page.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from care.audit import record_staff_view
from care.models import CareRecipient
from care.permissions import VIEW, can, get_recipient_or_404
from competencies.services import MAX_ASSESSMENT_ATTEMPTS, failed_attempts, supervised_practices_done

from . import delegation_forms as forms
from . import delegation_queries as queries
from . import delegation_services as services
from . import permissions
from .delegation_models import DelegationAgreement, DelegationProcess


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
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as exc:
            form.add_error(None, list(exc.messages))
            return self.form_invalid(form)
        messages.success(self.request, f"{self.activation.flow_task.task_title}: done.")
        return redirect(process_url(self.process))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(process=self.process, step=self.activation.flow_task, intro=self.intro)
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
    intro = "Is it safe to delegate this task, for this person, to this PA? Declining ends the request."

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
        services.assess(
            activation=self.activation, actor=self.request.user, assessed_on=form.cleaned_data["assessed_on"],
            results=form.results(), notes=form.cleaned_data["notes"],
        )


class SignOffView(StepView):
    form_class = forms.SignOffForm

    @property
    def intro(self):
        days = self.process.healthcare_task.review_interval_days
        return f"The sign-off is valid for {days} days; the review opens 28 days before it ends."

    def perform(self, form):
        services.sign_off(activation=self.activation, actor=self.request.user, notes=form.cleaned_data["notes"])


class ReviewView(StepView):
    form_class = forms.ReviewForm
    intro = "Renew if the PA is still competent for this person; otherwise revoke."

    def get_form_kwargs(self):
        competency = self.process.competency
        competency.refresh_from_db()
        return {**super().get_form_kwargs(), "choices": services.review_choices(competency)}

    def perform(self, form):
        services.review(activation=self.activation, actor=self.request.user, **form.cleaned_data)


def step_url(task):
    return task.flow_task.reverse("index", args=[task.process_id, task.pk])


def may_take(user, task):
    return task.flow_task.can_execute(user, task) or task.flow_task.can_assign(user, task)


@login_required
def process_detail(request, process_pk):
    """Status and history of one delegation, for everyone in the person's circle (checked by the URL guard)."""
    process = get_object_or_404(
        DelegationProcess.objects.select_related("recipient", "pa", "healthcare_task", "requested_by", "competency"),
        pk=process_pk,
    )
    record_staff_view(request, process.recipient, f"Delegation {process.reference}")
    tasks = list(process.task_set.select_related("owner").order_by("created", "pk"))
    open_steps = [
        (task, step_url(task) if may_take(request.user, task) else None)
        for task in tasks
        if task.status in (STATUS.NEW, STATUS.ASSIGNED) and task.flow_task_type == "HUMAN"
    ]
    return render(request, "workflows/delegation/process.html", {
        "process": process,
        # gateways are the flow's own bookkeeping, not something anyone did
        "history": [t for t in tasks if t.finished and t.flow_task_type not in ("EXCLUSIVE_GATEWAY", "SWITCH")],
        "open_steps": open_steps,
        "waiting": [t for t in tasks if t.status == STATUS.SCHEDULED],
        "risk_assessments": process.risk_assessments.select_related("assessor"),
        "agreements": process.agreements.select_related("given_by"),
    })


@login_required
def delegation_list(request, recipient_pk):
    recipient = get_recipient_or_404(request.user, recipient_pk)
    record_staff_view(request, recipient, "Delegations")
    processes = queries.delegations_for(recipient).prefetch_related(
        Prefetch("task_set", queryset=Task.objects.filter(status__in=queries.OPEN).order_by("created"), to_attr="open_tasks")
    )
    return render(request, "workflows/delegation/list.html", {
        "recipient": recipient, "processes": processes, "may_request": permissions.may_request(request.user, recipient),
    })


@login_required
def inbox(request):
    tasks = [(task, step_url(task)) for task in queries.inbox(request.user)]
    return render(request, "workflows/delegation/inbox.html", {"tasks": tasks})
