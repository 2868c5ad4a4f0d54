"""How long a sign-in and a second factor last. Families keep Django's two-week session. People
who reach families' records through their job (clinicians, coordinators, ward managers, Django
staff) are signed out after STAFF_IDLE_TIMEOUT_MINUTES without a request, and everyone's
second factor lapses SECOND_FACTOR_MAX_AGE_HOURS after it was entered.

Everything is kept in the session, written when someone signs in or enters a code, so checking
a request costs no query; the time of their last request is written at most once a minute.
"""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from care.permissions import works_with_families

SIGNED_IN_AT = "accounts.signed_in_at"
SECOND_FACTOR_AT = "accounts.second_factor_at"
LAST_SEEN = "accounts.last_seen"
IDLE_LIMITED = "accounts.idle_limited"
# Touching the session on every request would write it on every request.
TOUCH_EVERY_SECONDS = 60


def _now():
    return timezone.now().timestamp()


@receiver(user_logged_in, dispatch_uid="accounts.sessions.signed_in")
def signed_in(sender, request, user, **kwargs):
    # Whether the idle timeout applies is decided at sign-in: a membership begun or ended during
    # a session takes effect at the next one (an ended one removes access at once anyway).
    now = _now()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[IDLE_LIMITED] = works_with_families(user)


def second_factor_entered(request):
    """Call after django_otp.login(): the code was entered now."""
    request.session[SECOND_FACTOR_AT] = _now()


def second_factor_is_fresh(session):
    # A session verified without our time (a device set at sign-in) counts from the sign-in; one with
    # neither (begun before this rule) does not count at all.
    at = session.get(SECOND_FACTOR_AT) or session.get(SIGNED_IN_AT)
    return at is not None and _now() - at <= settings.SECOND_FACTOR_MAX_AGE_HOURS * 3600


class SessionLimitsMiddleware:
    """After OTPMiddleware and MessageMiddleware. It reads only the session, never request.user
    (that would cost a query on every request), except to sign someone out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if DEVICE_ID_SESSION_KEY in session and not second_factor_is_fresh(session):
            # Before request.user is first read, so django_otp finds no device for this request.
            del session[DEVICE_ID_SESSION_KEY]
            session.pop(SECOND_FACTOR_AT, None)
        if session.get(IDLE_LIMITED):
            now, last = _now(), session.get(LAST_SEEN, 0)
            if now - last > settings.STAFF_IDLE_TIMEOUT_MINUTES * 60:
                logout(request)
                messages.info(request, f"You were signed out after {settings.STAFF_IDLE_TIMEOUT_MINUTES} minutes "
                                       "without activity. Sign in again to carry on.")
            elif now - last >= TOUCH_EVERY_SECONDS:
                session[LAST_SEEN] = now
        return self.get_response(request)
