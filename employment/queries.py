"""Reads with intent: each PA's terms in force, and the leave page's lists."""
from django.contrib.auth import get_user_model

from care.models import Membership, Role

from .models import Absence, Terms


def family_pas(recipient):
    """PAs in the circle today."""
    ids = Membership.objects.active().filter(recipient=recipient, role=Role.PA).values("user")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name", "pk")


def terms_on(versions, day):
    """From one PA's versions in effective order (Terms.objects.for_family), the one in force on `day`."""
    found = None
    for terms in versions:
        if terms.effective_from <= day:
            found = terms
    return found


def terms_history(recipient):
    """Every version of every PA's terms for the terms page, newest first (PA and author joined)."""
    return Terms.objects.filter(recipient=recipient).select_related("pa", "set_by").order_by(
        "pa__first_name", "pa_id", "-effective_from", "-pk")


def absences(recipient, pa=None):
    """The leave page's list: everyone's for the employer and coordinator, one PA's for that PA."""
    found = Absence.objects.filter(recipient=recipient).select_related("pa", "decided_by", "requested_by")
    return found.filter(pa=pa) if pa is not None else found
