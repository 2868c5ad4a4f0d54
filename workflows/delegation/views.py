"""Pages of the delegation process: the process page, a person's list, the inbox. Each step's
own form is a step view (steps.py), mounted through the flow."""
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from care.audit import record_staff_view
from care.kernel.names import person_name
from care.permissions import can, get_recipient_or_404, may_read_pa_record
from care.queries import budget_holders

from . import driving, forms, permissions, queries, services
from .models import DelegationAgreement, DelegationProcess


def step_action(user, task):
    """How this user opens a step in one tap: ("claim", url) posts a claim that lands on the
    form, ("open", url) links to a step already theirs, None when they may not take it."""
    node = task.flow_task
    if task.owner_id is None and node.can_assign(user, task):
        return ("claim", node.reverse("assign", args=[task.process_id, task.pk]))
    if task.owner_id == user.pk and node.can_execute(user, task):
        return ("open", node.reverse("execute", args=[task.process_id, task.pk]))
    return None


@login_required
@require_safe
def process_detail(request, process_pk):
    """Status and history of one delegation, for everyone in the person's circle (checked by the URL guard)."""
    process = get_object_or_404(
        DelegationProcess.objects.select_related("recipient", "pa", "healthcare_task", "requested_by", "competency",
                                                 "practitioner"),
        pk=process_pk,
    )
    record_staff_view(request, process.recipient, f"Delegation {process.reference}")
    tasks = list(process.task_set.select_related("owner").order_by("created", "pk"))
    open_steps = [
        (task, step_action(request.user, task))
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
        "agreements": process.agreements.select_related("given_by").filter(party__in=["person", "pa"]),
        # the whole circle sees the competency's status; its detailed record opens for fewer people
        "may_open_record": may_read_pa_record(request.user, process.recipient, process.pa),
        "handovers": process.handovers.select_related("from_practitioner", "to_practitioner", "by"),
        "supervisions": process.supervisions.select_related("by"),
        "supervision_form": forms.SupervisionForm(initial={"on": timezone.localdate()})
        if can(request.user, "act_clinically", process.recipient) and process.competency_id
        and process.competency.status in ("signed_off", "suspended") else None,
        "handover_form": _handover_form(request.user, process),
        "agreement_state": _agreement_state(process),
        "decline_form": forms.DeclineForm() if request.user.pk == process.pa_id and process.status == "NEW"
        and not process.outcome else None,
    })


def _agreement_state(process):
    """Where the three-party agreement stands, for the process page."""
    if process.outcome != "signed_off" and not hasattr(process, "terms"):
        return None
    parties = services.agreement_parties(process)
    party = DelegationAgreement.Party
    if party.PA_SIGNED in parties:
        return "Agreed by the practitioner, the employer and the PA."
    if party.EMPLOYER in parties:
        return "Waiting for the PA to acknowledge it."
    if party.PRACTITIONER in parties:
        return "Waiting for the employer (the budget holder) to agree it."
    return None


def _handover_form(user, process, data=None):
    """The accountable practitioner may hand over; with none, any clinician of the person may take it on."""
    if process.status != "NEW" or not can(user, "act_clinically", process.recipient):
        return None
    if process.practitioner_id not in (None, user.pk):
        return None
    return forms.HandoverForm(data, recipient=process.recipient,
                              exclude=process.practitioner_id if process.practitioner_id else None)


@login_required
@require_POST
def hand_over(request, process_pk):
    process = get_object_or_404(DelegationProcess.objects.select_related("recipient", "practitioner"), pk=process_pk)
    if not permissions.may_view(request.user, process):
        raise Http404("No such delegation.")
    form = _handover_form(request.user, process, request.POST)
    if form is None:
        raise PermissionDenied("Only the accountable practitioner hands over accountability.")
    if form.is_valid():
        try:
            services.hand_over(process=process, actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"{person_name(form.cleaned_data['to'])} is now the accountable practitioner.")
    else:
        messages.error(request, "Choose a clinician of this person.")
    return redirect("workflows:delegation:process_detail", process.pk)


@login_required
@require_safe
def delegation_list(request, recipient_pk):
    recipient = get_recipient_or_404(request.user, recipient_pk)
    record_staff_view(request, recipient, "Delegations")
    processes = queries.delegations_for(recipient).prefetch_related(
        Prefetch("task_set", queryset=Task.objects.filter(status__in=queries.OPEN).order_by("created"), to_attr="open_tasks")
    )
    may_record_change = can(request.user, "act_clinically", recipient) or can(request.user, "consent_delegation",
                                                                               recipient)
    return render(request, "workflows/delegation/list.html", {
        "recipient": recipient, "processes": processes, "may_request": permissions.may_request(request.user, recipient),
        "condition_form": forms.ConditionChangeForm() if may_record_change else None,
        "condition_changes": recipient.condition_changes.select_related("recorded_by")[:5] if may_record_change else [],
    })


@login_required
@require_safe
def inbox(request):
    # the inbox query already asked the permission; claimed or not decides the button
    tasks = [(task, ("open" if task.owner_id else "claim",
                     task.flow_task.reverse("execute" if task.owner_id else "assign", args=[task.process_id, task.pk])))
             for task in queries.inbox(request.user)]
    return render(request, "workflows/delegation/inbox.html", {"tasks": tasks})


