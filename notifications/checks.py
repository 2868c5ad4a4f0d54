"""System checks: a Twilio backend without credentials, a sender or a public address fails loudly at start."""
from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.module_loading import import_string

from .backends import BACKENDS


@register()
def check_sms_settings(app_configs, **kwargs):
    problems = []
    name = settings.SMS_BACKEND
    try:
        import_string(BACKENDS.get(name, name))
    except ImportError:
        return [Error(f"SMS_BACKEND={name!r} is neither twilio, console, locmem nor an importable class.",
                      id="notifications.E001")]
    if name != "twilio":
        return problems
    if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
        problems.append(Error("SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.", id="notifications.E002"))
    if not (settings.TWILIO_MESSAGING_SERVICE_SID or settings.TWILIO_FROM_NUMBER):
        problems.append(Error("SMS_BACKEND=twilio needs TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER.",
                              id="notifications.E003"))
    if not settings.PUBLIC_BASE_URL.startswith("https://"):
        problems.append(Warning("Twilio cannot reach PUBLIC_BASE_URL unless it is a public https address: "
                                "status reports and replies will not arrive.", id="notifications.W001"))
    return problems


@register()
def check_contact_hook(app_configs, **kwargs):
    """NOTIFICATIONS_CONTACT must name the function that says how to text a user (see contacts.py)."""
    try:
        hook = import_string(settings.NOTIFICATIONS_CONTACT)
    except ImportError:
        hook = None
    if not callable(hook):
        return [Error(f"NOTIFICATIONS_CONTACT={settings.NOTIFICATIONS_CONTACT!r} is not an importable function "
                      "contact_for(*, user=None, number=None).", id="notifications.E004")]
    return []
