"""Everything that changes the rota. One transaction each; the page, the admin and SMS replies call these.

Each function locks the shift row first (then the PA's user row, then the rota counter, always
in that order so two changes cannot deadlock), refuses a stale `expected_version`, applies the
rules in `rota.rules`, writes the audit row, queues texts in the outbox and numbers the change
for the live pages — all committed together or not at all.
"""
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

import notifications
from notifications import sms
from care.kernel.clock import local_midnight
from care.kernel.names import person_name
from care.permissions import can
from care.services import record_audit
from competencies.models import Competency
from employment.availability import unavailable_pas

from . import live, rules, signals, timesheets
from .models import (
    LABEL_MAX_LENGTH, Offer, OfferRecipient, OfferResponse, ReminderChoice, RotaSettings, Shift, ShiftPattern, Swap,
    new_offer_code,
)
from .queries import (
    budget_holders, budget_summary, eligible_pas, local_instant, not_eligible, working_time_warnings,
)

STALE_MESSAGE = "Changed by someone else — here is the current shift."


class StaleShift(Exception):
    """A change based on an old version of the shift. `current` is the shift as it is now."""

    def __init__(self, current):
        super().__init__(STALE_MESSAGE)
        self.current = current


def shift_link(shift):
    return settings.PUBLIC_BASE_URL + reverse("rota:shift", args=[shift.pk])


def when(shift, start=None, end=None):
    """"Tue 03 Mar 08:00-14:00" in London time: what a text may say (no names, no tasks)."""
    start = timezone.localtime(start or shift.start)
    end = timezone.localtime(end or shift.end)
    days = (end.date() - start.date()).days
    suffix = f" (+{days})" if days else ""
    return f"{start:%a %d %b %H:%M}-{end:%H:%M}{suffix}"


def sender(recipient):
    """How a rota text starts: "paworkflow (Rose St):" with the family's label, so a PA working for
    several families knows which one it is from; the label is checked like any text when it is set."""
    label = RotaSettings.objects.filter(recipient=recipient).values_list("label", flat=True).first()
    return f"paworkflow ({label}):" if label else "paworkflow:"


def _lock(shift, expected_version=None):
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the PA.
    locked = Shift.objects.select_for_update(of=("self",)).select_related("recipient", "pa").get(pk=shift.pk)
    if expected_version not in (None, "") and not _same_version(expected_version, locked.version):
        raise StaleShift(locked)
    return locked


def _same_version(expected, current):
    try:
        return int(expected) == current
    except (TypeError, ValueError):
        return False


def _lock_pa(pa):
    """Serialise bookings of one PA across every rota, so two rotas cannot double-book them at once."""
    return get_user_model().objects.select_for_update().get(pk=pa.pk)


def _save(shift, fields, *, notice=""):
    shift.version += 1
    shift.updated_at = timezone.now()
    shift.save(update_fields=[*fields, "version", "updated_at"])
    live.record_change(shift, notice=notice)


def _warnings(shift):
    """What the person planning should hear, though nothing is refused."""
    found = []
    if shift.pa_id and shift.status == Shift.Status.CONFIRMED:
        found += working_time_warnings(pa=shift.pa, start=shift.start, end=shift.end, exclude_pk=shift.pk)
        if unavailable_pas([shift.pa_id], shift.start, shift.end):
            # Their wish, not a rule: the family may have agreed it with them, so it warns.
            found.append(f"{person_name(shift.pa)} said they cannot work some of this time.")
    found += budget_summary(shift.recipient, timezone.localdate(shift.start)).warnings
    return found


def _close_open_offer(shift, taken_by=None):
    Offer.objects.filter(shift=shift, closed_at__isnull=True).update(closed_at=timezone.now(), taken_by=taken_by)


def _text_pa(shift, pa, body, purpose):
    if pa is None:
        return None
    return notifications.send_sms(
        user=pa,
        body=f"{sender(shift.recipient)} {body} Details: {shift_link(shift)}",
        purpose=f"rota-{purpose}",
        idempotency_key=f"rota-{purpose}-{shift.pk}-v{shift.version}-{pa.pk}",
        recipient=shift.recipient,
    )


def _book(shift, pa, actor, tell_pa=True, tell_previous=True):
    """Confirm a locked shift for `pa` once the rules pass; the caller holds the shift lock.

    `tell_pa`/`tell_previous=False` when the caller sends its own texts (a swap says why)."""
    if shift.status in (Shift.Status.CANCELLED, Shift.Status.COMPLETED):
        raise ValidationError(f"This shift is {shift.get_status_display().lower()}; it cannot be confirmed.")
    if shift.end <= timezone.now():
        raise ValidationError("This shift is over; it cannot be confirmed.")
    _lock_pa(pa)
    rules.check_assignable(shift=shift, pa=pa, start=shift.start, end=shift.end, tasks=list(shift.tasks.all()))
    previous = shift.pa if shift.pa_id and shift.pa_id != pa.pk else None
    shift.pa = pa
    shift.status = Shift.Status.CONFIRMED
    shift.needs_cover = False
    shift.cover_reason = ""
    _close_open_offer(shift, taken_by=pa)
    _save(shift, ["pa", "status", "needs_cover", "cover_reason"])
    if previous is not None and tell_previous:
        _text_pa(shift, previous, f"you are no longer booked for the shift {when(shift)}.", "unbooked")
    if tell_pa and (actor is None or actor.pk != pa.pk):
        _text_pa(shift, pa, f"you are booked for a shift {when(shift)}.", "booked")
    record_audit(actor=actor, recipient=shift.recipient, action="rota.confirmed",
                 summary=f"{person_name(pa)} confirmed for {shift}")
    shift.warnings = _warnings(shift)
    return shift


@transaction.atomic
def create_shift(*, recipient, start, end, kind, actor, tasks=(), pa=None, notes="", location="", tell_pa=True,
                 pattern=None):
    """A new shift: open (draft) without a PA, confirmed through the gate with one.

    `tell_pa=False` when the caller texts the PA once for many shifts (a hospital agreement)."""
    start, end = rules.check_times(start, end)
    rules.check_text(notes=notes, location=location)
    if kind not in Shift.Kind.values:
        raise ValidationError(f"Unknown kind of shift: {kind!r}.")
    shift = Shift.objects.create(
        recipient=recipient, start=start, end=end, kind=kind, notes=notes, location=location, created_by=actor,
        pattern=pattern,
    )
    shift.tasks.set(tasks)
    record_audit(actor=actor, recipient=recipient, action="rota.created", summary=f"Added {shift}")
    if pa is not None:
        return _book(_lock(shift), pa, actor, tell_pa=tell_pa)
    live.record_change(shift)
    shift.warnings = _warnings(shift)
    return shift


