"""Two-factor authentication (TOTP, django-otp) for people who make clinical or funding decisions.

Clinicians must have verified a second factor in the last 12 hours (SECOND_FACTOR_MAX_AGE_HOURS) before they sign off, renew, suspend,
revoke or reinstate a delegated task, and coordinators before they grant or adjust respite
hours: `ask_for_second_factor` (after the permission checks) and `second_factor_required` guard
those views. Services driven without HTTP (seeding, benchmarks) are not sessions and are not asked.
The page where the code is entered is `accounts.views.two_factor`.
"""
from functools import wraps
from urllib.parse import urlsplit, urlunsplit

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from care.models import Membership, Role

from .sessions import second_factor_is_fresh


def has_second_factor(request):
    """This session entered an authenticator code within SECOND_FACTOR_MAX_AGE_HOURS (accounts/sessions.py)."""
    verified = bool(getattr(request.user, "is_verified", lambda: False)())
    return verified and second_factor_is_fresh(request.session)


PURPOSES = {
    Role.CLINICIAN: "signing off, renewing, suspending or revoking a PA's delegated healthcare tasks",
    Role.COORDINATOR: "granting or adjusting carers' respite hours",
}


def second_factor_purpose(user):
    """One sentence saying what the second step protects for this person's roles (never another role's)."""
    roles = set(Membership.objects.active().filter(user=user).values_list("role", flat=True))
    what = [PURPOSES[role] for role in (Role.CLINICIAN, Role.COORDINATOR) if role in roles]
    if not what:
        return "Some decisions need a second step after your password."
    return f"{' and '.join(what).capitalize()} need a second step after your password."


def ask_for_second_factor(request):
    """None when this session has a verified second factor; otherwise the redirect to enter it.

    Call it after the object-permission checks, so people outside the circle still get 404. A GET
    comes back to the same page afterwards. A POST is refused before anything is saved (pages
    hide these forms until the code is entered, so nobody loses typed work) and goes back to
    the page the form was on.
    """
    if has_second_factor(request):
        return None
    if request.method == "GET":
        back = request.get_full_path()
    else:
        referer = urlsplit(request.META.get("HTTP_REFERER", ""))
        same_site = url_has_allowed_host_and_scheme(referer.geturl(), allowed_hosts={request.get_host()})
        back = urlunsplit(("", "", referer.path, referer.query, "")) if same_site and referer.path else ""
        messages.warning(request, "Nothing was saved: enter your authenticator code, then try again.")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("home")
    messages.info(request, f"{second_factor_purpose(request.user)} Enter your authenticator code.")
    return redirect(f"{reverse('two-factor')}?{urlencode({'next': back})}")


def second_factor_required(view):
    """For views whose permission checks have already run (Viewflow's step wrapper runs first)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return ask_for_second_factor(request) or view(request, *args, **kwargs)

    return wrapped


# A mistyped or stale code is common (the app rolls over every 30 s): the first few wrong codes
# cost nothing; after that django-otp's doubling wait applies (OTP_TOTP_THROTTLE_FACTOR seconds,
# doubling with each further failure), which still makes guessing six digits hopeless.
FREE_TRIES = 3


def verify_code(device, code):
    """Check an authenticator code: "ok", "wrong", or "wait" (too many wrong codes just now)."""
    if device.throttling_failure_count < FREE_TRIES:
        # django-otp waits after every failure; forget the last one's time, not its count
        device.throttling_failure_timestamp = None
    elif not device.verify_is_allowed()[0]:
        return "wait"
    return "ok" if device.verify_token(code) else "wrong"
