"""Live rota: number each change under a row lock, log it, and broadcast it after commit.

A change's payload carries the rendered `_shift_card.html`, the same partial the page uses,
so a card looks the same on first load, after a live update and after a replay.
"""
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from care.models import CareRecipient
from care.permissions import VIEW, get_recipient_or_404

from .models import RotaChange, RotaSequence, Shift
from .queries import monday_of, needs_cover_count, parse_week, rota_week

log = logging.getLogger(__name__)

# A page further behind than this gets a fresh snapshot of its week instead of a replay.
MAX_REPLAY = 200


def group_name(recipient_pk):
    return f"rota.{recipient_pk}"


def render_card(shift, show_person=False):
    return render_to_string("rota/_shift_card.html", {"shift": shift, "show_person": show_person})


def card_message(shift):
    return {
        "shift_id": shift.pk,
        "day": timezone.localdate(shift.start).isoformat(),
        "week": monday_of(timezone.localdate(shift.start)).isoformat(),
        "start": shift.start.isoformat(),
        "html": render_card(shift),
    }


def next_seq(recipient_id):
    """Take the rota's counter row lock (held until commit) and return the next number."""
    counter, _ = RotaSequence.objects.select_for_update().get_or_create(recipient_id=recipient_id)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def current_seq(recipient_id):
    return RotaSequence.objects.filter(recipient_id=recipient_id).values_list("last", flat=True).first() or 0


def record_change(shift, *, notice=""):
    """Inside the caller's transaction: number the change, log it, broadcast it once committed."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_change must run inside the transaction that changed the shift")
    seq = next_seq(shift.recipient_id)
    fresh = Shift.objects.for_cards().get(pk=shift.pk)
    payload = {
        "type": "change",
        "seq": seq,
        **card_message(fresh),
        "needs_cover_total": needs_cover_count(shift.recipient_id),
        "notice": notice,
    }
    RotaChange.objects.create(recipient_id=shift.recipient_id, seq=seq, shift=shift, payload=payload)
    transaction.on_commit(lambda: broadcast(shift.recipient_id, payload))
    return seq


def broadcast(recipient_id, payload):
    """Send to every page on this rota. A lost broadcast is repaired by the pages' resync, so log and go on."""
    try:
        async_to_sync(get_channel_layer().group_send)(group_name(recipient_id), {**payload, "type": "rota.change"})
    except Exception:
        log.exception("rota broadcast %s #%s failed; pages will resync", recipient_id, payload.get("seq"))


def disconnect_user(recipient_id, user_id):
    """After commit: close this user's open sockets on this rota (they left the circle)."""
    transaction.on_commit(
        lambda: async_to_sync(get_channel_layer().group_send)(
            group_name(recipient_id), {"type": "rota.revoke", "user_id": user_id}
        )
    )


# --- For the consumer (called through database_sync_to_async) -----------------------


def refusal_code(user, recipient_pk):
    """None if the user may watch this rota, else the WebSocket close code to refuse with."""
    if not (user and user.is_authenticated):
        return 4401
    try:
        get_recipient_or_404(user, recipient_pk, VIEW)
    except Http404:
        return 4404
    except PermissionDenied:
        return 4403
    return None


def catch_up(recipient_pk, last_seq, week):
    """What a (re)connecting page needs: the changes after `last_seq`, or a snapshot of its week."""
    current = current_seq(recipient_pk)
    if last_seq is not None and 0 <= last_seq <= current and current - last_seq <= MAX_REPLAY:
        changes = list(
            RotaChange.objects.filter(recipient_id=recipient_pk, seq__gt=last_seq, seq__lte=current)
            .order_by("seq")
            .values_list("payload", flat=True)
        )
        if len(changes) == current - last_seq:  # nothing pruned from the log in between
            return [*changes, {"type": "synced", "seq": current}]
    return [snapshot(recipient_pk, week, current)]


def snapshot(recipient_pk, week, seq):
    monday = parse_week(week)
    recipient = CareRecipient.objects.get(pk=recipient_pk)
    cards = [card_message(shift) for _day, shifts in rota_week(recipient, monday) for shift in shifts]
    return {
        "type": "snapshot",
        "seq": seq,
        "week": monday.isoformat(),
        "cards": cards,
        "needs_cover_total": needs_cover_count(recipient_pk),
    }