@transaction.atomic
def update_shift(*, shift, actor, expected_version, start, end, kind, tasks, notes="", location="", tell_pa=True):
    """Change a shift's times, kind, tasks or notes. A booked shift keeps its PA only if they still pass.

    The version the change was based on is required: without it the change could silently
    overwrite a newer one, so it is refused as stale.
    """
    shift = _lock(shift, expected_version)
    if expected_version in (None, ""):
        raise StaleShift(shift)
    if not shift.is_active:
        raise ValidationError(f"This shift is {shift.get_status_display().lower()}; it cannot be changed.")
    start, end = rules.check_times(start, end)
    rules.check_text(notes=notes, location=location)
    tasks = list(tasks)
    moved = (start, end) != (shift.start, shift.end)
    if shift.kind == Shift.Kind.RESPITE and (moved or kind != shift.kind):
        # The carer's hours were drawn for exactly these times: the booking is the way in.
        raise ValidationError("Respite shifts keep the times the carer booked: cancel the respite booking and "
                              "book again to change them.")
    retasked = {t.pk for t in tasks} != set(shift.tasks.values_list("pk", flat=True))
    if shift.pa_id and (moved or retasked):
        _lock_pa(shift.pa)
        rules.check_assignable(shift=shift, pa=shift.pa, start=start, end=end, tasks=tasks)
    old_when = when(shift)
    shift.start, shift.end, shift.kind, shift.notes, shift.location = start, end, kind, notes, location
    fields = ["start", "end", "kind", "notes", "location"]
    if shift.status == Shift.Status.OFFERED and (moved or retasked):
        # The texts already sent name the old times: a YES to them must not book the new ones.
        _close_open_offer(shift)
        shift.status = Shift.Status.DRAFT
        fields.append("status")
    shift.tasks.set(tasks)
    _save(shift, fields)
    if tell_pa and shift.pa_id and moved:
        _text_pa(shift, shift.pa, f"your shift {old_when} is now {when(shift)}.", "changed")
    record_audit(actor=actor, recipient=shift.recipient, action="rota.changed", summary=f"Changed {shift}")
    shift.warnings = _warnings(shift)
    return shift


@transaction.atomic
def confirm_shift(*, shift, pa, actor, expected_version=None):
    """Book `pa` on the shift: no clash, competent for every task for the whole shift."""
    return _book(_lock(shift, expected_version), pa, actor)


