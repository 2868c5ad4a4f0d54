"""A coordinator sets up a family: the person, their personal health budget, and the budget holder's invitation."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .invitations import create_invitation
from .models import CareRecipient, PersonalHealthBudget, Role
from .validators import normalise_nhs_number
from .permissions import may_create_family
from .services import add_member, record_audit


@transaction.atomic
def create_family(*, actor, person, budget, budget_holder):
    """Create the care recipient (`person`: display_name, date_of_birth, nhs_number, address), their
    budget (`budget`: kind, management_option and a mix's shares, continuing_care, commissioning_area,
    period_start, period_end, amount, contingency), make the
    actor their coordinator and invite the budget holder (`budget_holder`: first_name, last_name,
    mobile, email). Returns (recipient, invitation). Nothing is saved if any part is invalid."""
    if not may_create_family(actor):
        raise PermissionDenied("Only PHB coordinators set up families.")
    recipient = CareRecipient(**person)
    if CareRecipient.objects.filter(nhs_number=normalise_nhs_number(recipient.nhs_number)).exists():
        raise ValidationError({"nhs_number": "Someone with this NHS number is already registered: ask their "
                                             "coordinator to add you to their circle."})
    recipient.full_clean()  # the NHS number's check digit, and that nobody else has it
    recipient.save()
    phb = PersonalHealthBudget(recipient=recipient, **budget)
    phb.full_clean()
    phb.save()
    add_member(recipient=recipient, user=actor, role=Role.COORDINATOR, actor=actor)
    record_audit(
        actor=actor,
        recipient=recipient,
        action="family.created",
        summary=f"Set up {recipient.display_name} with a {phb.get_kind_display().lower()} "
        f"({phb.management_display().lower()}) of £{phb.amount} for {phb.period_start:%d %b %Y}–{phb.period_end:%d %b %Y}",
    )
    invitation = create_invitation(recipient=recipient, actor=actor, role=Role.BUDGET_HOLDER, **budget_holder)
    return recipient, invitation
