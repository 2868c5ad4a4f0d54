"""Twilio's side of the conversation: the public URLs we give it and the signature on what it sends.

Both are built from PUBLIC_BASE_URL, never from the incoming request, so a TLS proxy
or load balancer in front (another scheme, host or port) does not break the signature.
"""
from urllib.parse import urlencode

from django.conf import settings
from django.urls import get_script_prefix, reverse
from twilio.request_validator import RequestValidator


def public_url(path):
    """PUBLIC_BASE_URL (which includes any path the app is mounted under) + a path inside the app."""
    prefix = get_script_prefix()
    if path.startswith(prefix):
        path = path[len(prefix) - 1:]
    return settings.PUBLIC_BASE_URL + path


def status_callback_url(message):
    # Our own id rides along so a status report can find a message whose worker died
    # before it could store Twilio's id; that is what stops a second send of it.
    return public_url(reverse("notifications:twilio-status")) + "?" + urlencode({"message": message.pk})


def signature_is_valid(request):
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not settings.TWILIO_AUTH_TOKEN:
        return False
    url = settings.PUBLIC_BASE_URL + request.path_info
    if request.META.get("QUERY_STRING"):
        url += "?" + request.META["QUERY_STRING"]
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, request.POST, signature)
