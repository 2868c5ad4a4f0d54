"""Everything that changes the rota. One transaction each; the page, the admin and SMS replies call these.

Each function locks the shift row first (then the PA's user row, then the rota counter, always
in that order so two changes cannot deadlock), refuses a stale `expected_version`, applies the
rules in `rota.rules`, writes the audit row, queues texts in the outbox and numbers the change
for the live pages — all committed together or not at all.
"""
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

import notifications
from care.kernel.clock import local_midnight
from care.kernel.names import person_name
from care.permissions import can
from care.services import record_audit
from competencies.models import Competency

from . import live, rules, signals, timesheets
from .models import Offer, OfferRecipient, OfferResponse, Shift
from .queries import budget_summary, budget_holders, eligible_pas, not_eligible, working_time_warnings

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
    found += budget_summary(shift.recipient, timezone.localdate(shift.start)).warnings
    return found


def _close_open_offer(shift, taken_by=None):
    Offer.objects.filter(shift=shift, closed_at__isnull=True).update(closed_at=timezone.now(), taken_by=taken_by)


def _text_pa(shift, pa, body, purpose):
    if pa is None:
        return None
    return notifications.send_sms(
        user=pa,
        body=f"paworkflow: {body} Details: {shift_link(shift)}",
        purpose=f"rota-{purpose}",
        idempotency_key=f"rota-{purpose}-{shift.pk}-v{shift.version}-{pa.pk}",
        recipient=shift.recipient,
    )


def _book(shift, pa, actor, tell_pa=True):
    """Confirm a locked shift for `pa` once the rules pass; the caller holds the shift lock."""
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
    if previous is not None:
        _text_pa(shift, previous, f"you are no longer booked for the shift {when(shift)}.", "unbooked")
    if tell_pa and (actor is None or actor.pk != pa.pk):
        _text_pa(shift, pa, f"you are booked for a shift {when(shift)}.", "booked")
    record_audit(actor=actor, recipient=shift.recipient, action="rota.confirmed",
                 summary=f"{person_name(pa)} confirmed for {shift}")
    shift.warnings = _warnings(shift)
    return shift


@transaction.atomic
def create_shift(*, recipient, start, end, kind, actor, tasks=(), pa=None, notes="", location="", tell_pa=True):
    """A new shift: open (draft) without a PA, confirmed through the gate with one.

    `tell_pa=False` when the caller texts the PA once for many shifts (a hospital agreement)."""
    start, end = rules.check_times(start, end)
    rules.check_text(notes=notes, location=location)
    if kind not in Shift.Kind.values:
        raise ValidationError(f"Unknown kind of shift: {kind!r}.")
    shift = Shift.objects.create(
        recipient=recipient, start=start, end=end, kind=kind, notes=notes, location=location, created_by=actor
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
    previous = shift.pa
    shift.pa = None
    shift.status = Shift.Status.OFFERED
    pas = list(eligible_pas(shift).exclude(pk=getattr(previous, "pk", None)))
    if not pas:
        raise ValidationError("No PA in the circle is free and competent for the whole shift, so nobody was texted.")
    _close_open_offer(shift)
    offer = _new_offer(shift, actor)
    for pa in pas:
        message = notifications.send_sms(
            user=pa,
            body=f"paworkflow: shift available {when(shift)}. Reply YES {offer.code} to take it or NO {offer.code}. "
            f"{shift_link(shift)}",
            purpose="rota-offer",
            idempotency_key=f"rota-offer-{offer.pk}-{pa.pk}",
            recipient=shift.recipient,
        )
        OfferRecipient.objects.create(offer=offer, pa=pa, texted=message is not None)
    _save(shift, ["pa", "status"])  # after the recipients, so the live card says how many were asked
    if previous is not None:
        _text_pa(shift, previous, f"you are no longer booked for the shift {when(shift)}.", "unbooked")
    record_audit(actor=actor, recipient=shift.recipient, action="rota.offered",
                 summary=f"Offered {shift} to {len(pas)} PA(s), code {offer.code}")
    offer.eligible = pas
    offer.left_out = not_eligible(shift, [*pas, previous])
    return offer


def _new_offer(shift, actor):
    for _attempt in range(5):
        try:
            with transaction.atomic():  # a savepoint: a clashing random code is simply drawn again
                return Offer.objects.create(shift=shift, created_by=actor)
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
                body=f"paworkflow: {count} cover, the first {when(first)}. {link}",
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
