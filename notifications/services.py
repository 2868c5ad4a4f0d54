"""Everything that changes the outbox: queueing a text, sending it once, retrying, Twilio's status
reports, opting out and in, and answering the texts people send us.

Workers are handed messages through the Celery task registered as SEND_MESSAGE_TASK
(notifications.tasks.send_message), looked up by name: tasks import services, never the
reverse. The periodic jobs that call in here are declared in notifications/jobs.py."""
import datetime
import logging
import random
import re
import time

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import pace, replies, sms
from .backends import SendError, get_backend
from .contacts import contact_for, contacts_for
from .models import FINAL, InboundMessage, Message, OptOut, Status, below, mask_number
from .phones import parse_mobile

log = logging.getLogger(__name__)

# The name notifications.tasks registers its send task under; also what workers and the broker see.
SEND_MESSAGE_TASK = "notifications.send_message"
# First sends go to the "sms" queue (settings.CELERY_TASK_ROUTES); a retry, or a text handed back
# under the sending rate, to this one, so it never waits behind a backlog of first sends.
RETRY_QUEUE = "sms_retry"

MAX_ATTEMPTS = 8
RETRY_CAP = datetime.timedelta(minutes=10)
# A worker that has not reported back after this long has died; Twilio's first status
# report (seconds after it accepts a text) has long since told us if it got the text.
STUCK_AFTER = datetime.timedelta(minutes=10)
# Longest a worker (or, embedded, a request thread) waits for its turn under the sending rate.
MAX_PACE_WAIT = datetime.timedelta(seconds=2)

# Twilio's statuses in ours. Anything short of final means Twilio has the text: "sent" for us.
TWILIO_STATUSES = {
    "accepted": Status.SENT,
    "scheduled": Status.SENT,
    "queued": Status.SENT,
    "sending": Status.SENT,
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,
    "undelivered": Status.UNDELIVERED,
    "failed": Status.FAILED,
    "canceled": Status.FAILED,
}


def retry_base():
    return float(settings.SMS_RETRY_BASE_SECONDS)


def send_message_task():
    """The registered Celery task that sends one message (eager when CELERY_TASK_ALWAYS_EAGER).

    Looked up by name rather than imported, so services never import tasks. Not
    `current_app.send_task(...)`: that always goes to the broker, even in eager (embedded) mode."""
    return current_app.tasks[SEND_MESSAGE_TASK]


# --- Queueing ------------------------------------------------------------------------------


def _check_call(*, purpose, idempotency_key):
    if not idempotency_key:
        raise ValueError("send_sms needs an idempotency_key.")
    if not re.fullmatch(r"[-a-z0-9_]{1,40}", purpose or ""):
        raise ValueError("purpose is a short slug such as 'shift_offer'.")


def _addressee(*, user, number, contact):
    """(user, E.164 number) to text, or None when there is no number or no consent. `contact` is the
    user's Contact (already fetched) when `user` is given."""
    if user is not None:
        if contact is None or not contact.consents:
            return None
        number = number or contact.mobile
        if not number:
            return None
        return user, parse_mobile(number)
    if not number:
        raise ValueError("send_sms needs a user or a number.")
    number = parse_mobile(number)
    contact = contact_for(number=number)
    if contact is not None:
        if not contact.consents:
            return None
        user = contact.user
    return user, number


def _unsaved_message(*, user, number, body, purpose, idempotency_key, recipient):
    body = sms.clean(body)
    shape = sms.validate_body(body)
    return Message(user=user, to=number, recipient=recipient, body=body, encoding=shape.encoding,
                   segments=shape.segments, purpose=purpose, idempotency_key=idempotency_key)


def send_sms(*, user=None, number=None, body, purpose, idempotency_key, recipient=None):
    """Queue one text in the caller's transaction; a worker sends it after commit.

    `user` is texted at their mobile (the contact hook, notifications.contacts) unless
    `number` is given. Returns None (and queues nothing) when there is no number, no
    consent, or the number texted STOP. The same idempotency_key twice gives back the
    first message and sends once.

    Its one write is the insert, in a savepoint of its own (a concurrent call with the same key
    may win); everything before it only reads, so it needs no transaction (or savepoint) of its
    own around the whole: two queries fewer for every text a service sends in its transaction.
    """
    _check_call(purpose=purpose, idempotency_key=idempotency_key)
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return existing
    to = _addressee(user=user, number=number, contact=contact_for(user=user) if user is not None else None)
    if to is None or is_opted_out(to[1]):
        return None
    message = _unsaved_message(user=to[0], number=to[1], body=body, purpose=purpose,
                               idempotency_key=idempotency_key, recipient=recipient)
    try:
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        # A concurrent call with the same key committed first: that one is the message.
        existing = Message.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing
    transaction.on_commit(lambda: _hand_to_worker(message.pk))
    return message


