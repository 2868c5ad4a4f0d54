"""SMS to the people around the care recipient: an outbox, backends, Twilio webhooks, replies.

Other apps call `notifications.send_sms(...)` (or `send_sms_many([...])` for a batch) and register reply handlers with
`notifications.replies.register(...)`; this app never imports theirs.
"""


def send_sms(**kwargs):
    """Queue one text in the caller's transaction; it is sent after commit. See services.send_sms."""
    from .services import send_sms as _send_sms

    return _send_sms(**kwargs)


def send_sms_many(texts):
    """Queue many texts (send_sms keyword dicts) in a fixed number of queries. See services.send_sms_many."""
    from .services import send_sms_many as _send_sms_many

    return _send_sms_many(texts)
