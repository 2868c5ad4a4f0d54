"""Who may see and do what with a hospital agreement, answered by care.permissions.

Family, coordinators and clinicians of the person see every agreement; a ward manager only the
agreements sent to them, a PA only the agreements naming them. Anyone else, in the circle or
not, gets a 404 for an agreement they may not see.
"""
from django.db.models import Q

from care.models import CareRecipient
from care.permissions import VIEW, can, recipients_for

FAMILY = "manage_rota"  # budget holders and carers start agreements and confirm the ward's changes
# The budget holder is the PA's employer: of the circle's roles only they hold both.
EMPLOYER = ("view_budget", "manage_rota")
WARD = "review_hospital_agreement"
SEES_ALL = ("manage_rota", "coordinate", "act_clinically")


def agreement_of(task):
    return task.process.hospitalagreement


def _person(agreement):
    # guardian needs only the person's id and model, not the row
    return CareRecipient(pk=agreement.recipient_id)


def holds(user, codenames, recipient):
    codenames = (codenames,) if isinstance(codenames, str) else codenames
    return all(can(user, codename, recipient) for codename in codenames)


def sees_all(user, recipient):
    return any(can(user, codename, recipient) for codename in SEES_ALL)


def may_view(user, agreement):
    person = _person(agreement)
    if not can(user, VIEW, person):
        return False
    if sees_all(user, person):
        return True
    if agreement.ward_manager_id == user.pk and can(user, WARD, person):
        return True
    return agreement.pas.filter(pk=user.pk).exists()


def is_ward(user, agreement):
    """The ward manager this agreement was sent to, still in the circle as a ward manager."""
    return agreement.ward_manager_id is not None and agreement.ward_manager_id == user.pk and can(
        user, WARD, _person(agreement)
    )


def ward_of_person(user, agreement):
    """A ward manager in the person's circle, whichever ward the agreement went to."""
    person = _person(agreement)
    return can(user, VIEW, person) and can(user, WARD, person)


def may_discharge(user, agreement):
    return can(user, FAMILY, _person(agreement)) or is_ward(user, agreement)


def may_start(user, recipient):
    return can(user, FAMILY, recipient)


def startable_recipients(user):
    return recipients_for(user, FAMILY)


def may_start_anywhere(user):
    return startable_recipients(user).exists()


def visible_filter(user, recipient):
    """Q over HospitalAgreement for one person's list: all of them, or only those sent to or naming this user."""
    if sees_all(user, recipient):
        return Q(recipient=recipient)
    return Q(recipient=recipient) & (Q(ward_manager=user) | Q(pas=user))
