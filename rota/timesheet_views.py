"""Timesheet pages: each view parses, checks the object permission, calls one service, renders."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from care.audit import record_staff_view
from care.permissions import can, recipient_permission_required, require_object_permission
from employment.permissions import is_employer, sees_pay

from . import payroll, timesheets
from .models import Timesheet
from .timesheet_forms import QueryForm, TimesForm, VersionForm, WorkedShiftForm

LIST_LIMIT = 200


def get_timesheet_or_404(user, timesheet_pk):
    """404 outside the circle; 403 for anyone but its PA, the budget holder and the coordinator."""
    timesheet = get_object_or_404(
        Timesheet.objects.select_related("shift__recipient", "pa", "current_version", "approved_version",
                                         "approved_by"), pk=timesheet_pk)
    recipient = timesheet.shift.recipient
    require_object_permission(user, "view_circle", recipient)
    if user.pk != timesheet.pa_id and not sees_pay(user, recipient):
        raise PermissionDenied("A timesheet is seen by its PA and the budget holder.")
    return timesheet


@require_GET
@recipient_permission_required()
def timesheet_list(request, recipient):
    user = request.user
    everyone = sees_pay(user, recipient)
    if not (everyone or can(user, "work_shifts", recipient)):
        raise PermissionDenied("Timesheets are seen by PAs and the budget holder.")
    found = Timesheet.objects.filter(shift__recipient=recipient).select_related("shift", "pa", "current_version")
    if not everyone:
        found = found.filter(pa=user)
    record_staff_view(request, recipient, "Timesheets")
    return render(request, "rota/timesheets.html", {
        "recipient": recipient, "timesheets": found.order_by("-shift__start", "-pk")[:LIST_LIMIT],
        "employer": is_employer(user, recipient),
        "balances": payroll.holiday_balances(recipient, timezone.localdate(), pa=None if everyone else user),
    })


@require_GET
@login_required
def timesheet_detail(request, timesheet_pk):
    timesheet = get_timesheet_or_404(request.user, timesheet_pk)
    recipient = timesheet.shift.recipient
    record_staff_view(request, recipient, f"Timesheet {timesheet.pk}")
    is_pa = request.user.pk == timesheet.pa_id
    employer = is_employer(request.user, recipient)
    version = {"version": timesheet.version}
    return render(request, "rota/timesheet_detail.html", {
        "timesheet": timesheet, "recipient": recipient, "shift": timesheet.shift,
        "versions": timesheet.versions.select_related("by"),
        "may_confirm": is_pa and timesheet.status in (Timesheet.Status.TO_CONFIRM, Timesheet.Status.QUERIED),
        "may_decide": employer and timesheet.status == Timesheet.Status.CONFIRMED,
        "correct_form": TimesForm(initial=TimesForm.initial_for(timesheet)) if (is_pa or employer) else None,
        "query_form": QueryForm(initial=version, auto_id="id_query_%s"),
        "version_form": VersionForm(initial=version, auto_id="id_v_%s"),
    })


def _done(request, timesheet, action, text):
    try:
        action()
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(request, text)
    return redirect("timesheets:detail", timesheet.pk)


@require_POST
@login_required
def confirm(request, timesheet_pk):
    timesheet = get_timesheet_or_404(request.user, timesheet_pk)
    if request.user.pk != timesheet.pa_id:
        raise PermissionDenied("Only the PA who worked the shift confirms it.")
    form = VersionForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    return _done(request, timesheet, lambda: timesheets.confirm_timesheet(
        timesheet=timesheet, pa=request.user, expected_version=version), "Timesheet confirmed.")


@require_POST
@login_required
def correct(request, timesheet_pk):
    timesheet = get_timesheet_or_404(request.user, timesheet_pk)
    if request.user.pk != timesheet.pa_id and not is_employer(request.user, timesheet.shift.recipient):
        raise PermissionDenied("Only the PA or the budget holder corrects a timesheet.")
    form = TimesForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("timesheets:detail", timesheet.pk)
    data = form.cleaned_data
    return _done(request, timesheet, lambda: timesheets.correct_timesheet(
        timesheet=timesheet, actor=request.user, start=data["start"], end=data["end"],
        break_minutes=data["break_minutes"], woken_minutes=data["woken_minutes"], reason=data["reason"],
        expected_version=data.get("version")), "Timesheet corrected.")


@require_POST
@login_required
def approve(request, timesheet_pk):
    timesheet = get_timesheet_or_404(request.user, timesheet_pk)
    if not is_employer(request.user, timesheet.shift.recipient):
        raise PermissionDenied("Only the budget holder approves timesheets.")
    form = VersionForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    return _done(request, timesheet, lambda: timesheets.approve_timesheet(
        timesheet=timesheet, actor=request.user, expected_version=version), "Timesheet approved for pay.")


@require_POST
@login_required
def query(request, timesheet_pk):
    timesheet = get_timesheet_or_404(request.user, timesheet_pk)
    if not is_employer(request.user, timesheet.shift.recipient):
        raise PermissionDenied("Only the budget holder queries timesheets.")
    form = QueryForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say what the PA should look at again.")
        return redirect("timesheets:detail", timesheet.pk)
    return _done(request, timesheet, lambda: timesheets.query_timesheet(
        timesheet=timesheet, actor=request.user, reason=form.cleaned_data["reason"],
        expected_version=form.cleaned_data.get("version")), "Timesheet queried; the PA has been asked to look again.")


@require_http_methods(["GET", "POST"])
@recipient_permission_required("view_budget")
def record_worked(request, recipient):
    if not is_employer(request.user, recipient):
        raise PermissionDenied("Only the budget holder records worked shifts.")
    form = WorkedShiftForm(request.POST or None, recipient=recipient, initial={"kind": "day"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            timesheet = timesheets.record_worked_shift(
                recipient=recipient, pa=data["pa"], actor=request.user, kind=data["kind"], start=data["start"],
                end=data["end"], break_minutes=data["break_minutes"], woken_minutes=data["woken_minutes"],
                reason=data["reason"])
        except ValidationError as refusal:
            for message in refusal.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Recorded; the PA has been asked to confirm it.")
            return redirect("timesheets:detail", timesheet.pk)
    return render(request, "rota/worked_form.html", {"recipient": recipient, "form": form},
                  status=400 if form.errors else 200)
