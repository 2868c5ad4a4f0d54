"""The texts (and the one email) a hospital agreement sends: a reference, the ward and a link,
never a diagnosis or a task. The ward's own words (ward name, who to report to) go in only when
they pass the SMS clinical-word check; otherwise the text falls back to the reference and link.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications import send_sms
from notifications.sms import validate_body


def page_link(agreement):
    return settings.PUBLIC_BASE_URL + reverse("workflows:hospital:process_detail", args=[agreement.pk])


def _safe(body, fallback):
    try:
        validate_body(body)
    except ValidationError:
        return fallback
    return body


def to_user(agreement, user, key, body):
    if user is None:
        return None
    return send_sms(
        user=user,
        body=body,
        purpose=f"hospital-{key.split('-')[0]}",
        idempotency_key=f"hospital-{agreement.pk}-{key}-{user.pk}",
        recipient=agreement.recipient,
    )


def review_waiting(agreement):
    return f"paworkflow: a PA-in-hospital agreement ({agreement.reference}) is waiting for your review. {page_link(agreement)}"


def ward_answered(agreement):
    return f"paworkflow: the ward has answered hospital agreement {agreement.reference}. {page_link(agreement)}"


def arrival(agreement):
    base = f"paworkflow: hospital agreement {agreement.reference} is in place."
    hours = f" {agreement.present_from:%H:%M}-{agreement.present_until:%H:%M}." if agreement.present_from else ""
    full = (f"{base} Go to {agreement.ward}, {agreement.hospital}; on arrival report to {agreement.report_to} "
            f"and wear your ID badge.{hours} Your shifts are on your rota: {page_link(agreement)}")
    return _safe(full, f"{base} Where to go and who to report to: {page_link(agreement)}")


def suspended(agreement):
    return (f"paworkflow: the ward has suspended hospital agreement {agreement.reference}. Do not go to the ward "
            f"until you hear it is resumed. {page_link(agreement)}")


def resumed(agreement):
    return f"paworkflow: hospital agreement {agreement.reference} is resumed; your shifts stand. {page_link(agreement)}"


def ended(agreement):
    return f"paworkflow: hospital agreement {agreement.reference} has ended. {page_link(agreement)}"


def discharge_due(agreement):
    return (f"paworkflow: the expected discharge date of hospital agreement {agreement.reference} has passed. "
            f"Record the discharge or a new date: {page_link(agreement)}")


def link_to_ward(agreement, link, url):
    """The review link goes by text when the contact gave a mobile, otherwise by email after commit."""
    until = timezone.localtime(link.expires_at)
    tail = f"This link works once, until {until:%d %b %H:%M}: {url}"
    body = _safe(f"paworkflow: please review PA-in-hospital agreement {agreement.reference} for {agreement.ward}. {tail}",
                 f"paworkflow: please review PA-in-hospital agreement {agreement.reference}. {tail}")
    if agreement.ward_contact_mobile:
        return send_sms(number=agreement.ward_contact_mobile, body=body, purpose="hospital-link",
                        idempotency_key=f"hospital-{agreement.pk}-link-{link.pk}", recipient=agreement.recipient)
    to = agreement.ward_contact_email
    transaction.on_commit(lambda: send_mail(f"PA-in-hospital agreement {agreement.reference}", body, None, [to]),
                          robust=True)
    return None