def send_sms_many(texts):
    """Queue many texts in the caller's transaction, each exactly as `send_sms(**text)` would, in a
    fixed number of queries however many there are (a sweep texting hundreds of people).

    `texts` is a list of send_sms keyword dicts; returns the list of what send_sms would have
    returned for each. Texts to a user ask the contact hook once for all of them; texts to a
    bare number ask it once each."""
    texts = list(texts)
    for text in texts:
        _check_call(purpose=text.get("purpose"), idempotency_key=text.get("idempotency_key"))
    if not texts:
        return []
    keys = [text["idempotency_key"] for text in texts]
    existing = {m.idempotency_key: m for m in Message.objects.filter(idempotency_key__in=keys)}
    contacts = contacts_for([t["user"] for t in texts if t.get("user") is not None and t["idempotency_key"]
                             not in existing])
    planned = {}  # idempotency key -> (user, number) to text, or None
    for text in texts:
        key, user = text["idempotency_key"], text.get("user")
        if key in existing or key in planned:
            continue
        planned[key] = _addressee(user=user, number=text.get("number"),
                                  contact=contacts.get(user.pk) if user is not None else None)
    numbers = {to[1] for to in planned.values() if to is not None}
    opted_out = set(OptOut.objects.filter(number__in=numbers).values_list("number", flat=True)) if numbers else set()
    new = {}
    for text in texts:
        key = text["idempotency_key"]
        to = planned.get(key)
        if to is None or to[1] in opted_out or key in new:
            continue
        new[key] = _unsaved_message(user=to[0], number=to[1], body=text["body"], purpose=text["purpose"],
                                    idempotency_key=key, recipient=text.get("recipient"))
    if new:
        try:
            with transaction.atomic():
                Message.objects.bulk_create(new.values())
        except IntegrityError:
            # A concurrent call queued one of these keys first: one at a time, as send_sms settles that.
            return [send_sms(**text) for text in texts]
        for message in new.values():
            transaction.on_commit(lambda pk=message.pk: _hand_to_worker(pk))
    return [existing.get(k) or new.get(k) for k in keys]


def _hand_to_worker(message_pk):
    """After commit: queue the send. With the broker unreachable (Redis restarting) the change that
    caused the text has already committed and must not answer 500: the row stays queued and
    send_due_messages hands it to a worker once it is overdue."""
    try:
        send_message_task().delay(message_pk)
    except Exception:
        log.warning("Could not queue SMS %s with the broker; the periodic sweep will send it.", message_pk,
                    exc_info=True)


# --- Sending -------------------------------------------------------------------------------


def deliver_message(*, message_pk):
    """Send one due message, once. Returns its status afterwards, or None if it was not ours to send.

    The row is claimed (queued -> sending) before the provider is called, so two workers
    never both send it; a message Twilio already has an id for is never sent again.

    Two write transactions per text: the claim with its booked moment under the sending rate,
    then the outcome. A task for a message that is not due (a duplicate delivery, a message
    already sent) only reads: on SQLite any UPDATE, even one matching no row, takes the
    file's write lock, which every worker thread needs.
    """
    backend = get_backend()
    now = timezone.now()
    message = Message.objects.due(now).filter(pk=message_pk).first()
    if message is None:
        return None  # not due, already sent, or another worker got there first
    mine = Message.objects.filter(pk=message_pk, status=Status.SENDING)

    if message.provider_id:
        if _claim(message_pk, now):
            mine.update(status=Status.SENT, sent_at=Coalesce("sent_at", Value(now)))
            return Status.SENT
        return None
    if is_opted_out(message.to):
        if _claim(message_pk, now):
            mine.update(status=Status.FAILED, finished_at=now,
                        last_error="The number texted STOP; nothing is sent until START.")
            return Status.FAILED
        return None

    with transaction.atomic():
        if not _claim(message_pk, now):
            return None
        moment, booked = pace.book(backend.sender, max_wait=MAX_PACE_WAIT)
        if not booked:
            # The sending rate is booked further ahead than we may wait: hand the message back
            # (in the same transaction, so to anyone else it never left the queue).
            mine.update(status=Status.QUEUED, next_attempt_at=moment, claimed_at=None, attempts=F("attempts") - 1)
            _schedule(message_pk, at=moment)
            return Status.QUEUED
    message.status, message.attempts = Status.SENDING, message.attempts + 1
    wait = (moment - timezone.now()).total_seconds()
    if wait > 0:
        time.sleep(wait)

    try:
        provider_id = backend.send(message)
    except SendError as exc:
        return _after_failure(message, exc)
    # Zero rows means Twilio's status report arrived first and recorded the same id.
    mine.update(status=Status.SENT, provider_id=provider_id, sent_at=timezone.now(), last_error="")
    return Status.SENT


