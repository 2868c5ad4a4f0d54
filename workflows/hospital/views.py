"""Pages of the hospital agreement: the agreement page and its actions, the ward's review (in the
circle or through its link), the printable copy and the lists. The flow's own steps are step
views (steps.py).

Views parse, check who may see the agreement (404 otherwise), call one service and redirect.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from viewflow.workflow.status import STATUS

from care.audit import record_staff_view
from care.permissions import get_recipient_or_404

from . import driving, forms, home_rota, in_force, links, permissions, queries, services
from .models import HospitalAgreement, State, WardLink, WardReview
from .steps import agreement_url, error_messages


def _visible_agreement(user, pk):
    agreement = HospitalAgreement.objects.select_related("recipient", "requested_by", "ward_manager", "funded_by")\
        .filter(pk=pk).first()
    if agreement is None or not permissions.may_view(user, agreement):
        raise Http404("No such agreement.")
    return agreement


def _visible_or_refused(request, pk):
    """(agreement, None), or (None, a response): a ward manager of the person opening an agreement
    sent to another ward gets a page saying so (403); anyone else outside it a 404."""
    try:
        return _visible_agreement(request.user, pk), None
    except Http404:
        refusal = not_sent_to_you(request, pk)
        if refusal is None:
            raise
        return None, refusal


def not_sent_to_you(request, pk):
    """The page (403) for a ward manager of the person opening an agreement sent to another ward,
    or None for anyone else (who gets the 404)."""
    agreement = HospitalAgreement.objects.select_related("recipient").filter(pk=pk).first()
    if agreement is None or not permissions.ward_of_person(request.user, agreement):
        return None
    return render(request, "workflows/hospital/not_sent_to_you.html", {"agreement": agreement}, status=403)


def _open_steps(user, agreement):
    steps = []
    for task in agreement.task_set.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED], flow_task_type="HUMAN"):
        node = task.flow_task
        if node.can_execute(user, task) or node.can_assign(user, task):
            action = "execute" if task.owner_id else "assign"
            steps.append((task, node.reverse(action, args=[agreement.pk, task.pk])))
        else:
            steps.append((task, None))
    return steps


@login_required
@require_safe
def agreement_detail(request, process_pk):
    agreement, refused = _visible_or_refused(request, process_pk)
    if refused:
        return refused
    record_staff_view(request, agreement.recipient, f"Hospital agreement {agreement.reference}")
    user = request.user
    return render(request, "workflows/hospital/agreement.html", {
        "agreement": agreement,
        "decisions": queries.decisions(agreement),
        "reviews": agreement.reviews.select_related("reviewer"),
        "events": agreement.events.select_related("actor"),
        "shifts": queries.recent_shifts(agreement),
        "warnings": queries.warnings(agreement) if agreement.in_force else [],
        "open_steps": _open_steps(user, agreement),
        "is_ward": permissions.is_ward(user, agreement),
        "may_review": permissions.is_ward(user, agreement) and agreement.state == State.WARD_REVIEW,
        "may_discharge": agreement.in_force and permissions.may_discharge(user, agreement),
        "may_resend": agreement.state == State.WARD_REVIEW and not agreement.ward_manager_id
        and permissions.may_start(user, agreement.recipient),
        "link": agreement.ward_links.first(),
        "signed": _signature(agreement) if agreement.agreed else None,
        "discharge_form": forms.DischargeForm(), "expected_form": forms.ExpectedDischargeForm(),
        "to_confirm": agreement.in_force and agreement.report_to and agreement.pas.filter(pk=user.pk).exists()
        and not agreement.conditions_read.filter(pa=user).exists(),
        "offer_back": queries.home_shifts_to_offer_back(agreement)
        if agreement.state == State.DISCHARGED and permissions.may_start(user, agreement.recipient) else [],
    })


def _signature(agreement):
    return agreement.reviews.filter(decision__in=[WardReview.Decision.ACCEPT, WardReview.Decision.AMEND]).last()


@login_required
@require_safe
def print_agreement(request, agreement_pk):
    agreement, refused = _visible_or_refused(request, agreement_pk)
    if refused:
        return refused
    signed = _signature(agreement)
    if signed is None or not agreement.agreed:
        # 404 like any page that does not exist yet, but saying why to someone who may see the agreement
        return render(request, "workflows/hospital/print_not_yet.html", {"agreement": agreement}, status=404)
    record_staff_view(request, agreement.recipient, f"Hospital agreement {agreement.reference} (print)")
    return render(request, "workflows/hospital/print.html", {
        "agreement": agreement, "signed": signed, **queries.printable(agreement),
        "confirmed": agreement.events.filter(kind="confirmed").select_related("actor").last(),
    })


def _review_context(agreement, form, **extra):
    return {"agreement": agreement, "form": form, "decisions": queries.decisions(agreement), **extra}


@login_required
def ward_review(request, agreement_pk):
    agreement, refused = _visible_or_refused(request, agreement_pk)
    if refused:
        return refused
    if not permissions.is_ward(request.user, agreement):
        raise PermissionDenied("Only the ward manager this agreement was sent to can review it.")
    if agreement.state != State.WARD_REVIEW:
        messages.info(request, "This agreement has already been reviewed.")
        return redirect(agreement_url(agreement))
    initial = {"reviewer_name": request.user.get_full_name(), "reviewer_role": "Ward manager"}
    form = forms.ReviewForm(request.POST or None, agreement=agreement, decisions=queries.decisions(agreement),
                            initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            driving.review_as_ward_manager(agreement=agreement, actor=request.user, **form.answer())
        except ValidationError as exc:
            form.add_error(None, error_messages(exc))
        else:
            messages.success(request, "Your review is recorded; the family has been told.")
            return redirect(agreement_url(agreement))
    return render(request, "workflows/hospital/review.html", _review_context(agreement, form))


LINK_PROBLEMS = {
    "unknown": (404, "This link is not valid. Ask the family for a new one."),
    "expired": (410, "This link has expired. Ask the family to send a new one."),
    "used": (410, "This link has already been used. Use the latest link you were sent."),
    "revoked": (410, "This link was replaced by a newer one. Use the latest link you were sent."),
    "ended": (410, "This agreement has ended at discharge: the link no longer works."),
}


def _link_problem(request, problem):
    status, message = LINK_PROBLEMS[problem.state]
    return render(request, "workflows/hospital/link_problem.html", {"message": message}, status=status)


def ward_link(request, ward_token):
    """The ward contact's review through their single-use link, with no account. A signed-in
    person is asked to log out first and shown nothing: the link is the ward's, not theirs."""
    if request.user.is_authenticated:
        return render(request, "workflows/hospital/link_problem.html", {
            "message": "This link is for the ward contact. Log out first to use it."}, status=403)
    try:
        link = links.link_for(ward_token)
    except links.LinkUnusable as problem:
        return _link_problem(request, problem)
    if link.purpose == WardLink.Purpose.IN_FORCE:
        return _ward_in_force(request, ward_token, link)
    agreement = link.agreement
    form = forms.ReviewForm(request.POST or None, agreement=agreement, decisions=queries.decisions(agreement))
    if request.method == "POST" and form.is_valid():
        try:
            agreement = driving.review_by_link(token=ward_token, **form.answer())
        except links.LinkUnusable as problem:
            return _link_problem(request, problem)
        except ValidationError as exc:
            form.add_error(None, error_messages(exc))
        else:
            return render(request, "workflows/hospital/link_done.html", {"agreement": agreement})
    return render(request, "workflows/hospital/review.html", _review_context(agreement, form, via_link=link))