@login_required
@require_POST
def supervise(request, process_pk):
    process = get_object_or_404(DelegationProcess.objects.select_related("recipient", "competency"), pk=process_pk)
    if not permissions.may_view(request.user, process):
        raise Http404("No such delegation.")
    if not can(request.user, "act_clinically", process.recipient):
        raise PermissionDenied("Only a clinician of this person records supervision.")
    form = forms.SupervisionForm(request.POST)
    if form.is_valid():
        try:
            services.record_supervision(process=process, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Supervision recorded.")
    else:
        messages.error(request, "Give the date, whether you observed, and the outcome.")
    return redirect("workflows:delegation:process_detail", process.pk)


@login_required
@require_POST
def condition_change(request, recipient_pk):
    recipient = get_recipient_or_404(request.user, recipient_pk)
    if not (can(request.user, "act_clinically", recipient) or can(request.user, "consent_delegation", recipient)):
        raise PermissionDenied("A clinician or the budget holder records a change in the person's condition.")
    form = forms.ConditionChangeForm(request.POST)
    if form.is_valid():
        _change, opened = services.record_condition_change(recipient=recipient, actor=request.user,
                                                          **form.cleaned_data)
        messages.success(request, f"Recorded. {len(opened)} delegated task{'s' if len(opened) != 1 else ''} "
                                  "opened for an early review.")
    else:
        messages.error(request, "Say what changed.")
    return redirect("workflows:list", recipient.pk)


def _process_for(user, process_pk):
    process = get_object_or_404(
        DelegationProcess.objects.select_related("recipient", "pa", "healthcare_task", "competency", "practitioner",
                                                 "practitioner__clinician_profile"),
        pk=process_pk,
    )
    if not permissions.may_view(user, process):
        raise Http404("No such delegation.")
    return process


def _agreement_context(user, process, employer_form=None, acknowledge_form=None):
    parties = services.agreement_parties(process)
    party = DelegationAgreement.Party
    employer_due = party.PRACTITIONER in parties and party.EMPLOYER not in parties
    pa_due = party.EMPLOYER in parties and party.PA_SIGNED not in parties
    in_force = process.status == "NEW" and process.outcome == "signed_off"
    return {
        "process": process,
        "terms": getattr(process, "terms", None),
        "risk": process.risk_assessments.select_related("assessor").first(),
        "practitioner_agreement": parties.get(party.PRACTITIONER),
        "employer_agreement": parties.get(party.EMPLOYER),
        "pa_agreement": parties.get(party.PA_SIGNED),
        "employers": budget_holders(process.recipient),
        "employer_form": employer_form or (forms.EmployerAgreementForm()
                                           if in_force and employer_due and can(user, "consent_delegation",
                                                                                process.recipient) else None),
        "acknowledge_form": acknowledge_form or (forms.AcknowledgeForm()
                                                 if in_force and pa_due and user.pk == process.pa_id else None),
    }


@login_required
@require_safe
def agreement(request, process_pk):
    """The delegation agreement, built from the records, printable: for the PA it names, the
    person's clinicians, the budget holder and the coordinator (as the PA's detailed record)."""
    process = _process_for(request.user, process_pk)
    if not may_read_pa_record(request.user, process.recipient, process.pa):
        raise PermissionDenied("The delegation agreement is for the PA it names, the clinicians, the budget holder "
                               "and the coordinator.")
    if not hasattr(process, "terms"):
        raise Http404("This delegation has no agreement yet: it is written at sign-off.")
    record_staff_view(request, process.recipient, f"Delegation agreement {process.reference}")
    return render(request, "workflows/delegation/agreement_document.html",
                  _agreement_context(request.user, process))


def _agreement_step(request, process_pk, form_class, do):
    process = _process_for(request.user, process_pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            do(process, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect("workflows:delegation:agreement", process.pk)
    if not may_read_pa_record(request.user, process.recipient, process.pa):
        raise PermissionDenied("Only the budget holder and the PA this delegation names agree to it.")
    context = _agreement_context(request.user, process)
    if form.errors:
        key = "employer_form" if form_class is forms.EmployerAgreementForm else "acknowledge_form"
        context[key] = form
    return render(request, "workflows/delegation/agreement_document.html", context,
                  status=400 if form.errors else 200)


@login_required
@require_POST
def agree_as_employer(request, process_pk):
    def do(process, data):
        services.agree_as_employer(process=process, actor=request.user, choice_of=data["choice_of"],
                                   representative=data["representative"])
        messages.success(request, "Agreed as the employer. The PA is asked to acknowledge it.")
    return _agreement_step(request, process_pk, forms.EmployerAgreementForm, do)


@login_required
@require_POST
def acknowledge(request, process_pk):
    def do(process, data):
        services.acknowledge_as_pa(process=process, actor=request.user)
        messages.success(request, "Acknowledged. The agreement is complete.")
    return _agreement_step(request, process_pk, forms.AcknowledgeForm, do)


@login_required
@require_POST
def decline(request, process_pk):
    """The named PA declines before sign-off, with a reason."""
    process = _process_for(request.user, process_pk)
    if request.user.pk != process.pa_id:
        raise PermissionDenied("Only the PA this delegation names can decline it.")
    form = forms.DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why you decline: the clinician and the family read it.")
    else:
        try:
            driving.pa_declines(process=process, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "You have declined this delegation. The clinician and the family can see why.")
    return redirect("workflows:delegation:process_detail", process.pk)
