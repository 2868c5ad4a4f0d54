"""Pages of the record of care given: the PA's shift page (record each task, raise a concern),
the practitioner's log per person and per PA, and one concern with its responses.

The shift page answers a phone's background send (Accept: application/json) with JSON, so the
page keeps what was typed when a send fails on a weak signal; without JavaScript the same form
posts and redirects.
"""
import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from care.audit import record_staff_view
from care.models import Membership, Role
from care.permissions import PA_RECORD_READERS, VIEW, can, get_recipient_or_404, may_read_pa_record
from rota.models import Shift

from . import care_given, forms, queries
from .models import Concern


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _errors(form):
    return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


def _refused(form, exc):
    by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    for field, errors in by_field.items():
        form.add_error(field if field in form.fields else None, errors)


def _task_forms(shift, data=None, posted_task=None):
    # the time now, or the shift's end once it is over: one tap less for the usual case
    now = min(timezone.localtime(), timezone.localtime(shift.end))
    result = []
    for task in shift.tasks.all():
        bound = data if posted_task == task.pk else None
        result.append(forms.CareGivenForm(bound, shift=shift, task=task, prefix=f"t{task.pk}",
                                          initial={"client_key": uuid.uuid4(), "time": now.strftime("%H:%M")}))
    return result


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def shift_care(request, shift_pk):
    """The shift's PA records each delegated task carried out, and may raise a concern."""
    shift = get_object_or_404(Shift.objects.select_related("recipient", "pa"), pk=shift_pk)
    if not can(request.user, VIEW, shift.recipient):
        raise Http404("No such shift.")
    if shift.pa_id != request.user.pk:
        raise PermissionDenied("Only the PA working this shift records the care given on it.")
    task_forms, concern_form = None, forms.ConcernForm(initial={"client_key": uuid.uuid4()}, prefix="concern")
    if request.method == "POST":
        if request.POST.get("kind") == "concern":
            concern_form = forms.ConcernForm(request.POST, prefix="concern")
            form, done = concern_form, None
            if form.is_valid():
                try:
                    concern = care_given.raise_concern(actor=request.user, shift=shift, **form.cleaned_data)
                    done = (concern.reference, f"Concern {concern.reference} sent: the nurse and the budget "
                                                "holder have been told.")
                except ValidationError as exc:
                    _refused(form, exc)
        else:
            task_id = request.POST.get("task", "")
            task_forms = _task_forms(shift, request.POST, int(task_id) if task_id.isdigit() else None)
            form = next((f for f in task_forms if f.is_bound), None)
            done = None
            if form is None:
                return JsonResponse({"ok": False, "errors": {"__all__": ["No such task on this shift."]}}, status=400) \
                    if _wants_json(request) else redirect("workflows:shift_care", shift.pk)
            if form.is_valid():
                try:
                    entry = care_given.record_care_given(
                        actor=request.user, shift=shift, healthcare_task=form.cleaned_data["healthcare_task"],
                        done_at=form.done_at(), result=form.cleaned_data["result"],
                        observations=form.observations(), note=form.cleaned_data["note"],
                        client_key=form.cleaned_data["client_key"],
                    )
                    done = (entry.reference, f"Recorded ({entry.reference}): {entry.healthcare_task.name}, "
                                             f"{entry.get_result_display().lower()}.")
                except ValidationError as exc:
                    _refused(form, exc)
        if done is not None:
            if _wants_json(request):
                return JsonResponse({"ok": True, "reference": done[0], "message": done[1]})
            messages.success(request, done[1])
            return redirect("workflows:shift_care", shift.pk)
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": _errors(form)}, status=400)
    return render(request, "workflows/delegation/care_shift.html", {
        "shift": shift, "recipient": shift.recipient,
        "task_forms": task_forms or _task_forms(shift),
        "concern_form": concern_form,
        "entries": shift.care_given.filter(pa=request.user).select_related("healthcare_task").order_by("-done_at"),
    })


@login_required
@require_http_methods(["GET", "HEAD"])
def care_log(request, recipient_pk):
    """Care given against the shifts that needed it, per person and per PA; a PA sees only their own."""
    recipient = get_recipient_or_404(request.user, recipient_pk)
    reader = any(can(request.user, codename, recipient) for codename in PA_RECORD_READERS)
    pas = list(get_user_model().objects.filter(
        pk__in=Membership.objects.active().filter(recipient=recipient, role=Role.PA).values("user")
    ).order_by("first_name", "last_name", "pk"))
    if reader:
        wanted = request.GET.get("pa", "")
        pa = next((p for p in pas if str(p.pk) == wanted), None)
    elif any(p.pk == request.user.pk for p in pas):
        pa = request.user
    else:
        raise PermissionDenied("The care given is for the PA who gave it, the person's clinicians, the budget holder "
                               "and the coordinator.")
    record_staff_view(request, recipient, "Care given")
    rows = queries.care_log(recipient, pa=pa)
    return render(request, "workflows/delegation/care_log.html", {
        "recipient": recipient, "rows": rows, "pas": pas if reader else [], "chosen": pa,
        "missed": sum(row.missed for row in rows),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def concern(request, concern_pk):
    concern = get_object_or_404(Concern.objects.select_related("recipient", "raised_by", "shift"), pk=concern_pk)
    if not can(request.user, VIEW, concern.recipient):
        raise Http404("No such concern.")
    if not may_read_pa_record(request.user, concern.recipient, concern.raised_by):
        raise PermissionDenied("A concern is for the PA who raised it, the clinicians, the budget holder and the "
                               "coordinator.")
    form = forms.ConcernResponseForm(request.POST or None)
    if request.method == "POST":
        if not care_given.may_respond(request.user, concern):
            raise PermissionDenied("The person's clinicians, budget holder and coordinator respond to concerns.")
        if form.is_valid():
            care_given.respond_to_concern(actor=request.user, concern=concern, **form.cleaned_data)
            messages.success(request, f"Response to {concern.reference} recorded.")
            return redirect("workflows:concern", concern.pk)
    record_staff_view(request, concern.recipient, f"Concern {concern.reference}")
    return render(request, "workflows/delegation/concern.html", {
        "concern": concern, "responses": concern.responses.select_related("by"),
        "form": form if care_given.may_respond(request.user, concern) else None,
    })
