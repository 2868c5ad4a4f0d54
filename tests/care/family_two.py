"""Family two's objects for the URL arguments care adds (see tests/care/test_isolation.py).

Token arguments get a working family-two token, so the walk proves that a valid link shows
nothing of family two to someone signed in as a family-one person.
"""
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from care.models import Invitation, Membership


def _invitation(cast):
    return Invitation.objects.get(recipient=cast["recipient"], status=Invitation.Status.PENDING)


def _fresh_invitation_token(cast):
    # Only a hash is stored, so give family two's pending invitation a new link and use it.
    invitation = _invitation(cast)
    token = invitation.new_token()
    invitation.save(update_fields=["token_hash"])
    return token


def _other_parent():
    return get_user_model().objects.get(username="other-parent")


OBJECTS = {
    "invitation_pk": lambda cast: _invitation(cast).pk,
    "membership_pk": lambda cast: Membership.objects.filter(recipient=cast["recipient"]).order_by("pk").first().pk,
    "invitation_token": _fresh_invitation_token,
    # Django's password reset confirm: a valid link for family two's budget holder.
    "uidb64": lambda cast: urlsafe_base64_encode(force_bytes(_other_parent().pk)),
    "token": lambda cast: default_token_generator.make_token(_other_parent()),
}
