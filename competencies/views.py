"""The competency matrix, one competency's record, and the clinician's suspend/revoke/reinstate."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.twofactor import ask_for_second_factor, has_second_factor
from care.audit import record_staff_view
from care.permissions import VIEW, can, may_read_pa_record, recipient_permission_required, require_object_permission

from . import queries, services
from .forms import ReasonForm
from .models import Competency


@recipient_permission_required(VIEW)
def matrix(request, recipient):
    record_staff_view(request, recipient, "Competency matrix")
    pas, rows = queries.matrix(recipient)
    # The whole circle sees status and dates; the link to a record only where it would open.
    readable = {pa.pk: may_read_pa_record(request.user, recipient, pa) for pa in pas}
    for _task, cells in rows:
        for cell in cells:
            if cell.competency is not None:
                cell.competency.may_open = readable[cell.competency.pa_id]
    # on a phone the same cells read as one list per PA (the table is for wider screens)
    by_pa = [(pa, [(task, cells[i]) for task, cells in rows if cells[i].competency or cells[i].note])
             for i, pa in enumerate(pas)]
    return render(request, "competencies/matrix.html", {
        "recipient": recipient, "pas": pas, "rows": rows, "by_pa": by_pa,
        "may_request": can(request.user, "manage_rota", recipient) or can(request.user, "act_clinically", recipient),
    })


def _competency(request, competency_pk, codename=VIEW):
    competency = get_object_or_404(Competency.objects.select_related("recipient", "task", "pa"), pk=competency_pk)
    require_object_permission(request.user, codename, competency.recipient)
    return competency


@login_required
def detail(request, competency_pk):
    competency = _competency(request, competency_pk)
    if not may_read_pa_record(request.user, competency.recipient, competency.pa):
        raise PermissionDenied("This record is for the PA, the person's clinicians, the budget holder and the coordinator.")
    record_staff_view(request, competency.recipient, f"Competency record C{competency.pk}")
    return render(request, "competencies/detail.html", {
        "competency": competency,
        "delegation": competency.delegations.select_related("practitioner").order_by("-created").first(),
        "sign_offs": competency.sign_offs.select_related("signed_off_by"),
        "events": competency.events.select_related("actor"),
        "training": competency.training_records.select_related("trainer"),
        "assessments": competency.assessments.select_related("assessor"),
        "is_clinician": can(request.user, "act_clinically", competency.recipient),
        "verified": has_second_factor(request),
        "form": ReasonForm(),
    })


def _status_action(service, done_message):
    @login_required
    @require_POST
    def view(request, competency_pk):
        competency = _competency(request, competency_pk, "act_clinically")
        ask = ask_for_second_factor(request)
        if ask:
            return ask
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                service(competency=competency, actor=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, done_message)
        else:
            messages.error(request, "Give a reason: it is kept with the record.")
        return redirect("competencies:detail", competency.pk)

    view.__name__ = service.__name__
    return view


suspend = _status_action(services.suspend, "Suspended. The PA and the budget holder have been told.")
reinstate = _status_action(services.reinstate, "Reinstated. The PA and the budget holder have been told.")


@login_required
@require_POST
def revoke(request, competency_pk):
    """Revoking cannot be undone: the first press shows what will happen and asks again."""
    competency = _competency(request, competency_pk, "act_clinically")
    ask = ask_for_second_factor(request)
    if ask:
        return ask
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason: it is kept with the record.")
        return redirect("competencies:detail", competency.pk)
    if request.POST.get("confirm") != "yes":
        return render(request, "competencies/confirm_revoke.html", {"competency": competency, "form": form})
    try:
        services.revoke(competency=competency, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Revoked. The PA and the budget holder have been told.")
    return redirect("competencies:detail", competency.pk)
