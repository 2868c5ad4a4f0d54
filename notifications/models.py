"""The outbox of texts, the numbers that said STOP, the texts people sent us, and the sending pace."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    UNDELIVERED = "undelivered", "Not delivered"
    FAILED = "failed", "Failed"


# A status only ever moves to a higher rank: a late "sent" callback never overwrites "delivered".
RANK = {
    Status.QUEUED: 0,
    Status.SENDING: 1,
    Status.SENT: 2,
    Status.DELIVERED: 3,
    Status.UNDELIVERED: 3,
    Status.FAILED: 3,
}
FINAL = {Status.DELIVERED, Status.UNDELIVERED, Status.FAILED}


def below(status):
    """The statuses a message may move from to reach `status`."""
    return [s for s, rank in RANK.items() if rank < RANK[status]]


class MessageQuerySet(models.QuerySet):
    def due(self, at=None):
        """Queued messages whose (next) attempt time has come."""
        return self.filter(status=Status.QUEUED, next_attempt_at__lte=at or timezone.now())

    def stuck_sending(self, claimed_before):
        """Claimed by a worker that never reported back (it died, or lost its connection)."""
        return self.filter(status=Status.SENDING, claimed_at__lt=claimed_before)

    def for_circle(self, recipient):
        return self.filter(recipient=recipient).select_related("user").order_by("-created_at", "-pk")


class Message(models.Model):
    """One text to one number: written in the caller's transaction, sent after commit by a worker."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="sms_messages"
    )
    to = models.CharField("number", max_length=16, help_text="E.164")
    # The circle's model is named by a setting (like AUTH_USER_MODEL), so notifications imports no app above it.
    recipient = models.ForeignKey(
        settings.NOTIFICATIONS_CIRCLE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sms_messages",
        help_text="The person in whose circle this text was sent",
    )
    body = models.CharField(max_length=320)
    encoding = models.CharField(max_length=5)
    segments = models.PositiveSmallIntegerField()
    purpose = models.SlugField(max_length=40, help_text="What the text is for, e.g. shift_offer")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    provider_id = models.CharField(max_length=64, blank=True, help_text="Twilio's message SID once accepted")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True, help_text="Delivered, not delivered or failed")

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="sms_due"),
            models.Index(fields=["recipient", "-created_at"], name="sms_circle"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="sms_status_known"),
            models.CheckConstraint(condition=~Q(idempotency_key=""), name="sms_idempotency_key_set"),
            models.UniqueConstraint(fields=["provider_id"], condition=~Q(provider_id=""), name="sms_one_row_per_provider_id"),
            # Accepted by the provider means we know its id.
            models.CheckConstraint(
                condition=~Q(status__in=[Status.SENT, Status.DELIVERED, Status.UNDELIVERED]) | ~Q(provider_id=""),
                name="sms_sent_has_provider_id",
            ),
            models.CheckConstraint(condition=Q(segments__gte=1) & Q(segments__lte=2), name="sms_at_most_two_segments"),
        ]

    def __str__(self):
        return f"{self.purpose} to {self.masked_to} ({self.status})"

    @property
    def masked_to(self):
        return mask_number(self.to)


def mask_number(number):
    """Enough of a number to tell two apart in a log, not enough to text it."""
    return f"{number[:-6]}***{number[-3:]}" if len(number) > 8 else "***"


class OptOut(models.Model):
    """A number that texted STOP (or that Twilio reports as unsubscribed). Nothing is sent to it until START."""

    class Reason(models.TextChoices):
        REPLIED_STOP = "replied_stop", "Texted STOP"
        PROVIDER = "provider", "Twilio reports the number unsubscribed (21610)"

    number = models.CharField(max_length=16, unique=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "opted-out number"

    def __str__(self):
        return f"{mask_number(self.number)} ({self.get_reason_display()})"


class InboundMessage(models.Model):
    """A text someone sent us and what we answered; Twilio's id makes a redelivered webhook a no-op."""

    provider_id = models.CharField(max_length=64, blank=True)
    from_number = models.CharField(max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="sms_replies"
    )
    body = models.CharField(max_length=1600)
    keyword = models.CharField(max_length=20, blank=True)
    reply = models.CharField(max_length=1600, blank=True)
    received_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider_id"], condition=~Q(provider_id=""), name="sms_inbound_once"),
        ]

    def __str__(self):
        return f"{self.keyword or 'text'} from {mask_number(self.from_number)}"


class SendingPace(models.Model):
    """The next free moment to send from one sender; workers reserve moments under a row lock."""

    sender = models.CharField(max_length=64, unique=True)
    next_at = models.DateTimeField()

    def __str__(self):
        return f"{self.sender}: next at {self.next_at:%H:%M:%S.%f}"