def _claim(message_pk, now):
    """queued -> sending, if it still is queued and due: True for the one worker that wins."""
    return Message.objects.filter(pk=message_pk).due(now).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    ) == 1


def _after_failure(message, exc):
    now = timezone.now()
    mine = Message.objects.filter(pk=message.pk, status=Status.SENDING)
    if exc.opted_out:
        opt_out(number=message.to, reason=OptOut.Reason.PROVIDER)
    if exc.permanent or message.attempts >= MAX_ATTEMPTS:
        reason = exc.reason if exc.permanent else f"Gave up after {message.attempts} attempts. {exc.reason}"
        mine.update(status=Status.FAILED, finished_at=now, last_error=reason[:300])
        log.warning("SMS %s to %s failed: %s", message.pk, message.masked_to, reason)
        return Status.FAILED
    at = now + backoff(message.attempts)
    mine.update(status=Status.QUEUED, next_attempt_at=at, claimed_at=None, last_error=exc.reason)
    _schedule(message.pk, at=at)
    return Status.QUEUED


def backoff(attempts):
    """Exponential, capped, with half of it random so a burst of failures does not retry in step."""
    delay = min(RETRY_CAP.total_seconds(), retry_base() * 2 ** max(attempts - 1, 0))
    return datetime.timedelta(seconds=delay / 2 + random.uniform(0, delay / 2))