WARD_ACTIONS = {"suspend": "The agreement is suspended: the PAs and the family are told.",
                "resume": "The agreement is resumed: the PAs and the family are told."}


def _ward_in_force(request, token, link):
    """The agreement in force, through the ward contact's link: see it, suspend, resume, record
    the discharge. Opening the page uses nothing; each change uses the link, and a fresh one is
    sent by the same channel while the agreement stays in force."""
    agreement, errors = link.agreement, []
    action = request.POST.get("action", "")
    if request.method == "POST":
        data = {}
        if action == "suspend":
            data["reason"] = request.POST.get("reason", "")[:300]
        elif action == "discharge":
            form = forms.DischargeForm(request.POST)
            day = form.cleaned_data["discharged_on"] if form.is_valid() else None
            day = day or (timezone.localdate() if form.is_valid() else None)
            error = "Give the discharge date as a date." if day is None else in_force.discharge_date_error(agreement, day)
            if error:
                errors.append(error)
            elif "confirm" not in request.POST:
                return render(request, "workflows/hospital/discharge_confirm.html", _discharge_context(
                    agreement, day, action=request.path, back_url=request.path, hidden=[("action", "discharge")]))
            data = {"discharged_on": day, "shifts_going": [pk for pk in request.POST.get("going", "").split(",")
                                                           if pk.isdigit()]}
        if not errors:
            try:
                agreement = driving.act_by_link(token=token, action=action, **data)
            except links.LinkUnusable as problem:
                return _link_problem(request, problem)
            except ValidationError as exc:
                errors = error_messages(exc)
            else:
                done = WARD_ACTIONS.get(action) or (
                    f"The discharge is planned for {agreement.planned_discharge:%A %d %B}: the PAs are told."
                    if agreement.in_force else "The discharge is recorded and the agreement has ended: the PAs are told.")
                return render(request, "workflows/hospital/link_done.html",
                              {"agreement": agreement, "done": done, "fresh_link": agreement.in_force})
    return render(request, "workflows/hospital/ward_in_force.html", {
        "agreement": agreement, "decisions": queries.decisions(agreement), "shifts": queries.recent_shifts(agreement),
        "errors": errors, "discharge_form": forms.DischargeForm(), "via_link": link,
    })


