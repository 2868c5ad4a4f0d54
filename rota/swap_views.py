"""The swap and drop pages: the booked PA asks a named PA or drops the shift, the named PA answers,
whoever manages the rota decides. Each view checks the object permission and calls one service."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from care.kernel.names import person_name
from care.permissions import recipient_permission_required, require_object_permission

from . import services
from .forms import AnswerForm, DropForm, SwapAskForm, SwapDecisionForm, missing_version
from .models import Swap
from .queries import swaps_for
from .views import get_shift_or_404, stale_response


def get_swap_or_404(user, swap_pk, codename):
    swap = get_object_or_404(Swap.objects.select_related("shift__recipient", "from_pa", "to_pa"), pk=swap_pk)
    require_object_permission(user, codename, swap.shift.recipient)
    return swap


def _booked_shift_or_404(user, shift_pk):
    """The shift, if `user` is a PA of its circle (404 outside it, 403 inside without the right) who is
    booked on it (403: a PA swaps or drops only their own shift)."""
    shift = get_shift_or_404(user, shift_pk, "work_shifts")
    if shift.pa_id != user.pk:
        raise PermissionDenied("Only the PA booked on this shift can swap or drop it.")
    return shift


def _refused(request, shift_pk, error):
    for message in error.messages:
        messages.error(request, message)
    return redirect("rota:shift", shift_pk)


def _form_refused(request, shift_pk, form):
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("rota:shift", shift_pk)


@require_POST
@login_required
def swap_ask(request, shift_pk):
    shift = _booked_shift_or_404(request.user, shift_pk)
    form = SwapAskForm(request.POST, recipient=shift.recipient, pa=request.user)
    if missing_version(form):
        return _refused(request, shift.pk, ValidationError(services.STALE_MESSAGE))
    if not form.is_valid():
        return _form_refused(request, shift.pk, form)
    to_pa = form.cleaned_data["to_pa"]
    try:
        swap = services.ask_swap(shift=shift, pa=request.user, to_pa=to_pa,
                                 expected_version=form.cleaned_data["version"])
    except services.StaleShift:
        return _refused(request, shift.pk, ValidationError(services.STALE_MESSAGE))
    except ValidationError as refusal:
        return _refused(request, shift.pk, refusal)
    messages.success(request, f"Asked {person_name(to_pa)} to take it (code {swap.code}). You stay booked until the "
                              "swap is approved.")
    return redirect("rota:shift", shift.pk)


@require_POST
@login_required
def swap_drop(request, shift_pk):
    shift = _booked_shift_or_404(request.user, shift_pk)
    form = DropForm(request.POST)
    if missing_version(form):
        return _refused(request, shift.pk, ValidationError(services.STALE_MESSAGE))
    if not form.is_valid():
        return _form_refused(request, shift.pk, form)
    try:
        services.drop_shift(shift=shift, pa=request.user, reason=form.cleaned_data["reason"],
                            expected_version=form.cleaned_data["version"])
    except services.StaleShift:
        return _refused(request, shift.pk, ValidationError(services.STALE_MESSAGE))
    except ValidationError as refusal:
        return _refused(request, shift.pk, refusal)
    messages.success(request, "Dropped: the shift needs cover and the budget holder has been told.")
    return redirect("rota:mine")


@require_POST
@login_required
def swap_answer(request, swap_pk):
    swap = get_swap_or_404(request.user, swap_pk, "work_shifts")
    if swap.to_pa_id != request.user.pk:
        raise PermissionDenied("This swap was not asked of you.")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, swap.shift_id, form)
    answer = services.answer_swap(swap=swap, pa=request.user, accept=form.cleaned_data["answer"] == "yes")
    level = messages.SUCCESS if answer.outcome in ("accepted", "declined") else messages.ERROR
    messages.add_message(request, level, answer.reply)
    return redirect("rota:mine")


@require_POST
@login_required
def swap_withdraw(request, swap_pk):
    swap = get_swap_or_404(request.user, swap_pk, "work_shifts")
    if swap.from_pa_id != request.user.pk:
        raise PermissionDenied("Only the PA who asked for the swap can withdraw it.")
    try:
        services.withdraw_swap(swap=swap, pa=request.user)
    except ValidationError as refusal:
        return _refused(request, swap.shift_id, refusal)
    messages.success(request, "Swap withdrawn; you are still booked on the shift.")
    return redirect("rota:shift", swap.shift_id)


DECIDED = {
    Swap.Status.APPROVED: (messages.SUCCESS, "Swap approved: {to} is booked and both PAs have been told."),
    Swap.Status.REJECTED: (messages.SUCCESS,
                           "Swap not approved: the shift stays with {from_}; both PAs have been told."),
    Swap.Status.REFUSED: (messages.ERROR, "The swap could not be approved, so the shift stays with {from_}: {detail}"),
    Swap.Status.LAPSED: (messages.ERROR, "The shift changed since the swap was asked, so it did not go ahead."),
}


@require_POST
@login_required
def swap_decide(request, swap_pk):
    swap = get_swap_or_404(request.user, swap_pk, "manage_rota")
    form = SwapDecisionForm(request.POST)
    if missing_version(form):
        return stale_response(request, swap.shift)
    if not form.is_valid():
        return _form_refused(request, swap.shift_id, form)
    try:
        swap = services.decide_swap(swap=swap, actor=request.user, approve=form.cleaned_data["decision"] == "approve",
                                    expected_version=form.cleaned_data["version"])
    except services.StaleShift as stale:
        return stale_response(request, stale.current)
    except ValidationError as refusal:
        return _refused(request, swap.shift_id, refusal)
    level, text = DECIDED[swap.status]
    messages.add_message(request, level, text.format(to=person_name(swap.to_pa), from_=person_name(swap.from_pa),
                                                     detail=swap.detail))
    for warning in getattr(swap.shift, "warnings", []):
        messages.warning(request, warning)
    return redirect("rota:swaps", swap.shift.recipient_id)


@require_GET
@recipient_permission_required("manage_rota")
def swaps(request, recipient):
    waiting, recent = swaps_for(recipient)
    waiting = list(waiting)
    for swap in waiting:
        if swap.status == Swap.Status.ACCEPTED:
            swap.decision_form = SwapDecisionForm(initial={"version": swap.shift.version},
                                                  auto_id=f"id_decide_{swap.pk}_%s")
    return render(request, "rota/swaps.html", {"recipient": recipient, "waiting": waiting, "recent": recent})
