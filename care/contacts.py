"""care's side of notifications' contact hook (settings.NOTIFICATIONS_CONTACT = "care.contacts.contact_for").

notifications knows people only as users with a mobile number and an SMS consent, and never
imports care; it asks this function, named by the setting. Both live on care's Profile.
See notifications/contacts.py for the contract.
"""
from notifications.contacts import Contact

from .models import Profile


def contact_for(*, user=None, number=None, users=None):
    """How to text `user`, or whose mobile `number` is (at most one: mobiles are unique); None if
    they have no profile. One query. With `users`, {user pk: Contact} for those with a profile,
    also in one query."""
    if users is not None:
        owners = {u.pk: u for u in users}
        profiles = Profile.objects.filter(user_id__in=owners)
        return {p.user_id: Contact(mobile=p.mobile or None, consents=p.sms_consent, user=owners[p.user_id])
                for p in profiles}
    if user is not None:
        profile = Profile.objects.filter(user=user).first()
        owner = user
    else:
        profile = Profile.objects.filter(mobile=number).select_related("user").first()
        owner = profile.user if profile else None
    if profile is None:
        return None
    return Contact(mobile=profile.mobile or None, consents=profile.sms_consent, user=owner)
