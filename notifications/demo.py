"""A few texts already sent to the demo circles, so the coordinator's list has something to show. Idempotent."""
import datetime

from django.conf import settings
from django.utils import timezone

from . import sms
from .contacts import contact_for
from .models import Message, Status

SENT_TEXTS = [
    # (family, username, purpose, body, status, days ago)
    ("family_one", "pa1", "shift_offer", "paworkflow: shift 4821 on Tue 08:00-14:00 for Alfie is yours if you want it. "
     "Reply YES 4821 or NO 4821. {base}/rota/", Status.DELIVERED, 2),
    ("family_one", "pa2", "shift_change", "paworkflow: shift 4817 now starts at 09:00, not 08:00. Details: {base}/rota/",
     Status.SENT, 1),
    ("family_one", "pa3", "training_reminder", "paworkflow: a training review is due by 30 Jun (ref T-212). "
     "Details: {base}/competencies/", Status.UNDELIVERED, 3),
    ("family_two", "other-pa", "shift_offer", "paworkflow: shift 5102 on Sat 10:00-16:00 for Bea is yours if you want "
     "it. Reply YES 5102 or NO 5102. {base}/rota/", Status.DELIVERED, 1),
]


def seed(cast):
    now = timezone.now()
    for n, (family, username, purpose, body, status, days_ago) in enumerate(SENT_TEXTS, start=1):
        user = cast["users"][username]
        body = sms.clean(body.format(base=settings.PUBLIC_BASE_URL))
        shape = sms.validate_body(body)
        at = now - datetime.timedelta(days=days_ago)
        Message.objects.get_or_create(
            idempotency_key=f"demo:{family}:{n}",
            defaults=dict(
                user=user,
                to=contact_for(user=user).mobile,
                recipient=cast[family],
                body=body,
                encoding=shape.encoding,
                segments=shape.segments,
                purpose=purpose,
                status=status,
                provider_id=f"SMdemo{n:026d}",
                attempts=1,
                last_error="Twilio reported error 30003" if status == Status.UNDELIVERED else "",
                created_at=at,
                next_attempt_at=at,
                claimed_at=at,
                sent_at=at,
                finished_at=at + datetime.timedelta(seconds=20) if status != Status.SENT else None,
            ),
        )
