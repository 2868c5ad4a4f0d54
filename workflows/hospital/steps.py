"""The hospital flow's step views: the family's request (the start), the family's confirmation
of the ward's changes, and the budget holder's funding, each run inside Viewflow's task wrapper.
Each parses its form, calls one service and redirects. The flow declares these; nothing here
knows the flow.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView

from ..nodes import ClaimTaskView
from . import forms, permissions, queries, services
from .models import OPEN_STATES, HospitalAgreement


class ClaimView(ClaimTaskView):
    template_name = "workflows/hospital/task_assign.html"


def agreement_url(agreement):
    return reverse("workflows:hospital:process_detail", args=[agreement.pk])


def error_messages(exc):
    return list(getattr(exc, "messages", [str(exc)]))


class StartView(FormView):
    template_name = "workflows/hospital/start.html"
    form_class = forms.StartForm

    def dispatch(self, request, *args, **kwargs):
        choices = permissions.startable_recipients(request.user).order_by("display_name")
        wanted = request.GET.get("recipient", "")
        self.recipient = choices.filter(pk=wanted).first() if wanted.isdigit() else None
        if self.recipient is None and len(choices) == 1:
            self.recipient = choices[0]
        if self.recipient is None:
            open_ids = set(HospitalAgreement.objects.filter(recipient__in=choices, state__in=OPEN_STATES)
                           .values_list("recipient", flat=True))
            return render(request, "workflows/hospital/start_choose.html",
                          {"recipients": [(r, r.pk in open_ids) for r in choices]})
        current = queries.open_agreement(self.recipient)
        if current is not None:
            # said before the form is filled, not after
            return render(request, "workflows/hospital/start_open.html",
                          {"recipient": self.recipient, "agreement": current})
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        pas = forms.circle_members(self.recipient, "pa")
        return {**super().get_form_kwargs(), "recipient": self.recipient,
                "competencies": queries.signed_off_tasks(self.recipient, list(pas))}

    def form_valid(self, form):
        try:
            agreement = services.start_agreement(activation=self.request.activation, actor=self.request.user,
                                                 recipient=self.recipient, **form.terms())
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_messages(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"Sent to the ward ({agreement.reference}).")
        return redirect(agreement_url(agreement))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "recipient": self.recipient}


class StepView(FormView):
    template_name = "workflows/hospital/step.html"

    @property
    def agreement(self):
        return self.request.activation.process

    def get_context_data(self, **kwargs):
        step = self.request.activation.flow_task
        return {**super().get_context_data(**kwargs), "agreement": self.agreement, "step": step,
                "decisions": queries.decisions(self.agreement), "reviews": self.agreement.reviews.all()}

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as exc:
            form.add_error(None, error_messages(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"{self.request.activation.flow_task.task_title}: done.")
        return redirect(agreement_url(self.agreement))


class ConfirmChangesView(StepView):
    form_class = forms.ConfirmForm

    def perform(self, form):
        services.confirm_changes(activation=self.request.activation, actor=self.request.user, **form.cleaned_data)


class FundView(StepView):
    form_class = forms.FundForm
    template_name = "workflows/hospital/fund.html"

    def get_form_kwargs(self):
        agreement = self.agreement
        pas = list(agreement.pas.order_by("first_name", "pk"))
        days = queries.plan_days(agreement)
        home = queries.home_shifts_during(agreement)
        # a named PA already on the home rota that day is the first suggestion, then turn about
        at_home = {timezone.localdate(s.start): s.pa for s in home if s.pa in pas}
        default = {day: at_home.get(day) or pas[n % len(pas)] for n, day in enumerate(days)} if pas else {}
        return {**super().get_form_kwargs(), "days": days, "pas": pas, "default_plan": default, "home_shifts": home}

    def perform(self, form):
        for warning in services.fund(activation=self.request.activation, actor=self.request.user,
                                     **form.employer_answers()):
            messages.warning(self.request, warning)
