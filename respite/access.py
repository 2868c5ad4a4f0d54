"""Who may see and do what with respite accounts, composed from care.permissions codenames.

The carer sees their own account (use_respite); the person's budget holder (use_respite and
view_budget) and coordinator (coordinate) see every account for that person. Anyone else,
inside the circle or not, gets a 404: an account is the carer's own business. Inside, the
wrong role gets a 403 (`require`).
"""
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from care.permissions import can, recipients_for

from .models import CarerAssessment, RespiteAccount, RespiteBooking


class Rights:
    """One user's respite rights for one person; each codename is asked of care.permissions once."""

    def __init__(self, user, recipient):
        self.user, self.recipient = user, recipient
        self._answers = {}

    def has(self, codename):
        if codename not in self._answers:
            self._answers[codename] = can(self.user, codename, self.recipient)
        return self._answers[codename]

    @property
    def is_budget_holder(self):
        return self.has("use_respite") and self.has("view_budget")

    @property
    def is_coordinator(self):
        return self.has("coordinate")

    @property
    def sees_all_accounts(self):
        return self.is_coordinator or self.is_budget_holder

    def holds(self, account):
        return account.carer_id == self.user.pk and self.has("use_respite")

    def sees(self, account):
        return self.holds(account) or self.sees_all_accounts

    def sees_assessment(self, assessment):
        """A carer's assessment is the carer's own: they, the budget holder and the coordinator see it."""
        return (assessment.carer_id == self.user.pk and self.has("use_respite")) or self.sees_all_accounts

    def may_book(self, account):
        return self.holds(account)

    def may_cancel(self, account):
        return self.holds(account) or self.is_budget_holder


def rights(user, recipient):
    return Rights(user, recipient)


def _budget_held(user):
    """Recipients for whom this user is the budget holder (as a subquery)."""
    return recipients_for(user, "view_budget").filter(pk__in=recipients_for(user, "use_respite").values("pk")).values("pk")


def visible_accounts(user):
    """Every account this user may see, in one query (subqueries over their guardian permissions)."""
    return RespiteAccount.objects.filter(
        Q(carer=user, recipient__in=recipients_for(user, "use_respite").values("pk"))
        | Q(recipient__in=recipients_for(user, "coordinate").values("pk"))
        | Q(recipient__in=_budget_held(user))
    )


def visible_assessments(user, recipient):
    """The carers' assessments for this person this user may see (all, or only their own)."""
    assessments = CarerAssessment.objects.filter(recipient=recipient)
    allowed = rights(user, recipient)
    if allowed.sees_all_accounts:
        return assessments
    if allowed.has("use_respite"):
        return assessments.filter(carer=user)
    return assessments.none()


def get_assessment_or_404(user, assessment_pk):
    """(assessment, rights): 404 unless the user is the carer, the budget holder or the coordinator."""
    assessment = get_object_or_404(
        CarerAssessment.objects.select_related("recipient", "carer", "recorded_by", "supersedes", "superseded_by"),
        pk=assessment_pk)
    allowed = rights(user, assessment.recipient)
    if not allowed.sees_assessment(assessment):
        raise Http404("No such assessment.")
    return assessment, allowed


def approvable_bookings(user):
    """Bookings waiting for this user as the person's budget holder."""
    return RespiteBooking.objects.awaiting_approval().filter(account__recipient__in=_budget_held(user))


def get_account_or_404(user, account_pk):
    """(account, rights): 404 unless the user may see this account."""
    account = get_object_or_404(RespiteAccount.objects.select_related("recipient", "carer", "assessment"), pk=account_pk)
    allowed = rights(user, account.recipient)
    if not allowed.sees(account):
        raise Http404("No such account.")
    return account, allowed


def get_booking_or_404(user, booking_pk):
    """(booking, rights): 404 unless the user may see the booking's account."""
    booking = get_object_or_404(
        RespiteBooking.objects.select_related("account__recipient", "account__carer"), pk=booking_pk
    )
    allowed = rights(user, booking.account.recipient)
    if not allowed.sees(booking.account):
        raise Http404("No such booking.")
    return booking, allowed


def require(allowed, message="You may not do this."):
    """403 for someone who may see the account but not do this to it."""
    if not allowed:
        raise PermissionDenied(message)
