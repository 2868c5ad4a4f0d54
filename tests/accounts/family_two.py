"""Family two's objects for the URL arguments accounts adds (see tests/care/test_isolation.py).

Django's password reset confirm gets a valid link for family two's budget holder, so the walk
proves that a working link shows nothing of family two to someone signed in as family one.
"""
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def _other_parent():
    return get_user_model().objects.get(username="other-parent")


OBJECTS = {
    "uidb64": lambda cast: urlsafe_base64_encode(force_bytes(_other_parent().pk)),
    "token": lambda cast: default_token_generator.make_token(_other_parent()),
}
