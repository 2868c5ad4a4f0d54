"""SMS to the people around the care recipient: an outbox, backends, Twilio webhooks, replies.

Other apps call `notifications.send_sms(...)` and register reply handlers with
`notifications.replies.register(...)`; this app never imports theirs.
"""


def send_sms(**kwargs):
    """Queue one text in the caller's transaction; it is sent after commit. See services.send_sms."""
    from .services import send_sms as _send_sms

    return _send_sms(**kwargs)
