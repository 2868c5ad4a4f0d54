"""Terms and leave pages: each view parses, checks the object permission, calls one service, renders."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_http_methods, require_POST

from care.audit import record_staff_view
from care.permissions import can, recipient_permission_required, require_object_permission

from . import services
from .forms import DecisionForm, LeaveForm, SicknessForm, TermsForm
from .models import Absence
from .permissions import is_employer, sees_pay
from .queries import absences, family_pas, terms_history


def _refusal(form, error):
    for message in error.messages:
        form.add_error(None, message)


@require_http_methods(["GET", "POST"])
@recipient_permission_required("view_budget")
def terms(request, recipient):
    employer = is_employer(request.user, recipient)
    today = timezone.localdate()
    form = TermsForm(request.POST or None, pas=family_pas(recipient),
                     initial={"effective_from": today, "leave_year_start": today.replace(month=4, day=1)})
    if request.method == "POST":
        if not employer:
            raise PermissionDenied("Only the budget holder sets a PA's terms.")
        if form.is_valid():
            try:
                saved = services.set_terms(recipient=recipient, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _refusal(form, error)
            else:
                messages.success(request, f"Terms saved, in force from {saved.effective_from:%d %b %Y}.")
                return redirect("employment:terms", recipient.pk)
    record_staff_view(request, recipient, "PA terms")
    return render(request, "employment/terms.html", {
        "recipient": recipient, "history": terms_history(recipient), "form": form if employer else None,
    })


def holiday_balances(recipient, day, pa=None):
    """The running holiday balances, from the function settings.EMPLOYMENT_HOLIDAY_BALANCES names
    (the rota's payroll, which reads the timesheets this app sits below); none without it."""
    path = getattr(settings, "EMPLOYMENT_HOLIDAY_BALANCES", "")
    return import_string(path)(recipient, day, pa=pa) if path else []


@require_http_methods(["GET", "POST"])
@recipient_permission_required()
def leave(request, recipient):
    user = request.user
    is_pa = can(user, "work_shifts", recipient)
    sees_all = sees_pay(user, recipient)
    if not (is_pa or sees_all):
        raise PermissionDenied("Leave is seen by the PA it belongs to and the budget holder.")
    form = LeaveForm(request.POST or None)
    if request.method == "POST":
        if not is_pa:
            raise PermissionDenied("Only a PA asks for leave, for themselves.")
        if form.is_valid():
            try:
                services.request_leave(recipient=recipient, pa=user, actor=user, **form.cleaned_data)
            except ValidationError as error:
                _refusal(form, error)
            else:
                messages.success(request, "Your leave request is with the budget holder.")
                return redirect("employment:leave", recipient.pk)
    employer = is_employer(user, recipient)
    pas = family_pas(recipient) if employer else family_pas(recipient).filter(pk=user.pk)
    record_staff_view(request, recipient, "Leave and sickness")
    return render(request, "employment/leave.html", {
        "recipient": recipient,
        "balances": holiday_balances(recipient, timezone.localdate(), pa=None if employer else user),
        "absences": absences(recipient, None if sees_all else user),
        "form": form if is_pa else None,
        "sickness_form": SicknessForm(pas=pas, initial={"first_day": timezone.localdate(),
                                                        "last_day": timezone.localdate()})
        if (employer or is_pa) else None,
        "employer": employer,
        "decision_form": DecisionForm(),
    })


@require_POST
@recipient_permission_required()
def record_sickness(request, recipient):
    user = request.user
    employer = is_employer(user, recipient)
    if not (employer or can(user, "work_shifts", recipient)):
        raise PermissionDenied("Sickness is recorded by the PA or the budget holder.")
    pas = family_pas(recipient) if employer else family_pas(recipient).filter(pk=user.pk)
    form = SicknessForm(request.POST, pas=pas)
    if form.is_valid():
        try:
            services.record_sickness(recipient=recipient, actor=user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Sickness recorded; any shifts in those days are flagged as needing cover.")
    else:
        messages.error(request, "Choose the PA, the days and a category.")
    return redirect("employment:leave", recipient.pk)


@require_POST
@login_required
def decide(request, absence_pk):
    absence = get_object_or_404(Absence.objects.select_related("recipient"), pk=absence_pk)
    require_object_permission(request.user, "view_budget", absence.recipient)
    if not is_employer(request.user, absence.recipient):
        raise PermissionDenied("Only the budget holder decides leave.")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve or decline.")
    else:
        try:
            services.decide_leave(absence=absence, actor=request.user,
                                  approve=form.cleaned_data["decision"] == "approve",
                                  reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Leave {absence.first_day:%d %b}–{absence.last_day:%d %b} decided.")
    return redirect(reverse("employment:leave", args=[absence.recipient_id]))
