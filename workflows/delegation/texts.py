"""The texts a delegation sends: fixed templates holding a reference, a date and a link to the
process page (behind a login). Never the task, the person's condition, or anything typed: a text
sits on a lock screen, and "buccal midazolam" says what the person has."""
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

import notifications
from care.queries import budget_holders


def page_link(process):
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("workflows:delegation:process_detail", args=[process.pk])


def _text(process, user, purpose, body, once_per=""):
    """One text per process, purpose and person (and `once_per`: a sign-off's date, a handover),
    as send_sms's keywords."""
    return {"user": user, "body": f"paworkflow: {body} {page_link(process)}", "purpose": f"delegation-{purpose}",
            "idempotency_key": f"delegation-{process.pk}-{purpose}-{once_per}-{user.pk}", "recipient": process.recipient}


def _send(process, user, purpose, body, once_per=""):
    if user is None:
        return None
    return notifications.send_sms(**_text(process, user, purpose, body, once_per))


def asked_to_accept(process):
    return _send(process, process.pa, "accept", f"you are asked to accept delegation {process.reference}.")


def signed_off(process, until):
    """The PA hears the delegation is signed off, and each budget holder that it waits for their
    agreement as the employer: one batch of texts (send_sms_many), not a round of queries each."""
    return notifications.send_sms_many([
        _text(process, process.pa, "signed-off",
              f"delegation {process.reference} is signed off until {timezone.localtime(until):%d %b %Y}. Details:",
              once_per=f"{until:%Y%m%d%H%M}"),
        *(_text(process, holder, "agreement-employer",
                f"delegation {process.reference} is signed off: please read and agree it as the employer.")
          for holder in budget_holders(process.recipient)),
    ])


def agreement_for_pa(process):
    return _send(process, process.pa, "agreement-pa",
                 f"the agreement for delegation {process.reference} is ready: please read and acknowledge it.")


def review_open(process, due):
    return _send(process, process.practitioner, "review",
                 f"delegation {process.reference} is open for review by {timezone.localtime(due):%d %b %Y}.",
                 once_per=f"{due:%Y%m%d%H%M}")


def now_accountable(process, handover):
    return _send(process, process.practitioner, "handover",
                 f"you are now the accountable practitioner for delegation {process.reference}.", once_per=handover.pk)


def needs_practitioner(process, coordinator):
    return _send(process, coordinator, "orphaned",
                 f"delegation {process.reference} needs a new accountable practitioner.", once_per=f"{timezone.now():%Y%m%d%H%M%S}")


def concern_raised(concern, user):
    link = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("workflows:concern", args=[concern.pk])
    return notifications.send_sms(
        user=user, body=f"paworkflow: a PA raised concern {concern.reference} from a shift. Please respond: {link}",
        purpose="delegation-concern", idempotency_key=f"concern-{concern.pk}-{user.pk}", recipient=concern.recipient,
    )


def record_missing(shift):
    """One text per shift: the PA's record of care given is missing (the time only, and a link)."""
    link = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("workflows:shift_care", args=[shift.pk])
    return notifications.send_sms(
        user=shift.pa, recipient=shift.recipient, purpose="delegation-record-missing",
        body=f"paworkflow: no record yet of the care given on your shift of "
             f"{timezone.localtime(shift.start):%a %d %b %H:%M}. Please record it: {link}",
        idempotency_key=f"care-missing-{shift.pk}",
    )
