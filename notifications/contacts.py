"""How notifications reaches a person: the one hook to the app that knows people.

notifications knows people only as users with a mobile number and an SMS consent. The app
that keeps those details (care, in this project) answers through a function named by
`settings.NOTIFICATIONS_CONTACT`, loaded with `import_string` like `SMS_BACKEND`:

    def contact_for(*, user=None, number=None) -> Contact | None

It is called with one of the two: `user` (how do we text this user?) or `number`, an E.164
mobile (whose number is this?). It returns None when it knows nothing of that user or
number, and costs at most one query. notifications never imports the app behind it.

A hook that also takes `users=[...]` answers for many users at once, {user pk: Contact} (those
it knows nothing of left out), in one query; `send_sms_many` uses it. A hook without it is
asked once per user.
"""
import inspect
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Contact:
    mobile: str | None  # E.164; None when they have given no number
    consents: bool  # agreed to receive texts
    user: Any = None  # the user these details belong to (the one whose number was looked up)


def contact_hook():
    return import_string(settings.NOTIFICATIONS_CONTACT)


def contact_for(*, user=None, number=None):
    """The Contact for `user`, else for whoever has the mobile `number`; None if there is none."""
    if user is not None:
        return contact_hook()(user=user)
    if number:
        return contact_hook()(number=number)
    return None


def contacts_for(users):
    """{user pk: Contact} for many users: one call of the hook when it takes `users=`, else one per user."""
    hook = contact_hook()
    users = list({u.pk: u for u in users}.values())
    if not users:
        return {}
    if "users" in inspect.signature(hook).parameters:
        return hook(users=users)
    return {u.pk: contact for u in users if (contact := hook(user=u)) is not None}
