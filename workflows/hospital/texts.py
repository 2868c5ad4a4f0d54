"""The texts (and the one email) a hospital agreement sends: fixed templates holding only the
agreement's reference, dates and hours, and a link to its page, which is behind a login and
carries the details. Nothing anyone typed goes in — not the hospital, the ward, who to report
to, notes or reasons — because a ward's name or a nurse's role can say what the person has
("Oncology Ward 7"), and a text sits on a lock screen.
"""
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications import send_sms


def page_link(agreement):
    return settings.PUBLIC_BASE_URL + reverse("workflows:hospital:process_detail", args=[agreement.pk])


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


def days_span(days):
    """"2-6 Dec", "30 Nov-2 Dec", "2 Dec": the first and last of some dates (a text says no more)."""
    first, last = min(days), max(days)
    if first == last:
        return f"{first.day} {first:%b}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}-{last.day} {last:%b}"
    return f"{first.day} {first:%b}-{last.day} {last:%b}"


def _hours(agreement):
    if agreement.present_from and agreement.present_until:
        return f", {agreement.present_from:%H:%M}-{agreement.present_until:%H:%M}"
    return ""


def shifts_for_you(agreement, days=(), home_cancelled=False):
    """The one text each PA gets when the agreement comes into force, whatever the number of shifts
    (and of their home shifts cancelled for it)."""
    home = " Your home shifts in the stay are cancelled." if home_cancelled else ""
    if not days:
        return (f"paworkflow: hospital agreement {agreement.reference} is in place; no hospital shifts for you yet."
                f"{home} Details: {page_link(agreement)}")
    count = f" ({len(days)} shifts)" if len(days) > 2 else ""
    return (f"paworkflow: hospital shifts for you: {days_span(days)}{_hours(agreement)}{count}, agreement "
            f"{agreement.reference}.{home} Where to go and who to report to: {page_link(agreement)}")


def rota_link():
    return settings.PUBLIC_BASE_URL + reverse("rota:mine")


def home_shifts_cancelled(agreement, days=()):
    """For a PA not named in the agreement whose home shifts in the stay were cancelled: once."""
    span = days_span(days) if days else "the coming days"
    return f"paworkflow: your shifts on {span} are cancelled. Your shifts: {rota_link()}"


def home_shifts_back(agreement, days=()):
    span = days_span(days) if days else "the coming days"
    return f"paworkflow: your shifts on {span} are back on the rota. Your shifts: {rota_link()}"


def suspended(agreement):
    return (f"paworkflow: the ward has suspended hospital agreement {agreement.reference}. Do not go to the ward "
            f"until you hear it is resumed. {page_link(agreement)}")


def suspended_to_family(agreement):
    return (f"paworkflow: the ward has suspended hospital agreement {agreement.reference}; the PAs are told not to "
            f"go until it is resumed. {page_link(agreement)}")


def resumed(agreement):
    return f"paworkflow: hospital agreement {agreement.reference} is resumed; the hospital shifts stand. {page_link(agreement)}"


def discharge(agreement, day=None, shifts_cancelled=False):
    """One text per PA at discharge (or when a discharge is planned), never one per shift."""
    day = day or agreement.discharged_on or agreement.expected_discharge
    verb = "ends" if day > timezone.localdate() else "ended"
    cancelled = "; your hospital shifts after that day are cancelled" if shifts_cancelled else ""
    return (f"paworkflow: hospital agreement {agreement.reference} {verb} on {day:%d %b} (discharge){cancelled}. "
            f"Details: {page_link(agreement)}")


def discharge_due(agreement):
    return (f"paworkflow: the expected discharge date ({agreement.expected_discharge:%d %b}) of hospital agreement "
            f"{agreement.reference} has passed. Record the discharge or a new date: {page_link(agreement)}")


# Every body built from an agreement alone (the ward's link has its own, below).
BODIES = (review_waiting, ward_answered, shifts_for_you, suspended, suspended_to_family, resumed, discharge,
          discharge_due)


def ward_link_body(agreement, link, url):
    until = timezone.localtime(link.expires_at)
    return (f"paworkflow: please review PA-in-hospital agreement {agreement.reference}. "
            f"This link works once, until {until:%d %b %H:%M}: {url}")


def ward_in_force_body(agreement, link, url):
    return (f"paworkflow: PA-in-hospital agreement {agreement.reference} is in place. To suspend it, resume it or "
            f"record the discharge (this link works once; you get a new one after each change): {url}")


def link_to_ward(agreement, link, url):
    """The ward's link goes by text when the contact gave a mobile, otherwise by email after commit."""
    body = (ward_in_force_body if link.purpose == link.Purpose.IN_FORCE else ward_link_body)(agreement, link, url)
    if agreement.ward_contact_mobile:
        return send_sms(number=agreement.ward_contact_mobile, body=body, purpose="hospital-link",
                        idempotency_key=f"hospital-{agreement.pk}-link-{link.pk}", recipient=agreement.recipient)
    to = agreement.ward_contact_email
    transaction.on_commit(lambda: send_mail(f"PA-in-hospital agreement {agreement.reference}", body, None, [to]),
                          robust=True)
    return None