def _act(request, agreement_pk, action, **data):
    agreement = _visible_agreement(request.user, agreement_pk)
    try:
        action(agreement=agreement, actor=request.user, **data)
    except ValidationError as exc:
        for error in error_messages(exc):
            messages.error(request, error)
    return redirect(agreement_url(agreement))


@login_required
@require_POST
def suspend(request, agreement_pk):
    form = forms.ReasonForm(request.POST)
    form.is_valid()
    return _act(request, agreement_pk, in_force.suspend, reason=form.cleaned_data.get("reason", ""))


@login_required
@require_POST
def resume(request, agreement_pk):
    return _act(request, agreement_pk, in_force.resume)


@login_required
@require_POST
def discharge(request, agreement_pk):
    """Two steps: the date, then a page saying which hospital shifts stand and which go, which
    the person confirms (the ids they saw come back, so a rota changed meanwhile is noticed)."""
    agreement = _visible_agreement(request.user, agreement_pk)
    if not permissions.may_discharge(request.user, agreement):
        raise PermissionDenied("Only the family or the ward can record the discharge.")
    form = forms.DischargeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the discharge date as a date, or leave it blank for today.")
        return redirect(agreement_url(agreement))
    day = form.cleaned_data["discharged_on"] or timezone.localdate()
    error = agreement.in_force and in_force.discharge_date_error(agreement, day)
    if not agreement.in_force or error:
        messages.error(request, error or "This agreement is not in force.")
        return redirect(agreement_url(agreement))
    if "confirm" not in request.POST:
        return render(request, "workflows/hospital/discharge_confirm.html",
                      _discharge_context(agreement, day, back_url=agreement_url(agreement),
                                         action=reverse("workflows:hospital:discharge", args=[agreement.pk])))
    going = [pk for pk in request.POST.get("going", "").split(",") if pk.isdigit()]
    return _act(request, agreement_pk, driving.discharge, discharged_on=day, shifts_going=going)


def _discharge_context(agreement, day, **extra):
    going = queries.shifts_after(agreement, day)
    return {"agreement": agreement, "day": day, "planned": day > timezone.localdate(), "going": going,
            "going_ids": ",".join(str(s.pk) for s in going), "standing": queries.shifts_standing(agreement, day),
            **extra}


@login_required
@require_POST
def conditions_read(request, agreement_pk):
    agreement = _visible_agreement(request.user, agreement_pk)
    try:
        services.confirm_conditions_read(agreement=agreement, actor=request.user)
    except ValidationError as exc:
        for error in error_messages(exc):
            messages.error(request, error)
    else:
        messages.success(request, "Thank you: the ward's conditions are confirmed.")
    return redirect(agreement_url(agreement))


@login_required
@require_POST
def restore_home_shifts(request, agreement_pk):
    agreement = _visible_agreement(request.user, agreement_pk)
    try:
        home_rota.restore(agreement=agreement, actor=request.user, ids=request.POST.getlist("home"))
    except ValidationError as exc:
        for error in error_messages(exc):
            messages.error(request, error)
    else:
        messages.success(request, "The home shifts are back on the rota; each PA is told once.")
    return redirect(agreement_url(agreement))


@login_required
@require_POST
def change_expected_discharge(request, agreement_pk):
    form = forms.ExpectedDischargeForm(request.POST)
    form.is_valid()
    return _act(request, agreement_pk, in_force.change_expected_discharge,
                expected_discharge=form.cleaned_data.get("expected_discharge"))


@login_required
@require_POST
def new_link(request, agreement_pk):
    agreement = _visible_agreement(request.user, agreement_pk)
    try:
        links.resend_link(agreement=agreement, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(request, "A new link is on its way to the ward contact; the old one no longer works.")
    return redirect(agreement_url(agreement))


@login_required
@require_safe
def agreement_list(request, recipient_pk):
    recipient = get_recipient_or_404(request.user, recipient_pk)
    record_staff_view(request, recipient, "Hospital agreements")
    return render(request, "workflows/hospital/list.html", {
        "recipient": recipient, "agreements": queries.agreements_for(request.user, recipient),
        "may_start": permissions.may_start(request.user, recipient),
    })


@login_required
@require_safe
def mine(request):
    """A PA's agreements (what to do on the ward, on their phone) and a ward manager's."""
    return render(request, "workflows/hospital/mine.html", {
        "as_pa": queries.for_pa(request.user), "as_ward": queries.for_ward(request.user),
    })