def _schedule(message_pk, *, at):
    """A worker sends it at `at`. Embedded (eager) mode must not sleep in a request thread:
    there the periodic job picks the message up once it is due."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    transaction.on_commit(lambda: send_message_task().apply_async((message_pk,), eta=at, queue=RETRY_QUEUE))


def send_due_messages(limit=100):
    """Queue a send for every message whose (re)try time has come (periodic, see jobs.py). Safe to run twice.

    Embedded, this is how retries happen. With workers, every message already has a task
    (after commit, or with an ETA for a retry), so this only picks up those overdue by a
    minute, whose task was lost, rather than doubling a backlog that is merely being paced."""
    overdue = datetime.timedelta(0) if settings.CELERY_TASK_ALWAYS_EAGER else datetime.timedelta(minutes=1)
    due = Message.objects.due(timezone.now() - overdue).order_by("next_attempt_at", "pk")
    due = due.values_list("pk", flat=True)[:limit]
    pks = list(due)
    for pk in pks:
        send_message_task().delay(pk)
    return len(pks)


def requeue_stuck_messages():
    """Messages whose worker died mid-send go back in the queue, or fail after the last attempt (periodic, see jobs.py).

    A message Twilio did accept is not among them: Twilio's first status report, carrying
    our message id, has already recorded its provider id and moved it to "sent"."""
    now = timezone.now()
    stuck = Message.objects.stuck_sending(now - STUCK_AFTER)
    requeued = stuck.filter(attempts__lt=MAX_ATTEMPTS).update(
        status=Status.QUEUED, next_attempt_at=now, claimed_at=None, last_error="The sending worker stopped; trying again."
    )
    failed = stuck.update(
        status=Status.FAILED, finished_at=now, last_error=f"The sending worker stopped; gave up after {MAX_ATTEMPTS} attempts."
    )
    return {"requeued": requeued, "failed": failed}


# --- Twilio's status reports ---------------------------------------------------------------


def record_status(*, provider_id, status, error_code="", message_pk=None):
    """Move a message forward to the status Twilio reports; never backwards. Returns rows changed."""
    new = TWILIO_STATUSES.get((status or "").strip().lower())
    if new is None or not provider_id:
        return 0
    now = timezone.now()
    match = Q(provider_id=provider_id)
    if message_pk is not None:
        match |= Q(pk=message_pk, provider_id="")
    changes = {"status": new, "provider_id": provider_id, "sent_at": Coalesce("sent_at", Value(now))}
    if new in FINAL:
        changes["finished_at"] = now
    if error_code:
        changes["last_error"] = f"Twilio reported error {error_code}"[:300]
    updated = Message.objects.filter(match, status__in=below(new)).update(**changes)
    if str(error_code) == "21610":
        for number in Message.objects.filter(provider_id=provider_id).values_list("to", flat=True):
            opt_out(number=number, reason=OptOut.Reason.PROVIDER)
    return updated


# --- Opting out and in ---------------------------------------------------------------------


def is_opted_out(number):
    return OptOut.objects.filter(number=number).exists()


def opt_out(*, number, reason):
    OptOut.objects.get_or_create(number=number, defaults={"reason": reason})


def opt_in(*, number):
    return OptOut.objects.filter(number=number).delete()[0] > 0


# --- Texts people send us ------------------------------------------------------------------


def help_text():
    return (
        "paworkflow: texts about shifts and training from the care team you work with. "
        f"Reply STOP to stop all texts, START to restart. More: {settings.PUBLIC_BASE_URL}"
    )


OPTED_IN = "paworkflow: you will get our texts again. Reply STOP to stop them, HELP for help."
UNKNOWN_NUMBER = (
    "paworkflow: this number is not linked to anyone here, so we cannot act on your text. "
    "Reply HELP for help or STOP to stop texts."
)
HANDLER_FAILED = "Sorry, something went wrong our end. Please try again later, or use the link in our text."


def not_understood():
    words = replies.keywords()
    listed = ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)
    offer = f"{listed} with the code from our text, " if words else ""
    return f"Sorry, we did not understand that. You can text {offer}HELP for help, or STOP to stop texts."


@transaction.atomic
def receive_text(*, number, body, provider_id=""):
    """Act on a text someone sent us and return the reply to send back ("" for none).

    A text redelivered by Twilio (same provider id) is answered as before and acted on once.
    """
    number = (number or "").strip()
    body = (body or "").strip()[:1600]
    words = body.split()
    keyword = re.sub(r"[^A-Z0-9]", "", words[0].upper())[:20] if words else ""
    args = tuple(word.strip(".,;:!?") for word in words[1:])
    alone = len(words) == 1  # Twilio acts on STOP, START and YES only as the whole text
    contact = contact_for(number=number)
    user = contact.user if contact is not None else None
    if user is not None and not user.is_active:
        user = None

    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                provider_id=provider_id, from_number=number[:32], user=user, body=body, keyword=keyword
            )
    except IntegrityError:
        return InboundMessage.objects.get(provider_id=provider_id).reply

    if alone and keyword in replies.STOP_WORDS and number:
        opt_out(number=number, reason=OptOut.Reason.REPLIED_STOP)
        reply = ""  # Twilio confirms the opt-out itself, and would block a reply from us anyway
    elif alone and (keyword in replies.START_WORDS or (keyword == "YES" and is_opted_out(number))):
        opt_in(number=number)
        reply = OPTED_IN
    elif keyword in replies.HELP_WORDS:
        reply = help_text()
    elif user is None:
        log.info("Text from %s, a number that belongs to nobody; answered generically.", mask_number(number))
        reply = UNKNOWN_NUMBER
    elif handler := replies.handler_for(keyword):
        reply = _run_handler(handler, user=user, number=number, keyword=keyword, args=args)
    else:
        reply = not_understood()

    inbound.reply = sms.clean(reply or "")[:1600]
    inbound.save(update_fields=["reply"])
    return inbound.reply


def _run_handler(handler, **kwargs):
    try:
        with transaction.atomic():
            return handler(**kwargs)
    except ValidationError as exc:
        return " ".join(exc.messages)
    except Exception:
        # Twilio shows the sender nothing when a webhook fails; a short apology is better,
        # and the savepoint has undone whatever the handler half-did.
        log.exception("SMS reply handler for %s failed", kwargs["keyword"])
        return HANDLER_FAILED
