"""How an agreement reaches the ward: a text to the ward manager in the circle, or the ward
contact's signed, single-use, expiring link to review it; once it is in force, a fresh
single-use link to it (suspend, resume, record the discharge) by the same channel, renewed after
each use for as long as the agreement is in force.

The raw token exists only in the text or email sent; the database keeps its SHA-256 hash. A
link is claimed by a conditional update when the ward submits its answer (not when the page is
opened: mail scanners open links), so a double tap or a forwarded link counts once.
"""
import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import permissions, texts
from .models import AgreementEvent, State, WardLink
from .records import audit

LINK_VALID = datetime.timedelta(days=3)
# The in-force link lasts as long as the agreement (it stops working at discharge); a stay is at
# most a year (services.LONGEST_STAY).
IN_FORCE_LINK_VALID = datetime.timedelta(days=366)


class LinkUnusable(Exception):
    def __init__(self, state):
        super().__init__(state)
        self.state = state


def send_for_review(activation):
    """Function node: tell the named ward manager, or send the contact a single-use link."""
    agreement = activation.process
    if agreement.ward_manager_id:
        texts.to_user(agreement, agreement.ward_manager, "review", texts.review_waiting(agreement))
    else:
        issue_link(agreement=agreement, actor=agreement.requested_by)


def issue_link(*, agreement, actor, purpose=WardLink.Purpose.REVIEW, now=None):
    """A new link for the ward contact (earlier unused ones stop working). Returns the raw token,
    which exists only in the text or email sent; the database keeps its hash."""
    now = now or timezone.now()
    in_force = purpose == WardLink.Purpose.IN_FORCE
    with transaction.atomic():
        agreement.ward_links.filter(used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
        token = WardLink.new_token()
        link = WardLink.objects.create(
            agreement=agreement, token_hash=WardLink.hash_token(token), created_by=actor, created_at=now,
            expires_at=now + (IN_FORCE_LINK_VALID if in_force else LINK_VALID), purpose=purpose,
            sent_to=agreement.ward_contact_mobile or agreement.ward_contact_email,
        )
        url = settings.PUBLIC_BASE_URL + reverse("workflows:hospital:ward_link", args=[token])
        texts.link_to_ward(agreement, link, url)
        until = "" if in_force else f", valid until {timezone.localtime(link.expires_at):%d %b %H:%M}"
        AgreementEvent.objects.create(agreement=agreement, kind=AgreementEvent.Kind.LINK_SENT, actor=actor,
                                      reason=f"{link.get_purpose_display()}: to {link.sent_to}{until}")
        audit(agreement, actor, "link_sent", f"{'in-force' if in_force else 'review'} link sent to the ward contact "
                                             f"({link.sent_to})")
    return token


@transaction.atomic
def resend_link(*, agreement, actor):
    if not permissions.may_start(actor, agreement.recipient):
        raise PermissionDenied("Only the family can send the ward a new link.")
    if agreement.state != State.WARD_REVIEW or agreement.ward_manager_id:
        raise ValidationError("This agreement is not waiting for a review by link.")
    return issue_link(agreement=agreement, actor=actor)


def link_for(token, now=None):
    """The usable link for a token; LinkUnusable says why not ("unknown", "expired", "used",
    "revoked", "ended": the agreement it opens is no longer in force)."""
    link = WardLink.objects.for_token(token).select_related("agreement__recipient").first()
    if link is None:
        raise LinkUnusable("unknown")
    state = link.state(now)
    if state != "usable":
        raise LinkUnusable(state)
    if link.purpose == WardLink.Purpose.REVIEW and link.agreement.state != State.WARD_REVIEW:
        raise LinkUnusable("used")
    if link.purpose == WardLink.Purpose.IN_FORCE and not link.agreement.in_force:
        raise LinkUnusable("ended")
    return link


def claim(token, now):
    """Claim the usable link for a token with a conditional update, so two submissions (a double
    tap, a forwarded link) cannot both count. Call it in the transaction of the ward's answer: a
    refused answer rolls the claim back with everything else, and the link still works."""
    link = link_for(token, now)
    claimed = WardLink.objects.filter(
        pk=link.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now,
    ).update(used_at=now)
    if claimed != 1:
        raise LinkUnusable("used")
    return link