@transaction.atomic
def cancel_shift(*, shift, actor, reason, expected_version=None, tell_pa=True):
    """`tell_pa=False` when the caller texts the PA once for many shifts (a discharge)."""
    shift = _lock(shift, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the shift is cancelled; the PA will see it was cancelled, not why.")
    if not shift.is_active:
        raise ValidationError(f"This shift is already {shift.get_status_display().lower()}.")
    shift.status = Shift.Status.CANCELLED
    shift.cancel_reason = reason[:200]
    shift.needs_cover = False
    _tell_offered_it_is_cancelled(shift)
    _close_open_offer(shift)
    _save(shift, ["status", "cancel_reason", "needs_cover"])
    if tell_pa and shift.pa_id and shift.end > timezone.now():
        _text_pa(shift, shift.pa, f"the shift {when(shift)} is cancelled.", "cancelled")
    record_audit(actor=actor, recipient=shift.recipient, action="rota.cancelled", summary=f"Cancelled {shift}: {reason}")
    signals.shift_cancelled.send(sender=Shift, shift=shift, actor=actor)
    return shift


@transaction.atomic
def hold_shift(*, shift, actor, reason):
    """Mark a shift held from outside the rota (a ward suspends a hospital agreement): everyone
    sees `reason` on it, it keeps its PA. No text: the caller tells people once for all its shifts."""
    shift = _lock(shift)
    if shift.hold_reason != reason[:80]:
        shift.hold_reason = reason[:80]
        _save(shift, ["hold_reason"])
        record_audit(actor=actor, recipient=shift.recipient, action="rota.held", summary=f"{reason}: {shift}")
    return shift


@transaction.atomic
def release_shift(*, shift, actor):
    shift = _lock(shift)
    if shift.hold_reason:
        shift.hold_reason = ""
        _save(shift, ["hold_reason"])
        record_audit(actor=actor, recipient=shift.recipient, action="rota.released", summary=f"No longer held: {shift}")
    return shift


@transaction.atomic
def offer_shift(*, shift, actor, expected_version=None):
    """Text the shift's reference code to every eligible PA; the first YES gets it. Returns the Offer."""
    shift = _lock(shift, expected_version)
    if not shift.is_active:
        raise ValidationError(f"This shift is {shift.get_status_display().lower()}; it cannot be offered.")
    if shift.start <= timezone.now():
        raise ValidationError("This shift has started; book a PA directly instead of offering it.")
    if shift.pa_id and not shift.needs_cover:
        raise ValidationError("This shift already has a PA. Cancel or reassign it instead.")
    previous = shift.pa  # booked but needing cover: they cannot work it
    open_offer = Offer.objects.filter(shift=shift, closed_at__isnull=True).select_related("unbooked_pa").first()
    # Offering again (or widening) still leaves out the PA who could not work it.
    unbooked = previous or (open_offer.unbooked_pa if open_offer else None)
    shift.pa = None
    shift.status = Shift.Status.OFFERED
    pas = list(eligible_pas(shift).exclude(pk=getattr(unbooked, "pk", None)))
    if not pas:
        raise ValidationError("No PA in the circle is free and competent for the whole shift, so nobody was texted.")
    _close_open_offer(shift)
    offer = _new_offer(shift, actor, unbooked_pa=unbooked)
    _text_offer(offer, shift, pas)
    _save(shift, ["pa", "status"])  # after the recipients, so the live card says how many were asked
    if previous is not None:
        _text_pa(shift, previous, f"you are no longer booked for the shift {when(shift)}.", "unbooked")
    record_audit(actor=actor, recipient=shift.recipient, action="rota.offered",
                 summary=f"Offered {shift} to {len(pas)} PA(s), code {offer.code}")
    offer.eligible = pas
    offer.left_out = not_eligible(shift, [*pas, unbooked])
    return offer


def _text_offer(offer, shift, pas):
    """Text the offer's code to each PA and record them as offered it (texted or not: those without
    texts answer on the page)."""
    for pa in pas:
        message = notifications.send_sms(
            user=pa,
            body=f"{sender(shift.recipient)} shift available {when(shift)}. Reply YES {offer.code} to take it or "
            f"NO {offer.code}. {shift_link(shift)}",
            purpose="rota-offer",
            idempotency_key=f"rota-offer-{offer.pk}-{pa.pk}",
            recipient=shift.recipient,
        )
        OfferRecipient.objects.create(offer=offer, pa=pa, texted=message is not None)


@transaction.atomic
def widen_offer(*, shift, actor, expected_version=None):
    """Add to a shift's open offer every PA of the circle who could take it now and has not been
    offered it (free again, back from leave, newly signed off, new to the circle), with the same
    code, so a YES from anyone asked so far still counts. Returns the Offer with `eligible` (those
    added), `left_out` ({pa: why}) and `already` (how many had been offered it)."""
    shift = _lock(shift, expected_version)
    offer = Offer.objects.select_for_update().filter(shift=shift, closed_at__isnull=True).first()
    if offer is None or shift.status != Shift.Status.OFFERED:
        raise ValidationError("This shift is not on offer, so there is no offer to widen.")
    if shift.start <= timezone.now():
        raise ValidationError("This shift has started; book a PA directly instead of offering it.")
    asked = set(offer.recipients.values_list("pa", flat=True))
    eligible = list(eligible_pas(shift))
    pas = [pa for pa in eligible if pa.pk not in asked and pa.pk != offer.unbooked_pa_id]
    left_out = not_eligible(shift, [*eligible, offer.unbooked_pa])
    if not pas:
        why = [f"{person_name(pa)}: {reason}" for pa, reason in left_out.items()]
        raise ValidationError([f"Nobody was added: every PA who could take it has already been offered it "
                               f"({len(asked)}).", *(f"Not offered to {w}." for w in why)])
    _text_offer(offer, shift, pas)
    # The card's count of PAs asked changes; the shift (and its version) does not.
    live.record_change(shift)
    record_audit(actor=actor, recipient=shift.recipient, action="rota.offer_widened",
                 summary=f"Widened the offer of {shift} (code {offer.code}) to {len(pas)} more PA(s): "
                         + ", ".join(person_name(pa) for pa in pas))
    offer.eligible, offer.left_out, offer.already = pas, left_out, len(asked)
    return offer


def _tell_offered_it_is_cancelled(shift):
    """PAs texted an open offer who have not said NO hear it is cancelled, so nobody keeps the time
    free or replies YES to a shift that is gone."""
    offer = Offer.objects.filter(shift=shift, closed_at__isnull=True).first()
    if offer is None:
        return
    said_no = OfferResponse.objects.filter(offer=offer, answer=OfferResponse.Answer.NO).values("pa")
    for recipient in offer.recipients.filter(texted=True).exclude(pa__in=said_no).select_related("pa"):
        notifications.send_sms(
            user=recipient.pa, body=f"{sender(shift.recipient)} the shift {when(shift)} offered to you (code {offer.code}) is "
                                    "cancelled; no need to reply.",
            purpose="rota-offer-cancelled", idempotency_key=f"rota-offer-cancelled-{offer.pk}-{recipient.pa_id}",
            recipient=shift.recipient,
        )


def _text_holders(shift, text, *, purpose, key):
    for holder in budget_holders(shift.recipient):
        notifications.send_sms(
            user=holder, body=f"{sender(shift.recipient)} {text} {shift_link(shift)}", purpose=purpose,
            idempotency_key=f"rota-{key}-{holder.pk}", recipient=shift.recipient,
        )


@transaction.atomic
def follow_up_offer(*, offer, now=None):
    """Nobody has taken an open offer by the family's follow-up time: tell the budget holders once,
    with the shift's link, where one tap offers it again or widens it. Returns False if already done or moot."""
    now = now or timezone.now()
    shift = _lock(offer.shift)
    claimed = Offer.objects.filter(pk=offer.pk, closed_at__isnull=True, followed_up_at__isnull=True).update(
        followed_up_at=now)
    if claimed != 1 or shift.status != Shift.Status.OFFERED or shift.start <= now:
        return False  # another worker got there first, or it was taken, cancelled or has started
    declined = OfferResponse.objects.filter(offer=offer, answer=OfferResponse.Answer.NO).count()
    answered = f" ({declined} said no)" if declined else ""
    _text_holders(shift, f"nobody has taken the shift {when(shift)} yet{answered}. Offer it again or to more PAs: ",
                  purpose="rota-offer-untaken", key=f"offer-untaken-{offer.pk}")
    record_audit(actor=None, recipient=shift.recipient, action="rota.offer_followed_up",
                 summary=f"Nobody had taken {shift} by the follow-up time; budget holders told")
    return True


def _new_offer(shift, actor, unbooked_pa=None):
    for _attempt in range(5):
        code = new_offer_code()
        # A code answers one thing: "YES 482113" must not be both an open offer and an open swap
        # (_new_swap checks open offers the same way).
        if Swap.objects.filter(code=code, status=Swap.Status.ASKED).exists():
            continue
        try:
            with transaction.atomic():  # a savepoint: a clashing random code is simply drawn again
                return Offer.objects.create(shift=shift, created_by=actor, code=code, unbooked_pa=unbooked_pa)
        except IntegrityError:
            continue
    raise RuntimeError("Could not draw a free offer code")


@dataclass
class Answer:
    outcome: str
    reply: str
    shift: Shift


@transaction.atomic
def answer_offer(*, offer, pa, accept, channel=OfferResponse.Channel.PAGE):
    """A PA's YES or NO. The shift row lock makes the first YES win; later ones hear it is taken."""
    shift = _lock(offer.shift)
    offer = Offer.objects.get(pk=offer.pk)  # re-read under the lock: it may have closed meanwhile
    if not OfferRecipient.objects.filter(offer=offer, pa=pa).exists():
        raise ValidationError("This shift was not offered to you.")

    def respond(answer, outcome, reply, detail=""):
        OfferResponse.objects.create(offer=offer, pa=pa, answer=answer, outcome=outcome, channel=channel,
                                     detail=detail[:200])
        return Answer(outcome, reply, shift)

    if not accept:
        result = respond(OfferResponse.Answer.NO, OfferResponse.Outcome.DECLINED,
                         f"Thanks, we have noted you can't do {when(shift)}.")
        if offer.is_open:
            # The card's "declined" count changes for everyone watching; the shift itself does
            # not, so its version stays and nobody's open edit becomes stale.
            live.record_change(shift)
        return result
    if shift.status == Shift.Status.CANCELLED:
        return respond(OfferResponse.Answer.YES, OfferResponse.Outcome.TOO_LATE,
                       f"Sorry, the shift {when(shift)} was cancelled; there is nothing to take.")
    if not offer.is_open or shift.pa_id or shift.status != Shift.Status.OFFERED:
        return respond(OfferResponse.Answer.YES, OfferResponse.Outcome.TOO_LATE,
                       f"Sorry, the shift {when(shift)} has already been taken.")
    try:
        with transaction.atomic():
            _book(shift, pa, actor=pa)
    except ValidationError as refusal:
        shift.refresh_from_db()
        # The reason may name a task: it goes on the page and the record, never into a text.
        return respond(OfferResponse.Answer.YES, OfferResponse.Outcome.REFUSED,
                       f"Sorry, you can't be booked for {when(shift)}. See {shift_link(shift)}",
                       detail="; ".join(refusal.messages))
    _text_holders(shift, f"the shift {when(shift)} you offered has been taken.", purpose="rota-offer-taken",
                  key=f"offer-taken-{offer.pk}")
    return respond(OfferResponse.Answer.YES, OfferResponse.Outcome.ACCEPTED,
                   f"You have the shift {when(shift)}. Thank you!")


def handle_sms_reply(*, user, number, keyword, args):
    """notifications' reply handler for "YES 482113" and "NO 482113"."""
    words = args.split() if isinstance(args, str) else list(args or [])
    code = next((w for w in words if w.isdigit()), None)
    if code is None:
        return f"Please reply {keyword} followed by the shift code, for example {keyword} 482113."
    if user is None:
        return "Sorry, we don't recognise this number."
    offer = Offer.objects.filter(code=code, recipients__pa=user).select_related("shift").order_by("-created_at").first()
    swap = Swap.objects.filter(code=code, to_pa=user).select_related("shift").order_by("-created_at").first()
    if swap is not None and (offer is None or swap.created_at >= offer.created_at):
        return answer_swap(swap=swap, pa=user, accept=keyword.upper() == "YES",
                           channel=OfferResponse.Channel.SMS).reply
    if offer is None:
        return f"Sorry, no shift with code {code} was offered to you."
    return answer_offer(
        offer=offer, pa=user, accept=keyword.upper() == "YES", channel=OfferResponse.Channel.SMS
    ).reply


# --- Shifts that need cover ---------------------------------------------------------


def _flag_needs_cover(shifts, *, reason, key, actor=None):
    """Inside the caller's transaction: flag each shift once and tell the budget holders once per `key`."""
    flagged = []
    for shift in shifts:
        shift = _lock(shift)
        if shift.needs_cover or shift.status != Shift.Status.CONFIRMED:
            continue
        shift.needs_cover = True
        shift.cover_reason = reason
        _save(shift, ["needs_cover", "cover_reason"], notice=f"Needs cover: {when(shift)}. {reason}")
        record_audit(actor=actor, recipient=shift.recipient, action="rota.needs_cover",
                     summary=f"{shift} needs cover: {reason}")
        flagged.append(shift)
    if flagged:
        recipient = flagged[0].recipient
        first = min(flagged, key=lambda s: s.start)
        count = f"{len(flagged)} shifts need" if len(flagged) > 1 else "A shift needs"
        link = settings.PUBLIC_BASE_URL + reverse("rota:week", args=[recipient.pk]) + "?week=" + \
            timezone.localdate(first.start).isoformat()
        for holder in budget_holders(recipient):
            notifications.send_sms(
                user=holder,
                body=f"{sender(recipient)} {count} cover, the first {when(first)}. {link}",
                purpose="rota-needs-cover",
                idempotency_key=f"rota-cover-{key}-{holder.pk}",
                recipient=recipient,
            )
    return flagged


@transaction.atomic
def mark_needs_cover(*, shift, actor, reason, expected_version=None):
    """The PA can't come (ill, say): keep them on record, flag the shift, tell the budget holders."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the shift needs cover.")
    shift = _lock(shift, expected_version)
    if shift.status != Shift.Status.CONFIRMED or shift.needs_cover:
        raise ValidationError("Only a booked shift that is not already flagged can be marked as needing cover.")
    if shift.end <= timezone.now():
        raise ValidationError("This shift is over.")
    return _flag_needs_cover([shift], reason=reason[:200], key=f"marked-{shift.pk}-v{shift.version}", actor=actor)[0]


@transaction.atomic
def flag_lapsed_competency(*, competency, reason):
    """A competency stopped being valid: its PA's future shifts needing that task need cover."""
    if not can(competency.pa, "work_shifts", competency.recipient):
        # They left the circle: flag_departed_pa flags all their shifts with one text, not one per competency.
        return []
    now = timezone.now()
    candidates = (
        Shift.objects.upcoming(now)
        .filter(recipient=competency.recipient, pa=competency.pa, status=Shift.Status.CONFIRMED,
                needs_cover=False, tasks=competency.task)
        .order_by("pk")
    )
    uncovered = []
    for shift in candidates:
        still = Competency.objects.valid_for(shift.recipient, competency.task, max(shift.start, now), until=shift.end)
        if not still.filter(pa=competency.pa).exclude(pk=competency.pk).exists():
            uncovered.append(shift)
    why = {"revoked": "revoked", "suspended": "suspended", "expired": "expired"}.get(reason, "no longer valid")
    return _flag_needs_cover(
        uncovered, reason=f"{person_name(competency.pa)}'s competency was {why}.",
        key=f"competency-{competency.pk}-{reason}-{competency.status_changed_at:%Y%m%d%H%M%S}",
    )


@transaction.atomic
def flag_departed_pa(*, membership):
    """A PA left the circle: their future shifts for this person need cover, and their pages close."""
    user, recipient = membership.user, membership.recipient
    live.disconnect_user(recipient.pk, user.pk)
    if can(user, "work_shifts", recipient):
        return []  # still a PA here through another membership
    shifts = (
        Shift.objects.upcoming()
        .filter(recipient=recipient, pa=user, status=Shift.Status.CONFIRMED, needs_cover=False)
        .order_by("pk")
    )
    return _flag_needs_cover(list(shifts), reason=f"{person_name(user)} has left the circle.",
                             key=f"membership-{membership.pk}")


@transaction.atomic
def flag_absent_pa(*, absence):
    """Holiday approved or sickness recorded: the PA's booked shifts still to come in those days need cover."""
    reason = "The PA is on approved leave." if absence.kind == "holiday" else "The PA is off sick."
    shifts = (
        Shift.objects.upcoming()
        .overlapping(local_midnight(absence.first_day), local_midnight(absence.last_day, days=1))
        .filter(recipient=absence.recipient, pa=absence.pa, status=Shift.Status.CONFIRMED, needs_cover=False)
        .order_by("pk")
    )
    return _flag_needs_cover(list(shifts), reason=reason, key=f"absence-{absence.pk}")


@transaction.atomic
def complete_shift(*, shift):
    """Mark a confirmed shift that has ended as worked. Returns False if someone else already did."""
    shift = _lock(shift)
    if shift.status != Shift.Status.CONFIRMED or shift.end > timezone.now():
        return False
    shift.status = Shift.Status.COMPLETED
    _save(shift, ["status"])
    timesheets.open_timesheet(shift=shift)
    return True


# --- Swaps and drops --------------------------------------------------------------------------
# A booked PA hands their shift to a named PA of the circle (ask, accept, approve) or drops it into
# the open pool (it needs cover at once, and is offered the usual way). Booking goes through _book,
# so the gate, clashes and leave are checked again, under the same locks, when a swap is approved.


def _check_swappable(shift, pa):
    """What a swap and a drop both start from: `pa` is booked on this shift, which is still to come."""
    if shift.pa_id != pa.pk or shift.status != Shift.Status.CONFIRMED:
        raise ValidationError("Only the PA booked on a shift can swap or drop it.")
    if shift.needs_cover:
        raise ValidationError("This shift already needs cover; the budget holder is arranging it.")
    if shift.start <= timezone.now():
        raise ValidationError("This shift has started; talk to the budget holder instead.")


def _swap_is_current(swap, shift):
    """A swap hands over the shift as it was when asked: a shift moved, re-booked, cancelled or
    flagged since (its version moved on) is not what the other PA agreed to take."""
    return (swap.shift_version == shift.version and shift.pa_id == swap.from_pa_id
            and shift.status == Shift.Status.CONFIRMED and not shift.needs_cover)


def _new_swap(shift, pa, to_pa):
    for _attempt in range(5):
        code = new_offer_code()
        # A code answers one thing: "YES 482113" must not be both an open offer and a swap.
        if Offer.objects.filter(code=code, closed_at__isnull=True).exists():
            continue
        try:
            with transaction.atomic():  # a savepoint: a clashing random code is simply drawn again
                return Swap.objects.create(shift=shift, kind=Swap.Kind.SWAP, from_pa=pa, to_pa=to_pa, code=code,
                                           status=Swap.Status.ASKED, shift_version=shift.version)
        except IntegrityError:
            continue
    raise RuntimeError("Could not draw a free swap code")


def _text_about_swap(swap, user, body, outcome):
    """One text per swap, outcome and person: the outbox key makes any second call send nothing."""
    shift = swap.shift
    return notifications.send_sms(
        user=user, body=f"{sender(shift.recipient)} {body} {shift_link(shift)}", purpose=f"rota-swap-{outcome}",
        idempotency_key=f"rota-swap-{swap.pk}-{outcome}-{user.pk}", recipient=shift.recipient,
    )


def _text_holders_about_swap(swap, body, outcome, actor=None):
    """The budget holders, but not the one who made this happen on the page (they saw it there)."""
    for holder in budget_holders(swap.shift.recipient):
        if actor is None or holder.pk != actor.pk:
            _text_about_swap(swap, holder, body, outcome)


def _lock_swap(swap):
    """Re-read the swap under a row lock, after the shift's (the order every swap change takes).
    of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the named PA."""
    return Swap.objects.select_for_update(of=("self",)).select_related("from_pa", "to_pa").get(pk=swap.pk)


def _close_swap(swap, status, actor, detail=""):
    swap.status = status
    swap.decided_at = timezone.now()
    swap.decided_by = actor
    swap.detail = detail[:300]
    swap.save(update_fields=["status", "decided_at", "decided_by", "detail"])


@transaction.atomic
def ask_swap(*, shift, pa, to_pa, expected_version=None):
    """`pa` asks `to_pa` (a PA of the circle) to take over their booked shift; `to_pa` is texted a
    code to reply YES or NO to. `to_pa` must pass the rota's rules now; approval checks them again."""
    shift = _lock(shift, expected_version)
    _check_swappable(shift, pa)
    if to_pa is None or to_pa.pk == pa.pk:
        raise ValidationError("Choose another PA of the circle to take the shift.")
    for stale in Swap.objects.select_for_update().filter(shift=shift, status__in=Swap.OPEN):
        if _swap_is_current(stale, shift):
            raise ValidationError("You have already asked someone to take this shift; withdraw that first.")
        _close_swap(stale, Swap.Status.LAPSED, actor=None)
        record_audit(actor=pa, recipient=shift.recipient, action="rota.swap_lapsed",
                     summary=f"Earlier swap of {shift} lapsed: the shift changed since it was asked")
    _lock_pa(to_pa)
    rules.check_assignable(shift=shift, pa=to_pa, start=shift.start, end=shift.end, tasks=list(shift.tasks.all()))
    swap = _new_swap(shift, pa, to_pa)
    _text_about_swap(
        swap, to_pa, f"a PA asks if you can take over their shift {when(shift)}. Reply YES {swap.code} to take it "
                     f"or NO {swap.code}.", "asked",
    )
    record_audit(actor=pa, recipient=shift.recipient, action="rota.swap_asked",
                 summary=f"{person_name(pa)} asked {person_name(to_pa)} to take {shift} (code {swap.code})")
    live.record_change(shift)  # the card says a swap is waiting; the shift itself (and its version) is unchanged
    return swap


@transaction.atomic
def answer_swap(*, swap, pa, accept, channel=OfferResponse.Channel.PAGE):
    """The named PA's YES or NO (on the page or by text). A YES waits for the budget holder, or is
    approved at once when the family has chosen that (RotaSettings.approve_swaps_automatically)."""
    shift = _lock(swap.shift)
    swap = _lock_swap(swap)
    swap.shift = shift
    if swap.to_pa_id != pa.pk or not can(pa, "work_shifts", shift.recipient):
        raise ValidationError("This swap was not asked of you.")
    if swap.status != Swap.Status.ASKED:
        return Answer("too_late", f"Sorry, the request to take the shift {when(shift)} is no longer open "
                                  f"({swap.get_status_display().lower()}).", shift)
    if not _swap_is_current(swap, shift):
        _close_swap(swap, Swap.Status.LAPSED, actor=None)
        record_audit(actor=pa, recipient=shift.recipient, action="rota.swap_lapsed",
                     summary=f"Swap of {shift} to {person_name(pa)} lapsed: the shift changed before they answered")
        live.record_change(shift)
        return Answer("too_late", f"Sorry, the shift {when(shift)} has changed since you were asked; nothing was "
                                  "done.", shift)
    swap.answered_at = timezone.now()
    if not accept:
        swap.status = Swap.Status.DECLINED
        swap.save(update_fields=["status", "answered_at"])
        _text_about_swap(swap, swap.from_pa, f"the PA you asked can't take the shift {when(shift)}; you are still "
                                             "booked for it.", "declined")
        record_audit(actor=pa, recipient=shift.recipient, action="rota.swap_declined",
                     summary=f"{person_name(pa)} declined to take {shift} from {person_name(swap.from_pa)}")
        live.record_change(shift)
        return Answer("declined", f"Thanks, we have noted you can't take {when(shift)}.", shift)
    swap.status = Swap.Status.ACCEPTED
    swap.save(update_fields=["status", "answered_at"])
    record_audit(actor=pa, recipient=shift.recipient, action="rota.swap_accepted",
                 summary=f"{person_name(pa)} agreed to take {shift} from {person_name(swap.from_pa)}")
    if RotaSettings.for_recipient(shift.recipient).approve_swaps_automatically:
        # The answer they are reading (page or reply text) is their one word on the outcome.
        swap = _decide_swap(swap, shift, actor=None, approve=True, tell_taker=False)
        if swap.status == Swap.Status.APPROVED:
            return Answer("accepted", f"Done: you are booked for the shift {when(shift)}. Thank you!", shift)
        return Answer("refused", f"Sorry, you can't be booked for {when(shift)}; the shift stays with its PA. "
                                 f"See {shift_link(shift)}", shift)
    _text_holders_about_swap(swap, f"a PA has agreed to take over the shift {when(shift)} from another; it needs "
                                   "your approval:", "to-approve")
    live.record_change(shift)
    return Answer("accepted", f"Thanks: the swap for {when(shift)} now needs the budget holder's approval; we will "
                              "text you the outcome.", shift)


@transaction.atomic
def decide_swap(*, swap, actor, approve, expected_version=None):
    """The budget holder (anyone who may manage the rota) approves or refuses an accepted swap.
    The shift's row lock and version make two decisions at once have one winner; the other is
    told (StaleShift, or a refusal saying what became of it)."""
    shift = _lock(swap.shift, expected_version)
    swap = _lock_swap(swap)
    swap.shift = shift
    if swap.status == Swap.Status.ASKED:
        raise ValidationError("The other PA has not accepted this swap yet.")
    if swap.status != Swap.Status.ACCEPTED:
        raise ValidationError(f"This swap has already been dealt with: {swap.get_status_display().lower()}.")
    return _decide_swap(swap, shift, actor=actor, approve=approve)


# What each outcome tells (the PA who asked, the named PA, the budget holders) after "the swap of the shift <when>".
SWAP_OUTCOME_TEXTS = {
    Swap.Status.APPROVED: ("is approved: you are no longer booked for it", "is approved: you are booked for it",
                           "is approved"),
    Swap.Status.REFUSED: ("could not be approved; you are still booked for it",
                          "could not be approved; you are not booked for it",
                          "could not be approved; the shift stays with its PA"),
    Swap.Status.REJECTED: ("was not approved; you are still booked for it",
                           "was not approved; you are not booked for it",
                           "was not approved; the shift stays with its PA"),
    Swap.Status.LAPSED: ("did not go ahead: the shift changed meanwhile",) * 3,
}


def _decide_swap(swap, shift, *, actor, approve, tell_taker=True):
    """Inside the caller's transaction, both rows locked: approve (through _book and its rules) or
    refuse, then tell both PAs and the budget holders the outcome, once each."""
    moment = when(shift)
    if not _swap_is_current(swap, shift):
        _close_swap(swap, Swap.Status.LAPSED, actor=actor)
    elif approve:
        try:
            with transaction.atomic():
                _close_swap(swap, Swap.Status.APPROVED, actor=actor)  # before _book, so its live card shows it
                _book(shift, swap.to_pa, actor, tell_pa=False, tell_previous=False)
        except ValidationError as refusal:
            shift.refresh_from_db()
            # The reasons may name a task: they go on the page and the record, never into a text.
            _close_swap(swap, Swap.Status.REFUSED, actor=actor, detail="; ".join(refusal.messages))
    else:
        _close_swap(swap, Swap.Status.REJECTED, actor=actor)
    outcome = swap.status
    ours, theirs, holders = SWAP_OUTCOME_TEXTS[outcome]
    _text_about_swap(swap, swap.from_pa, f"the swap of the shift {moment} {ours}.", outcome)
    if tell_taker:
        _text_about_swap(swap, swap.to_pa, f"the swap of the shift {moment} {theirs}.", outcome)
    _text_holders_about_swap(swap, f"the swap of the shift {moment} {holders}.", outcome, actor=actor)
    by = f"by {person_name(actor)}" if actor else "automatically (the family's setting)"
    why = f": {swap.detail}" if swap.detail else ""
    record_audit(actor=actor, recipient=shift.recipient, action=f"rota.swap_{outcome}",
                 summary=f"Swap of {shift} from {person_name(swap.from_pa)} to {person_name(swap.to_pa)}: "
                         f"{swap.get_status_display().lower()} {by}{why}")
    approved = outcome == Swap.Status.APPROVED
    if not approved:
        live.record_change(shift)  # approved: _book's save already numbered and broadcast the change
    shift.warnings = _warnings(shift) if approved else []
    swap.shift = shift
    return swap


def _withdraw(swap, shift, actor):
    was_accepted = swap.status == Swap.Status.ACCEPTED
    _close_swap(swap, Swap.Status.WITHDRAWN, actor=actor)
    _text_about_swap(swap, swap.to_pa, f"the request to take the shift {when(shift)} (code {swap.code}) is "
                                       "withdrawn; no need to reply.", "withdrawn")
    if was_accepted:
        _text_holders_about_swap(swap, f"the swap of the shift {when(shift)} is withdrawn; nothing to approve.",
                                 "withdrawn")
    record_audit(actor=actor, recipient=shift.recipient, action="rota.swap_withdrawn",
                 summary=f"{person_name(actor)} withdrew the swap of {shift} to {person_name(swap.to_pa)}")
    live.record_change(shift)


@transaction.atomic
def withdraw_swap(*, swap, pa):
    """The PA who asked takes it back before it is decided; the named PA hears they need not reply."""
    shift = _lock(swap.shift)
    swap = _lock_swap(swap)
    swap.shift = shift
    if swap.from_pa_id != pa.pk:
        raise ValidationError("Only the PA who asked for the swap can withdraw it.")
    if not swap.is_open:
        raise ValidationError(f"This swap has already been dealt with: {swap.get_status_display().lower()}.")
    _withdraw(swap, shift, actor=pa)
    return swap


@transaction.atomic
def drop_shift(*, shift, pa, reason, expected_version=None):
    """The booked PA can't work it and names nobody: the shift needs cover at once, with the reason
    shown to the budget holder (never texted), who offers it the usual way (offer_shift)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("Say why you can't work this shift; the budget holder will see it.")
    if len(reason) > Swap.REASON_MAX_LENGTH:
        raise ValidationError(f"Keep the reason to {Swap.REASON_MAX_LENGTH} characters.")
    shift = _lock(shift, expected_version)
    _check_swappable(shift, pa)
    for open_swap in Swap.objects.select_for_update(of=("self",)).filter(shift=shift, status__in=Swap.OPEN) \
            .select_related("from_pa", "to_pa"):
        open_swap.shift = shift
        _withdraw(open_swap, shift, actor=pa)
    swap = Swap.objects.create(shift=shift, kind=Swap.Kind.DROP, from_pa=pa, reason=reason, status=Swap.Status.DROPPED,
                               shift_version=shift.version, decided_at=timezone.now(), decided_by=pa)
    record_audit(actor=pa, recipient=shift.recipient, action="rota.swap_dropped",
                 summary=f"{person_name(pa)} dropped {shift}: {reason}")
    _flag_needs_cover([shift], reason=f"{person_name(pa)} dropped it: {reason}"[:200], key=f"drop-{swap.pk}",
                      actor=pa)
    return swap


# --- Patterns and copying a week ------------------------------------------------------------


@dataclass
class Made:
    """What a pattern or a copied week made: every shift, and those left open with the reason."""

    shifts: list
    left_open: list  # (shift, reason)
    skipped: list  # (local date, reason): days no shift could be made at all
    pattern: ShiftPattern | None = None


def _make_one(*, recipient, day, start_time, end_time, kind, actor, pa, tasks, location, pattern, made):
    """One shift of a pattern or a copy, through create_shift and the gate. A refusal to book the PA
    leaves the shift open and says why; a time that cannot be made skips the day and says why."""
    end_day = day + datetime.timedelta(days=1) if end_time <= start_time else day
    start, end = local_instant(day, start_time), local_instant(end_day, end_time)
    if start is None or end is None:
        made.skipped.append((day, "the clocks go forward through that time"))
        return
    try:
        with transaction.atomic():
            shift = create_shift(recipient=recipient, start=start, end=end, kind=kind, actor=actor, tasks=tasks,
                                 location=location, pattern=pattern)
    except ValidationError as refusal:
        made.skipped.append((day, " ".join(refusal.messages)))
        return
    if pa is not None:
        try:
            with transaction.atomic():
                shift = _book(_lock(shift), pa, actor, tell_pa=False)  # one text for them all: _text_booked_many
        except ValidationError as refusal:
            shift.refresh_from_db()
            made.left_open.append((shift, " ".join(refusal.messages)))
    made.shifts.append(shift)


def _text_booked_many(made, pa, *, key):
    """One text for all the shifts a pattern or copy booked a PA on, not one each."""
    booked = [s for s in made.shifts if pa is not None and s.pa_id == pa.pk]
    if not booked:
        return
    first = booked[0]
    what = f"a shift {when(first)}" if len(booked) == 1 else f"{len(booked)} shifts, the first {when(first)}"
    notifications.send_sms(
        user=pa, body=f"{sender(first.recipient)} you are booked for {what}. Details: {shift_link(first)}",
        purpose="rota-booked", idempotency_key=f"rota-booked-{key}-{pa.pk}", recipient=first.recipient,
    )


def pattern_days(*, starts_on, weeks, weekdays, every_weeks):
    """The local dates a pattern makes shifts on: from the Monday of `starts_on` (never before it),
    for `weeks` weeks, on `weekdays`, every `every_weeks` weeks (2 = alternate weeks)."""
    monday = starts_on - datetime.timedelta(days=starts_on.weekday())
    days = []
    for week in range(0, weeks, every_weeks):
        for weekday in sorted(weekdays):
            day = monday + datetime.timedelta(weeks=week, days=weekday)
            if day >= starts_on:
                days.append(day)
    return days


@transaction.atomic
def create_pattern(*, recipient, actor, weekdays, start_time, end_time, kind, starts_on, weeks, every_weeks=1,
                   pa=None, tasks=(), location=""):
    """Make a weekly pattern's shifts `weeks` weeks ahead, each through create_shift and the gate.

    A PA who cannot be booked on one (a clash, leave, a competency that does not cover it) leaves
    that shift open with the reason; the rest are booked. Times are wall-clock: 08:00 stays 08:00
    across a clock change.
    """
    weekdays = sorted({int(d) for d in weekdays})
    if not weekdays or any(d not in range(7) for d in weekdays):
        raise ValidationError("Choose at least one day of the week.")
    if not 1 <= weeks <= 104:
        raise ValidationError("A pattern can make shifts 1 to 104 weeks ahead.")
    if every_weeks not in (1, 2, 3, 4):
        raise ValidationError("A pattern repeats every 1, 2, 3 or 4 weeks.")
    if kind not in ("day", "waking_night", "sleep_in"):
        raise ValidationError("A pattern makes day, waking-night or sleep-in shifts.")
    rules.check_day(starts_on)
    pattern = ShiftPattern.objects.create(
        recipient=recipient, weekdays=",".join(map(str, weekdays)), start_time=start_time, end_time=end_time,
        kind=kind, every_weeks=every_weeks, starts_on=starts_on, weeks=weeks, pa=pa, created_by=actor,
    )
    made = Made(shifts=[], left_open=[], skipped=[], pattern=pattern)
    tasks = list(tasks)
    for day in pattern_days(starts_on=starts_on, weeks=weeks, weekdays=weekdays, every_weeks=every_weeks):
        _make_one(recipient=recipient, day=day, start_time=start_time, end_time=end_time, kind=kind, actor=actor,
                  pa=pa, tasks=tasks, location=location, pattern=pattern, made=made)
    if not made.shifts:
        raise ValidationError(["No shift could be made:", *(f"{d:%a %d %b}: {why}" for d, why in made.skipped)])
    _text_booked_many(made, pa, key=f"pattern-{pattern.pk}")
    record_audit(actor=actor, recipient=recipient, action="rota.pattern_created",
                 summary=f"Pattern {pattern.describe()}: {len(made.shifts)} shift(s), {len(made.left_open)} left open")
    return made


@transaction.atomic
def update_following(*, shift, actor, expected_version, start, end, kind, tasks, notes="", location=""):
    """Edit "this and following": the same change (new wall-clock times, days moved by the same
    number, kind, tasks, notes) to this shift and every later unworked shift of its pattern, each
    through update_shift. Any refusal refuses the whole change, naming the shift. Each booked PA
    whose shifts moved gets one text for all of them, not one a shift."""
    first = _lock(shift, expected_version)
    if first.pattern_id is None:
        raise ValidationError("This shift is not part of a pattern.")
    old_day = timezone.localdate(first.start)
    moved_days = (timezone.localdate(start) - old_day).days
    start_time, end_time = timezone.localtime(start).time(), timezone.localtime(end).time()
    later = list(
        Shift.objects.filter(pattern_id=first.pattern_id, start__gt=first.start)
        .exclude(status__in=[Shift.Status.CANCELLED, Shift.Status.COMPLETED]).order_by("start")
    )
    before = {s.pk: (s.start, s.end, when(s)) for s in [first, *later]}
    changed = [update_shift(shift=first, actor=actor, expected_version=expected_version, start=start, end=end,
                            kind=kind, tasks=tasks, notes=notes, location=location, tell_pa=False)]
    for other in later:
        day = timezone.localdate(other.start) + datetime.timedelta(days=moved_days)
        end_day = day + datetime.timedelta(days=1) if end_time <= start_time else day
        new_start, new_end = local_instant(day, start_time), local_instant(end_day, end_time)
        try:
            if new_start is None or new_end is None:
                raise ValidationError("the clocks go forward through that time")
            changed.append(update_shift(shift=other, actor=actor, expected_version=other.version, start=new_start,
                                        end=new_end, kind=kind, tasks=tasks, notes=notes, location=location,
                                        tell_pa=False))
        except ValidationError as refusal:
            raise ValidationError(
                [f"Nothing was changed: the shift on {day:%a %d %b} could not take it.", *refusal.messages]
            ) from None
    moved = [s for s in changed if s.pa_id and (s.start, s.end) != before[s.pk][:2]]
    edit = f"{first.pk}-v{changed[0].version}"  # a new version each edit: each edit texts once
    for pa in {s.pa for s in moved}:
        _text_moved_following([s for s in moved if s.pa_id == pa.pk], pa, before, key=edit)
    record_audit(actor=actor, recipient=first.recipient, action="rota.changed_following",
                 summary=f"Changed {len(changed)} shift(s) of the pattern from {changed[0]}")
    changed[0].warnings = [w for s in changed for w in getattr(s, "warnings", [])]
    changed[0].changed_count = len(changed)
    return changed[0]


def _text_moved_following(theirs, pa, before, *, key):
    """One text to a PA for all their shifts one "this and following" edit moved: the usual change
    text for one, a count and the pattern's page for several. The key makes the edit text once."""
    first = theirs[0]
    if len(theirs) == 1:
        _text_pa(first, pa, f"your shift {before[first.pk][2]} is now {when(first)}.", "changed")
        return
    was = timezone.localtime(before[first.pk][0])
    link = settings.PUBLIC_BASE_URL + reverse("rota:pattern", args=[first.pattern_id])
    notifications.send_sms(
        user=pa,
        body=f"{sender(first.recipient)} your shifts from {was:%a} {was.day} {was:%b} have changed: "
             f"{len(theirs)} shifts, the first now {when(first)}. Details: {link}",
        purpose="rota-changed", idempotency_key=f"rota-changed-following-{key}-{pa.pk}", recipient=first.recipient,
    )


def future_unworked(pattern, now=None):
    """A pattern's shifts that have not started and are not cancelled: what ending it cancels."""
    return (
        Shift.objects.filter(pattern=pattern, start__gt=now or timezone.now())
        .exclude(status__in=[Shift.Status.CANCELLED, Shift.Status.COMPLETED]).order_by("start")
    )


@transaction.atomic
def end_pattern(*, pattern, actor, reason):
    """End a pattern: cancel its future unworked shifts (texting any booked PA) in one go."""
    pattern = ShiftPattern.objects.select_for_update().get(pk=pattern.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the pattern ends.")
    if pattern.ended_at is not None:
        raise ValidationError("This pattern has already ended.")
    cancelled = [cancel_shift(shift=s, actor=actor, reason=f"Pattern ended: {reason}"[:200], tell_pa=False)
                 for s in future_unworked(pattern)]
    # One text per booked PA for all their cancelled shifts, not one each.
    for pa in {s.pa for s in cancelled if s.pa_id}:
        theirs = [s for s in cancelled if s.pa_id == pa.pk]
        what = f"the shift {when(theirs[0])} is" if len(theirs) == 1 else \
            f"{len(theirs)} shifts from {when(theirs[0])} are"
        notifications.send_sms(user=pa, body=f"{sender(pattern.recipient)} {what} cancelled.",
                               purpose="rota-cancelled", idempotency_key=f"rota-pattern-ended-{pattern.pk}-{pa.pk}",
                               recipient=pattern.recipient)
    pattern.ended_at = timezone.now()
    pattern.end_reason = reason[:200]
    pattern.save(update_fields=["ended_at", "end_reason"])
    record_audit(actor=actor, recipient=pattern.recipient, action="rota.pattern_ended",
                 summary=f"Ended pattern {pattern.describe()}: {len(cancelled)} future shift(s) cancelled")
    return cancelled


@transaction.atomic
def copy_week(*, recipient, actor, from_monday, to_monday):
    """Copy a week's shifts (not cancelled, not respite or hospital: those have their own bookings)
    onto another week at the same wall-clock times, booking the same PAs through the gate; a PA who
    cannot be booked leaves that copy open with the reason."""
    if from_monday == to_monday:
        raise ValidationError("Choose a different week to copy onto.")
    rules.check_day(to_monday)
    made = Made(shifts=[], left_open=[], skipped=[])
    source = (
        Shift.objects.live().filter(recipient=recipient).in_week(from_monday)
        .exclude(kind__in=[Shift.Kind.RESPITE, Shift.Kind.HOSPITAL])
        .select_related("pa").prefetch_related("tasks").order_by("start")
    )
    for shift in source:
        start, end = timezone.localtime(shift.start), timezone.localtime(shift.end)
        day = to_monday + datetime.timedelta(days=(start.date() - from_monday).days)
        _make_one(recipient=recipient, day=day, start_time=start.time(), end_time=end.time(), kind=shift.kind,
                  actor=actor, pa=shift.pa, tasks=list(shift.tasks.all()), location=shift.location, pattern=None,
                  made=made)
    if not made.shifts and not made.skipped:
        raise ValidationError("That week has no shifts to copy.")
    for pa in {s.pa for s in made.shifts if s.pa_id}:
        _text_booked_many(made, pa, key=f"copy-{recipient.pk}-{from_monday:%Y%m%d}-{to_monday:%Y%m%d}")
    record_audit(actor=actor, recipient=recipient, action="rota.week_copied",
                 summary=f"Copied the week of {from_monday:%d %b %Y} onto {to_monday:%d %b %Y}: "
                         f"{len(made.shifts)} shift(s), {len(made.left_open)} left open")
    return made


@transaction.atomic
def update_rota_settings(*, recipient, actor, offer_follow_up_hours, label="", approve_swaps_automatically=None):
    """`approve_swaps_automatically=None` keeps the family's current choice."""
    if not 1 <= offer_follow_up_hours <= 168:
        raise ValidationError("Choose between 1 and 168 hours (a week) before the shift.")
    label = " ".join((label or "").split())
    check_label(label)
    row, _ = RotaSettings.objects.select_for_update().get_or_create(recipient=recipient)
    row.offer_follow_up_hours = offer_follow_up_hours
    row.label = label
    if approve_swaps_automatically is not None:
        row.approve_swaps_automatically = bool(approve_swaps_automatically)
    row.save()
    swaps = "approved automatically" if row.approve_swaps_automatically else "approved by the budget holder"
    record_audit(actor=actor, recipient=recipient, action="rota.settings_changed",
                 summary=f"Offer follow-up {offer_follow_up_hours} hours before the shift; label {label!r}; "
                         f"swaps {swaps}")
    return row


def check_label(label):
    """A label goes into every text: short, printable, no clinical word, not the person's name."""
    if len(label) > LABEL_MAX_LENGTH:
        raise ValidationError(f"Keep the label to {LABEL_MAX_LENGTH} characters.")
    if not label:
        return
    if any(not ch.isprintable() for ch in label):
        raise ValidationError("The label can only hold letters, numbers and simple punctuation.")
    sms.validate_body(label)  # no condition, medicine or task


@transaction.atomic
def set_reminders(*, pa, on, at):
    row, _ = ReminderChoice.objects.select_for_update().get_or_create(pa=pa)
    row.on, row.at = on, at
    row.save()
    return row


def send_day_before_reminder(*, shift):
    """The day-before text to the booked PA. The outbox's idempotency key (shift and its start)
    makes a second run, or a second worker, send nothing more; a moved shift is reminded again."""
    start = timezone.localtime(shift.start)
    return notifications.send_sms(
        user=shift.pa,
        body=f"{sender(shift.recipient)} reminder: your shift tomorrow {when(shift)}. Details: {shift_link(shift)}",
        purpose="rota-reminder", idempotency_key=f"rota-reminder-{shift.pk}-{start:%Y%m%d%H%M}",
        recipient=shift.recipient,
    )
