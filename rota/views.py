"""The rota pages: translate HTTP to one service call each; every page checks the object permission."""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from care.audit import record_staff_view
from employment import availability as availability_rules
from employment.availability import Unavailability
from care.kernel.names import person_name
from care.permissions import can, recipient_permission_required, recipients_for, require_object_permission

from . import ical, live, payroll, services, week_cache
from .forms import (
    AnswerForm, AssignForm, CancelForm, CopyWeekForm, DropForm, EndPatternForm, NeedsCoverForm, PatternForm,
    ReminderForm, RotaSettingsForm, ShiftForm, SwapAskForm, SwapDecisionForm, UnavailableForm, VersionForm,
    form_errors, missing_version,
)
from .models import CalendarFeed, Offer, OfferRecipient, ReminderChoice, RotaSettings, Shift, ShiftPattern, Swap
from .queries import (
    budget_summary, my_shifts, national_minimum_wage, offers_waiting_for, oncost_percent, shift_cost,
    swaps_asked_of, text_problem, week_in_view,
)


def get_shift_or_404(user, shift_pk, codename="view_circle"):
    shift = get_object_or_404(Shift.objects.select_related("recipient", "pa", "pa__pa_profile"), pk=shift_pk)
    require_object_permission(user, codename, shift.recipient)
    return shift


def week_url(shift):
    return reverse("rota:week", args=[shift.recipient_id]) + f"?week={timezone.localdate(shift.start).isoformat()}"


def done(request, shift, text):
    messages.success(request, text)
    for warning in getattr(shift, "warnings", []):
        messages.warning(request, warning)
    return redirect(week_url(shift))


@require_GET
@recipient_permission_required()
def week(request, recipient):
    monday, outside = week_in_view(request.GET.get("week"))
    user = request.user
    record_staff_view(request, recipient, "Rota")
    can_budget = can(user, "view_budget", recipient)
    can_manage = can(user, "manage_rota", recipient)
    today = timezone.localdate()
    shown = week_cache.week(recipient, monday, today=today, can_manage=can_manage, can_budget=can_budget)
    return render(request, "rota/week.html", {
        "recipient": recipient,
        "monday": monday,
        "sunday": monday + datetime.timedelta(days=6),
        "previous": monday - datetime.timedelta(days=7),
        "next": monday + datetime.timedelta(days=7),
        "grid": shown.days,
        "can_manage": can_manage,
        "can_budget": can_budget,
        "needs_cover": shown.needs_cover,
        "seq": shown.seq,
        "outside": outside,
        "pay_pages": can_budget or can(user, "work_shifts", recipient),
        "away": shown.away,
        "week_cost": shown.week_cost,
        "budget_warnings": shown.warnings,
    })


