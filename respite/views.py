"""Respite pages: parse, check the object permission (respite.access), call one service, render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.twofactor import ask_for_second_factor, has_second_factor
from care.audit import record_staff_view
from care.permissions import get_recipient_or_404

from . import access, assessments, queries, services
from .chart import balance_chart
from .forms import AdjustForm, AllowanceForm, AssessmentForm, BookingForm, CancelForm, DecisionForm, OpenAccountForm
from .models import BookingStatus, RespiteAccount, hours_text

INVALID = 400


def _refuse(form, error):
    """Put a service's refusal on the form, on the field it names when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_GET
@login_required
def index(request):
    """Every account this user may see, with balances, and the requests waiting for them."""
    accounts = queries.accounts_with_balances(access.visible_accounts(request.user))
    awaiting = access.approvable_bookings(request.user).select_related("account__carer", "account__recipient")
    return render(request, "respite/index.html", {"accounts": accounts, "awaiting": awaiting})


@require_http_methods(["GET", "POST"])
@login_required
def person(request, recipient_pk):
    """One person's respite accounts; the coordinator opens new ones here."""
    recipient = get_recipient_or_404(request.user, recipient_pk)
    allowed = access.rights(request.user, recipient)
    access.require(allowed.sees_all_accounts or allowed.has("use_respite"),
                   "You do not hold respite hours for this person.")
    record_staff_view(request, recipient, "Respite accounts")
    accounts = RespiteAccount.objects.filter(recipient=recipient)
    if not allowed.sees_all_accounts:
        accounts = accounts.filter(carer=request.user)
    may_open = allowed.is_coordinator
    form = OpenAccountForm(request.POST or None, recipient=recipient) if may_open else None
    status = 200
    if request.method == "POST":
        access.require(may_open, "Only the person's PHB coordinator opens respite accounts.")
        ask = ask_for_second_factor(request)
        if ask:
            return ask
        if form.is_valid():
            try:
                account = services.open_account(recipient=recipient, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _refuse(form, error)
            else:
                messages.success(request, f"Respite account opened: {account.allowance_display}.")
                return redirect("respite:account", account.pk)
        status = INVALID
    return render(
        request, "respite/person.html",
        {"recipient": recipient, "accounts": queries.accounts_with_balances(accounts), "form": form,
         "verified": has_second_factor(request),
         "assessments": access.visible_assessments(request.user, recipient).select_related("carer", "superseded_by")},
        status=status,
    )


@require_GET
@login_required
def account_page(request, account_pk):
    """The carer's page: balance, hours expiring soon, upcoming respite, chart and statement."""
    account, allowed = access.get_account_or_404(request.user, account_pk)
    record_staff_view(request, account.recipient, f"Respite account of {account.carer}")
    rows = queries.statement(account)
    since, opening, points = queries.balance_series(rows)
    return render(request, "respite/account.html", {
        "account": account,
        "balance": rows[-1].running_balance if rows else 0,
        "expiring": queries.expiring_soon(account),
        "upcoming": queries.upcoming_bookings(account),
        "statement": rows[::-1],
        "chart": balance_chart(since, opening, points),
        "may_book": allowed.may_book(account),
        "may_adjust": allowed.is_coordinator,
        "may_approve": allowed.is_budget_holder,
        "may_cancel": allowed.may_cancel(account),
    })


@require_http_methods(["GET", "POST"])
@login_required
def book(request, account_pk):
    account, allowed = access.get_account_or_404(request.user, account_pk)
    access.require(allowed.may_book(account), "Only the carer books respite from their own account.")
    form = BookingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                booking = services.book_respite(account=account, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _refuse(form, error)
            else:
                if booking.status == BookingStatus.AWAITING_APPROVAL:
                    messages.success(request, f"Booked ({booking.reference}); waiting for the budget holder to approve.")
                elif booking.offer_problem:
                    messages.warning(request, f"Booked ({booking.reference}) and on the rota, but not offered: "
                                     f"{booking.offer_problem}")
                else:
                    messages.success(request, f"Booked ({booking.reference}); the shift is offered to your PAs.")
                return redirect("respite:account", account.pk)
        status = INVALID
    return render(
        request, "respite/book.html",
        {"account": account, "form": form, "balance": account.balance(), "now": timezone.localtime()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def adjust(request, account_pk):
    account, allowed = access.get_account_or_404(request.user, account_pk)
    access.require(allowed.is_coordinator, "Only the person's PHB coordinator adjusts respite hours.")
    ask = ask_for_second_factor(request)
    if ask:
        return ask
    form = AdjustForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.adjust_hours(account=account, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _refuse(form, error)
            else:
                messages.success(request, f"Adjusted by {form.cleaned_data['hours']:+} hours.")
                return redirect("respite:account", account.pk)
        status = INVALID
    return render(request, "respite/adjust.html", {"account": account, "form": form, "balance": account.balance()},
                  status=status)


def _booking_action(request, booking_pk, *, form, allowed, message, act, done):
    booking, rights = access.get_booking_or_404(request.user, booking_pk)
    access.require(allowed(rights, booking), message)
    if not form.is_valid():  # a note that cannot be kept is refused, not dropped while the action goes ahead
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("respite:account", booking.account_id)
    try:
        booking = act(booking, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done(booking))
    return redirect("respite:account", booking.account_id)


@require_POST
@login_required
def approve(request, booking_pk):
    return _booking_action(
        request, booking_pk, form=DecisionForm(request.POST),
        allowed=lambda rights, booking: rights.is_budget_holder,
        message="Only the person's budget holder approves respite.",
        act=lambda booking, note: services.approve_booking(booking=booking, actor=request.user, note=note),
        done=lambda booking: f"Approved {booking.reference}; "
        + (f"on the rota but not offered: {booking.offer_problem}" if booking.offer_problem
           else "the shift is offered to the PAs."),
    )


@require_POST
@login_required
def decline(request, booking_pk):
    return _booking_action(
        request, booking_pk, form=DecisionForm(request.POST),
        allowed=lambda rights, booking: rights.is_budget_holder,
        message="Only the person's budget holder approves respite.",
        act=lambda booking, note: services.decline_booking(booking=booking, actor=request.user, note=note),
        done=lambda booking: f"Declined {booking.reference}; {hours_text(booking.hours)} went back to the carer.",
    )


@require_POST
@login_required
def cancel(request, booking_pk):
    return _booking_action(
        request, booking_pk, form=CancelForm(request.POST),
        allowed=lambda rights, booking: rights.may_cancel(booking.account),
        message="Only the carer or the budget holder cancels respite.",
        act=lambda booking, reason: services.cancel_booking(booking=booking, actor=request.user, reason=reason),
        done=lambda booking: f"Cancelled {booking.reference}; {hours_text(booking.hours)} are back in the account.",
    )


# --- carers' assessments ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def assessment_new(request, recipient_pk):
    """The coordinator records a carer's assessment (a review is a new one, replacing the last)."""
    recipient = get_recipient_or_404(request.user, recipient_pk)
    access.require(access.rights(request.user, recipient).is_coordinator,
                   "Only the person's PHB coordinator records carers' assessments.")
    form = AssessmentForm(request.POST or None, recipient=recipient)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                assessment = assessments.record_assessment(recipient=recipient, actor=request.user,
                                                           **form.cleaned_data)
            except ValidationError as error:
                _refuse(form, error)
            else:
                messages.success(request, f"Carer's assessment {assessment.reference} recorded.")
                return redirect("respite:assessment", assessment.pk)
        status = INVALID
    return render(request, "respite/assessment_new.html", {"recipient": recipient, "form": form}, status=status)


@require_GET
@login_required
def assessment_page(request, assessment_pk):
    """One carer's assessment: the carer, the budget holder and the coordinator only."""
    assessment, allowed = access.get_assessment_or_404(request.user, assessment_pk)
    record_staff_view(request, assessment.recipient, f"Carer's assessment {assessment.reference}")
    return render(request, "respite/assessment.html", {
        "assessment": assessment, "accounts": assessment.accounts.all(), "may_record": allowed.is_coordinator,
    })


@require_http_methods(["GET", "POST"])
@login_required
def allowance(request, account_pk):
    """The coordinator changes an account's allowance, citing the assessment it rests on."""
    account, allowed = access.get_account_or_404(request.user, account_pk)
    access.require(allowed.is_coordinator, "Only the person's PHB coordinator changes a respite allowance.")
    ask = ask_for_second_factor(request)
    if ask:
        return ask
    form = AllowanceForm(request.POST or None, account=account,
                         initial={"allowance_hours": account.allowance_hours, "assessment": account.assessment_id})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                assessments.change_allowance(account=account, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _refuse(form, error)
            else:
                account.refresh_from_db()
                messages.success(request, f"The allowance is now {account.allowance_display}, from the next period.")
                return redirect("respite:account", account.pk)
        status = INVALID
    return render(request, "respite/allowance.html", {"account": account, "form": form}, status=status)
