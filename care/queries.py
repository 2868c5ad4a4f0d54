"""Reads with intent about circles: whose contact is this, who is in the circle, a coordinator's caseload."""
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.utils import timezone

from .models import Invitation, Membership, PersonalHealthBudget, Role


def account_for_contact(*, mobile="", email=""):
    """The one active account reached at this mobile (its profile) or email address, or None.

    Raises ValidationError when the two belong to different people, because then
    no single account can be the one invited.
    """
    User = get_user_model()
    by_mobile = User.objects.filter(profile__mobile=mobile).first() if mobile else None
    by_email = None
    if email:
        matches = list(User.objects.filter(email__iexact=email)[:2])
        # Email addresses are not unique in Django's user table: only an unambiguous match counts.
        by_email = matches[0] if len(matches) == 1 else None
    if by_mobile and by_email and by_mobile.pk != by_email.pk:
        raise ValidationError("This mobile number and this email address belong to two different people.")
    return by_mobile or by_email


def member_with_contact(recipient, *, mobile="", email=""):
    """The active membership in this circle of someone reached at this mobile or email, or None."""
    match = Q()
    if mobile:
        match |= Q(user__profile__mobile=mobile)
    if email:
        match |= Q(user__email__iexact=email)
    if not match:
        return None
    return recipient.memberships.active().filter(match).select_related("user").first()


def circle_members(recipient):
    """Who is in the circle today, with what we need to show and reach them."""
    return (
        recipient.memberships.active()
        .select_related("user", "user__profile")
        .order_by("role", "user__first_name", "user__last_name")
    )


def ended_members(recipient, limit=20):
    """Memberships that have ended or are due to end, newest first."""
    return (
        recipient.memberships.filter(ended_on__isnull=False)
        .select_related("user", "ended_by")
        .order_by("-ended_on", "-pk")[:limit]
    )


def circle_invitations(recipient, limit=30):
    """Invitations not yet answered first, then the rest, newest first."""
    return (
        recipient.invitations.select_related("created_by", "accepted_by")
        .order_by(
            Case(When(status=Invitation.Status.PENDING, then=Value(0)), default=Value(1)),
            "-created_at",
        )[:limit]
    )


def search_families(recipients, search=""):
    """These recipients whose name contains `search`, or whose NHS number starts with it (spaces ignored)."""
    search = (search or "").strip()
    if search:
        digits = re.sub(r"[\s-]", "", search)
        query = Q(display_name__icontains=search)
        if digits.isdigit():
            query |= Q(nhs_number__startswith=digits)
        recipients = recipients.filter(query)
    return recipients


def caseload(recipients, search=""):
    """A coordinator's families (a queryset from permissions.recipients_for), searchable by name or NHS number.

    Each row carries `budget_holders` and `current_budgets` (prefetched) and
    `pending_invitations` (annotated), so a page of any length costs the same queries.
    """
    recipients = search_families(recipients, search)
    now = timezone.now()
    today = timezone.localdate()
    return (
        recipients.annotate(
            pending_invitations=Count(
                "invitations",
                filter=Q(invitations__status=Invitation.Status.PENDING, invitations__expires_at__gt=now),
            )
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.active().filter(role=Role.BUDGET_HOLDER).select_related("user"),
                to_attr="budget_holders",
            ),
            Prefetch(
                "budgets",
                queryset=PersonalHealthBudget.objects.filter(period_start__lte=today, period_end__gt=today),
                to_attr="current_budgets",
            ),
        )
        .order_by("display_name", "pk")
    )


def budget_holders(recipient):
    """The person's budget holders with an active account (and their profile, for texting them)."""
    ids = Membership.objects.active().filter(recipient=recipient, role=Role.BUDGET_HOLDER).values("user")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).select_related("profile") \
        .order_by("first_name", "pk")