@require_http_methods(["GET", "POST"])
@recipient_permission_required("manage_rota")
def new_shift(request, recipient):
    initial = {"kind": "day", "start_time": datetime.time(8), "end_time": datetime.time(14)}
    try:
        initial["day"] = datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        initial["day"] = timezone.localdate()
    form = ShiftForm(request.POST or None, recipient=recipient, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            shift = services.create_shift(
                recipient=recipient, start=data["start"], end=data["end"], kind=data["kind"], actor=request.user,
                tasks=data["tasks"], pa=data.get("pa"), notes=data["notes"], location=data["location"],
            )
        except ValidationError as refusal:
            form_errors(form, refusal)
        else:
            return done(request, shift, "Shift added.")
    status = 400 if form.errors else 200
    return render(request, "rota/shift_form.html", {"recipient": recipient, "form": form}, status=status)


@require_GET
@login_required
def shift_detail(request, shift_pk):
    shift = get_shift_or_404(request.user, shift_pk)
    user, recipient = request.user, shift.recipient
    record_staff_view(request, recipient, f"Shift {shift.pk}")
    can_manage = can(user, "manage_rota", recipient)
    offer = Offer.objects.filter(shift=shift, closed_at__isnull=True).first()
    context = {
        "shift": shift,
        "recipient": recipient,
        "tasks": shift.tasks.all(),
        "can_manage": can_manage and shift.is_active,
        "cost": shift_cost(shift) if can(user, "view_budget", recipient) else None,
        "offer": offer,
    }
    if can_manage:
        version = {"version": shift.version}
        # Four small forms on one page: each its own ids, so every label points at its own box.
        context["assign_form"] = AssignForm(recipient=recipient, shift=shift, initial=version)
        context["assign_form"].fields["pa"].label = "Book another PA" if shift.pa else "Book a PA"
        context["offer_form"] = VersionForm(initial=version, auto_id="id_offer_%s")
        context["widen_form"] = VersionForm(initial=version, auto_id="id_widen_%s")
        context["cover_form"] = NeedsCoverForm(initial=version, auto_id="id_cover_%s")
        context["cancel_form"] = CancelForm(initial=version, auto_id="id_cancel_%s")
        context["responses"] = (
            offer.responses.select_related("pa") if offer else []
        )
    if offer and can(user, "work_shifts", recipient):
        context["may_answer"] = OfferRecipient.objects.filter(offer=offer, pa=user).exists()
    context.update(swap_context(user, shift, can_manage))
    return render(request, "rota/shift_detail.html", context)


def swap_context(user, shift, can_manage):
    """What the shift page shows about swaps to this user: the booked PA's ask and drop forms (or
    their open swap to withdraw), the named PA's answer, the manager's decision."""
    swap = shift.swaps.filter(status__in=Swap.OPEN).select_related("from_pa", "to_pa").first()
    version = {"version": shift.version}
    context = {"swap": swap}
    mine = (shift.pa_id == user.pk and shift.status == Shift.Status.CONFIRMED and not shift.needs_cover
            and shift.start > timezone.now())
    if mine and swap is None:
        context["swap_form"] = SwapAskForm(recipient=shift.recipient, pa=user, initial=version, auto_id="id_swap_%s")
        context["drop_form"] = DropForm(initial=version, auto_id="id_drop_%s")
    if swap is not None:
        context["may_withdraw_swap"] = swap.from_pa_id == user.pk
        context["may_answer_swap"] = swap.status == Swap.Status.ASKED and swap.to_pa_id == user.pk
        if can_manage and swap.status == Swap.Status.ACCEPTED:
            context["decision_form"] = SwapDecisionForm(initial=version, auto_id="id_decide_%s")
    return context



@require_http_methods(["GET", "POST"])
@login_required
def edit_shift(request, shift_pk):
    shift = get_shift_or_404(request.user, shift_pk, "manage_rota")
    initial = ShiftForm.initial_for(shift)
    form = ShiftForm(request.POST or None, recipient=shift.recipient, with_pa=False, initial=initial,
                     current_tasks=initial["tasks"], editing=True, in_pattern=shift.pattern_id is not None)
    status = 200
    if request.method == "POST" and missing_version(form):
        return stale_response(request, shift, form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = services.update_following if data.get("scope") == "following" else services.update_shift
        try:
            shift = change(
                shift=shift, actor=request.user, expected_version=data["version"], start=data["start"],
                end=data["end"], kind=data["kind"], tasks=data["tasks"], notes=data["notes"],
                location=data["location"],
            )
        except services.StaleShift as stale:
            return stale_response(request, stale.current, form)
        except ValidationError as refusal:
            form_errors(form, refusal)
        else:
            count = getattr(shift, "changed_count", 1)
            return done(request, shift, "Shift changed." if count == 1 else f"{count} shifts changed.")
    if form.errors:
        status = 400
    return render(request, "rota/shift_form.html", {"recipient": shift.recipient, "form": form, "shift": shift},
                  status=status)


def stale_response(request, current, form=None):
    """409: someone else saved first. Show their version, and keep what this person typed (if it was
    the shift form) beside it, ready to apply to the current version with one tap."""
    current.refresh_from_db()
    typed = None
    if form is not None and form.is_bound:
        data = form.data.copy()
        data["version"] = current.version
        typed = ShiftForm(data, recipient=current.recipient, with_pa=False, current_tasks=list(current.tasks.all()),
                          editing=True, in_pattern=current.pattern_id is not None)
        typed.is_valid()  # so the page shows anything that would still be refused
    if typed is None:
        initial = ShiftForm.initial_for(current)
        typed = ShiftForm(recipient=current.recipient, with_pa=False, initial=initial,
                          current_tasks=initial["tasks"], editing=True, in_pattern=current.pattern_id is not None)
    return render(
        request, "rota/stale.html",
        {"shift": current, "recipient": current.recipient, "form": typed, "kept": form is not None,
         "message": services.STALE_MESSAGE,
         "card": live.render_card(Shift.objects.for_cards().get(pk=current.pk))},
        status=409,
    )


def _post_action(request, shift_pk, form_class, action, success, **form_kwargs):
    shift = get_shift_or_404(request.user, shift_pk, "manage_rota")
    form = form_class(request.POST, **{k: v(shift) for k, v in form_kwargs.items()})
    if missing_version(form):
        return stale_response(request, shift)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("rota:shift", shift.pk)
    try:
        result = action(shift, form.cleaned_data)
    except services.StaleShift as stale:
        return stale_response(request, stale.current)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect("rota:shift", shift.pk)
    return done(request, result if isinstance(result, Shift) else shift, success(result))


@require_POST
@login_required
def assign_shift(request, shift_pk):
    return _post_action(
        request, shift_pk, AssignForm,
        lambda shift, data: services.confirm_shift(shift=shift, pa=data["pa"], actor=request.user,
                                                   expected_version=data["version"]),
        lambda shift: f"Booked {person_name(shift.pa)}.",
        recipient=lambda shift: shift.recipient,
    )


@require_POST
@login_required
def offer_shift(request, shift_pk):
    return _post_action(
        request, shift_pk, VersionForm,
        lambda shift, data: services.offer_shift(shift=shift, actor=request.user, expected_version=data["version"]),
        offer_summary,
    )


def offer_summary(offer):
    """"Offered to 3; 1 texted", then who was not texted or not offered, and why."""
    untexted = [r.pa for r in offer.recipients.filter(texted=False).select_related("pa__profile")]
    return " ".join([f"Offered to {len(offer.eligible)}; {len(offer.eligible) - len(untexted)} texted "
                     f"(code {offer.code}).", *_not_reached(offer, untexted)])


def _not_reached(offer, untexted):
    """The offer summary's tail: who was not texted, and who was not offered, each with why."""
    parts = []
    if untexted:
        names = ", ".join(f"{person_name(pa)} ({text_problem(pa) or 'not texted'})" for pa in untexted)
        parts.append(f"Not texted: {names} — they can answer on the shift page.")
    if offer.left_out:
        names = ", ".join(f"{person_name(pa)} ({why})" for pa, why in offer.left_out.items())
        parts.append(f"Not offered to {names}.")
    return parts


@require_POST
@login_required
def widen_offer(request, shift_pk):
    return _post_action(
        request, shift_pk, VersionForm,
        lambda shift, data: services.widen_offer(shift=shift, actor=request.user, expected_version=data["version"]),
        widen_summary,
    )


def widen_summary(offer):
    """"Added to the offer: A, B; 1 texted (code …)", then who was not texted or not offered, and why."""
    added = offer.recipients.filter(pa__in=offer.eligible).select_related("pa__profile")
    untexted = [r.pa for r in added if not r.texted]
    return " ".join([f"Added to the offer: {', '.join(person_name(pa) for pa in offer.eligible)}; "
                     f"{len(offer.eligible) - len(untexted)} texted (code {offer.code}). "
                     f"{offer.already} had already been offered it.", *_not_reached(offer, untexted)])


@require_POST
@login_required
def cancel_shift(request, shift_pk):
    return _post_action(
        request, shift_pk, CancelForm,
        lambda shift, data: services.cancel_shift(shift=shift, actor=request.user, reason=data["reason"],
                                                  expected_version=data["version"]),
        lambda shift: "Shift cancelled.",
    )


@require_POST
@login_required
def needs_cover(request, shift_pk):
    return _post_action(
        request, shift_pk, NeedsCoverForm,
        lambda shift, data: services.mark_needs_cover(shift=shift, actor=request.user, reason=data["reason"],
                                                      expected_version=data["version"]),
        lambda shift: "Marked as needing cover; the budget holder has been told.",
    )


@require_POST
@login_required
def answer_offer(request, shift_pk):
    shift = get_shift_or_404(request.user, shift_pk, "work_shifts")
    form = AnswerForm(request.POST)
    offer = Offer.objects.filter(shift=shift, closed_at__isnull=True).first() or \
        Offer.objects.filter(shift=shift, recipients__pa=request.user).order_by("-created_at").first()
    if not form.is_valid() or offer is None:
        messages.error(request, "This shift has no offer to answer.")
        return redirect("rota:shift", shift.pk)
    try:
        answer = services.answer_offer(offer=offer, pa=request.user, accept=form.cleaned_data["answer"] == "yes")
    except ValidationError as refusal:
        raise PermissionDenied(refusal.messages[0])
    level = messages.SUCCESS if answer.outcome in ("accepted", "declined") else messages.ERROR
    messages.add_message(request, level, answer.reply)
    return redirect("rota:mine")


@require_GET
@login_required
def mine(request):
    recipients = recipients_for(request.user, "work_shifts")
    return render(request, "rota/mine.html", {
        "shifts": my_shifts(request.user, recipients),
        "offers": offers_waiting_for(request.user, recipients),
        "swaps": swaps_asked_of(request.user, recipients),
        "is_pa": recipients.exists(),
    })


@require_GET
@recipient_permission_required("view_budget")
def budget(request, recipient):
    try:
        day = datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        day = timezone.localdate()
    record_staff_view(request, recipient, "Budget")
    summary = budget_summary(recipient, day)
    return render(request, "rota/budget.html", {
        "recipient": recipient, "summary": summary,
        "nmw": national_minimum_wage(), "oncost": oncost_percent(),
        "actual": payroll.actual_against_plan(summary.budget) if summary.budget else None,
    })


@require_http_methods(["GET", "POST"])
@login_required
def calendar_settings(request):
    if not recipients_for(request.user, "work_shifts").exists():
        raise PermissionDenied("Only PAs have a shift calendar.")
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            ical.revoke_feed(pa=request.user)
            messages.success(request, "Your calendar address is switched off. Calendars using it stop updating.")
        else:
            ical.new_feed(pa=request.user)
            messages.success(request, "Your calendar has a new private address; any old one no longer works.")
        return redirect("rota:calendar")
    feed = CalendarFeed.objects.filter(pa=request.user, revoked_at__isnull=True).first()
    url = request.build_absolute_uri(reverse("rota:ical", args=[feed.token])) if feed else ""
    # webcal:// makes a phone offer to subscribe (and keep refreshing) rather than import once.
    webcal = "webcal://" + url.split("://", 1)[1] if url else ""
    return render(request, "rota/calendar.html", {"feed": feed, "url": url, "webcal": webcal})


@require_GET
def ical_feed(request, token):
    feed = CalendarFeed.objects.filter(token=token, revoked_at__isnull=True).select_related("pa").first()
    if feed is None:
        raise Http404("No such calendar.")
    # Calendar apps fetch anonymously. The same link opened inside someone else's session means it
    # has leaked: treat it as unknown rather than show another person's shifts to a logged-in user.
    if request.user.is_authenticated and request.user.pk != feed.pa_id:
        raise Http404("No such calendar.")
    response = HttpResponse(ical.feed_ics(feed.pa), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- Patterns and copying a week -----------------------------------------------------------


def made_message(request, made, what):
    """Say what was made, and each shift left open with why, so nothing is silently skipped."""
    open_count = f"; {len(made.left_open)} left open" if made.left_open else ""
    messages.success(request, f"{len(made.shifts)} shifts {what}{open_count}.")
    for shift, why in made.left_open:
        messages.warning(request, f"{timezone.localtime(shift.start):%a %d %b %H:%M} left open: {why}")
    for day, why in made.skipped:
        messages.warning(request, f"{day:%a %d %b}: no shift made: {why}")


@require_http_methods(["GET", "POST"])
@recipient_permission_required("manage_rota")
def pattern_new(request, recipient):
    initial = {"start_time": datetime.time(8), "end_time": datetime.time(15), "kind": "day",
               "starts_on": timezone.localdate(), "weeks": 8, "every_weeks": 1, "weekdays": ["0", "1", "2", "3", "4"]}
    form = PatternForm(request.POST or None, recipient=recipient, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.create_pattern(
                recipient=recipient, actor=request.user, weekdays=[int(d) for d in data["weekdays"]],
                start_time=data["start_time"], end_time=data["end_time"], kind=data["kind"],
                starts_on=data["starts_on"], weeks=data["weeks"], every_weeks=data["every_weeks"], pa=data["pa"],
                tasks=data["tasks"], location=data["location"],
            )
        except ValidationError as refusal:
            form_errors(form, refusal)
        else:
            made_message(request, made, "made")
            return redirect("rota:pattern", made.pattern.pk)
    return render(request, "rota/pattern_form.html", {"recipient": recipient, "form": form},
                  status=400 if form.errors else 200)


def get_pattern_or_404(user, pattern_pk, codename="view_circle"):
    pattern = get_object_or_404(ShiftPattern.objects.select_related("recipient", "pa"), pk=pattern_pk)
    require_object_permission(user, codename, pattern.recipient)
    return pattern


@require_GET
@login_required
def pattern_detail(request, pattern_pk):
    pattern = get_pattern_or_404(request.user, pattern_pk)
    recipient = pattern.recipient
    shifts = Shift.objects.filter(pattern=pattern).live().upcoming().for_cards()
    return render(request, "rota/pattern.html", {
        "pattern": pattern, "recipient": recipient, "shifts": shifts,
        "can_manage": can(request.user, "manage_rota", recipient) and pattern.ended_at is None,
    })


@require_http_methods(["GET", "POST"])
@login_required
def pattern_end(request, pattern_pk):
    """One confirmation: this page says how many future shifts ending the pattern cancels."""
    pattern = get_pattern_or_404(request.user, pattern_pk, "manage_rota")
    form = EndPatternForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = services.end_pattern(pattern=pattern, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as refusal:
            form_errors(form, refusal)
        else:
            messages.success(request, f"Pattern ended; {len(cancelled)} future shift(s) cancelled and any booked "
                                      "PA told.")
            return redirect("rota:week", pattern.recipient_id)
    return render(request, "rota/pattern_end.html", {
        "pattern": pattern, "recipient": pattern.recipient, "form": form,
        "count": services.future_unworked(pattern).count(),
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@recipient_permission_required("manage_rota")
def copy_week(request, recipient):
    monday, _outside = week_in_view(request.GET.get("week"))
    form = CopyWeekForm(request.POST or None, initial={"from_week": monday,
                                                       "to_week": monday + datetime.timedelta(days=7)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.copy_week(recipient=recipient, actor=request.user, from_monday=data["from_week"],
                                      to_monday=data["to_week"])
        except ValidationError as refusal:
            form_errors(form, refusal)
        else:
            made_message(request, made, "copied")
            return redirect(reverse("rota:week", args=[recipient.pk]) + f"?week={data['to_week'].isoformat()}")
    return render(request, "rota/copy_week.html", {"recipient": recipient, "form": form},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@recipient_permission_required("manage_rota")
def rota_settings(request, recipient):
    current = RotaSettings.for_recipient(recipient)
    form = RotaSettingsForm(request.POST or None, initial={"offer_follow_up_hours": current.offer_follow_up_hours,
                                                           "label": current.label,
                                                           "approve_swaps_automatically":
                                                               current.approve_swaps_automatically})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_rota_settings(recipient=recipient, actor=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            form_errors(form, refusal)
        else:
            messages.success(request, "Rota settings saved.")
            return redirect("rota:week", recipient.pk)
    return render(request, "rota/settings.html", {"recipient": recipient, "form": form},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def reminders(request):
    """A PA's own choice: a text the day before each booked shift, on or off, and when."""
    if not recipients_for(request.user, "work_shifts").exists():
        raise PermissionDenied("Only PAs get shift reminders.")
    current = ReminderChoice.for_pa(request.user)
    form = ReminderForm(request.POST or None, initial={"on": current.on, "at": current.at})
    if request.method == "POST" and form.is_valid():
        services.set_reminders(pa=request.user, **form.cleaned_data)
        messages.success(request, "Reminders on." if form.cleaned_data["on"] else "Reminders off.")
        return redirect("rota:mine")
    return render(request, "rota/reminders.html", {"form": form}, status=400 if form.errors else 200)


# --- A PA's times they cannot work (kept in employment.availability) ----------------------


def _pa_only(user):
    if not recipients_for(user, "work_shifts").exists():
        raise PermissionDenied("Only PAs mark times they cannot work.")


@require_http_methods(["GET", "POST"])
@login_required
def availability(request):
    _pa_only(request.user)
    form = UnavailableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            availability_rules.mark_unavailable(pa=request.user, **form.service_kwargs())
        except ValidationError as refusal:
            form_errors(form, refusal)
        else:
            messages.success(request, "Saved: you will not be offered shifts then.")
            return redirect("rota:availability")
    return render(request, "rota/availability.html", {
        "form": form, "times": Unavailability.objects.filter(pa=request.user).current(),
    }, status=400 if form.errors else 200)


@require_POST
@login_required
def availability_remove(request, unavailability_pk):
    entry = get_object_or_404(Unavailability, pk=unavailability_pk, pa=request.user)
    availability_rules.remove_unavailability(pa=request.user, unavailability=entry)
    messages.success(request, "Removed.")
    return redirect("rota:availability")
