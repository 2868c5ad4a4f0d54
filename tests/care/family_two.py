"""Family two's objects for the URL arguments care adds (see tests/care/test_isolation.py).

Token arguments get a working family-two token, so the walk proves that a valid link shows
nothing of family two to someone signed in as a family-one person.
"""
from care.models import Invitation, Membership


def _invitation(cast):
    return Invitation.objects.get(recipient=cast["recipient"], status=Invitation.Status.PENDING)


def _fresh_invitation_token(cast):
    # Only a hash is stored, so give family two's pending invitation a new link and use it.
    invitation = _invitation(cast)
    token = invitation.new_token()
    invitation.save(update_fields=["token_hash"])
    return token


OBJECTS = {
    "invitation_pk": lambda cast: _invitation(cast).pk,
    "membership_pk": lambda cast: Membership.objects.filter(recipient=cast["recipient"]).order_by("pk").first().pk,
    "invitation_token": _fresh_invitation_token,
}
