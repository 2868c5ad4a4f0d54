"""Roles -> guardian object permissions on the care recipient, in one place.

Every view, API and socket asks this module; nothing else decides access.
"""
import itertools
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import Http404
from django.shortcuts import get_object_or_404
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, get_objects_for_user, get_perms, remove_perm

from .models import INVITABLE_ROLES, CareRecipient, CareRecipientUserObjectPermission, Membership, Role
from .queries import account_for_contact

VIEW = "view_circle"

ROLE_PERMISSIONS = {
    Role.BUDGET_HOLDER: {VIEW, "manage_circle", "manage_rota", "view_budget", "consent_delegation", "use_respite"},
    Role.CARER: {VIEW, "manage_rota", "use_respite"},
    Role.PA: {VIEW, "work_shifts"},
    Role.CLINICIAN: {VIEW, "act_clinically"},
    Role.WARD_MANAGER: {VIEW, "review_hospital_agreement"},
    Role.COORDINATOR: {VIEW, "manage_circle", "view_budget", "coordinate"},
}
ALL_PERMISSIONS = set().union(*ROLE_PERMISSIONS.values())
# The roles that reach a family's record through their job, not their family, and the permission
# only they hold in a circle (a budget holder also manages the circle and sees the budget).
STAFF_ROLES = (Role.CLINICIAN, Role.COORDINATOR, Role.WARD_MANAGER)
STAFF_PERMISSIONS = ("act_clinically", "coordinate", "review_hospital_agreement")


def permissions_for_roles(roles):
    return set().union(set(), *(ROLE_PERMISSIONS[Role(r)] for r in roles))


@transaction.atomic
def sync_permissions(user, recipient):
    """Make the user's guardian permissions on this recipient match their active roles today."""
    roles = Membership.objects.active().filter(user=user, recipient=recipient).values_list("role", flat=True)
    wanted = permissions_for_roles(roles)
    held = set(get_perms(user, recipient)) & ALL_PERMISSIONS
    for codename in wanted - held:
        assign_perm(codename, user, recipient)
    for codename in held - wanted:
        remove_perm(codename, user, recipient)
    if wanted != held:
        global _generation
        _generation = next(_changes)


# Bumped whenever this process changes anyone's circle permissions, so answers remembered on a
# user object (below) are never reused after a change made here. User objects live for one
# request (or one socket's connect, one task), so a change made by another process is seen by
# the next request.
_changes = itertools.count()
_generation = next(_changes)


def can(user, codename, recipient):
    """Does the user hold this circle permission on the recipient?

    The same answer as guardian's `user.has_perm("care.<codename>", recipient)` (active
    superusers hold everything) for the permissions sync_permissions gives: they are per user,
    never through groups. One indexed query per user and person fetches all their codenames,
    remembered on the user object: a flow step asks the same person's permissions several times.
    """
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    remembered = user.__dict__.setdefault("_circle_permissions", {})
    generation, held = remembered.get(recipient.pk, (None, None))
    if generation != _generation:
        held = frozenset(CareRecipientUserObjectPermission.objects.filter(
            user_id=user.pk, content_object_id=recipient.pk, permission__content_type__app_label="care",
        ).values_list("permission__codename", flat=True))
        remembered[recipient.pk] = (_generation, held)
    return codename in held


def holds_anywhere(user, codenames):
    """Does the user hold any of these circle permissions on anyone? One indexed query (the table
    `can` reads), where `recipients_for(...) | recipients_for(...)` builds guardian's querysets each time."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return CareRecipientUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename__in=codenames, permission__content_type__app_label="care",
    ).exists()


def remember_permissions(pairs):
    """Ask, in one query, what each (user, recipient) pair holds, and remember it on the user
    objects as `can` does: a sweep about to ask `can` for many people pays one query, not one each."""
    pairs = [(u, r) for u, r in pairs if u is not None and u.is_authenticated and not u.is_superuser]
    if not pairs:
        return
    held = {}
    rows = CareRecipientUserObjectPermission.objects.filter(
        user_id__in={u.pk for u, _ in pairs}, content_object_id__in={r.pk for _, r in pairs},
        permission__content_type__app_label="care",
    ).values_list("user_id", "content_object_id", "permission__codename")
    for user_id, recipient_id, codename in rows:
        held.setdefault((user_id, recipient_id), set()).add(codename)
    for user, recipient in pairs:
        remembered = user.__dict__.setdefault("_circle_permissions", {})
        remembered[recipient.pk] = (_generation, frozenset(held.get((user.pk, recipient.pk), ())))


# A PA's detailed records for a person (training, assessments, the reasons for a suspension)
# are read by the PA they belong to, the person's clinicians, the budget holder and the
# coordinator. The rest of the circle (carers, other PAs, the ward) sees status and dates only.
PA_RECORD_READERS = ("act_clinically", "consent_delegation", "coordinate")


def may_read_pa_record(user, recipient, pa):
    """May this user open `pa`'s detailed record for this recipient? (Circle membership is
    checked first by the caller: outside the circle is a 404, not a refusal.)"""
    if not _signed_in(user) or not can(user, VIEW, recipient):
        return False
    return user.pk == pa.pk or any(can(user, codename, recipient) for codename in PA_RECORD_READERS)


def recipients_for(user, codename=VIEW):
    if not (user and user.is_authenticated and user.is_active):
        return CareRecipient.objects.none()
    return get_objects_for_user(user, f"care.{codename}", klass=CareRecipient, accept_global_perms=False)


def get_recipient_or_404(user, recipient_pk, codename=VIEW):
    """The recipient if the user may do `codename` to it: 404 outside the circle, 403 inside without the right."""
    recipient = get_object_or_404(CareRecipient, pk=recipient_pk)
    if not can(user, VIEW, recipient):
        raise Http404("No such person.")
    if codename != VIEW and not can(user, codename, recipient):
        raise PermissionDenied("You can see this person's circle but may not do this.")
    return recipient


def require_object_permission(user, codename, recipient):
    """For objects reached by their own id: 404 unless in the circle, 403 without the right."""
    if not can(user, VIEW, recipient):
        raise Http404("Not found.")
    if not can(user, codename, recipient):
        raise PermissionDenied("You may not do this.")


def recipient_permission_required(codename=VIEW):
    """View decorator: login, then `recipient` (from the URL's recipient_pk) with this permission."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, recipient_pk, *args, **kwargs):
            recipient = get_recipient_or_404(request.user, recipient_pk, codename)
            return view(request, recipient, *args, **kwargs)

        return wrapped

    return decorator


# --- Bringing people in and letting them go --------------------------------------------

def _signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def works_with_families(user):
    """Django staff, or someone in a circle through their job (one query)."""
    return _signed_in(user) and (
        user.is_staff or Membership.objects.active().filter(user=user, role__in=STAFF_ROLES).exists())


def may_create_family(user):
    """Coordinators (in at least one circle) and staff set up new families; the creator coordinates it."""
    if not _signed_in(user):
        return False
    return user.is_staff or Membership.objects.active().filter(user=user, role=Role.COORDINATOR).exists()


def may_invite(user, recipient, role):
    """Budget holders and coordinators invite carers, PAs, clinicians and ward managers;
    only a coordinator invites a budget holder (who then holds the money)."""
    codename = "coordinate" if role == Role.BUDGET_HOLDER else "manage_circle"
    return can(user, codename, recipient)


def invitable_roles(user, recipient):
    return [role for role in INVITABLE_ROLES if may_invite(user, recipient, role)]


def _ending_needs(role):
    return "coordinate" if role in (Role.BUDGET_HOLDER, Role.COORDINATOR) else "manage_circle"


def may_end_membership(user, membership):
    """Whoever manages the circle ends a carer's, PA's, clinician's or ward manager's place;
    ending a budget holder's or coordinator's place needs the coordinator."""
    return can(user, _ending_needs(membership.role), membership.recipient)


def held_permissions(user, recipient):
    """Every circle codename this user holds on this recipient, in one lookup, for pages that
    show several buttons (templates never decide: views pass what this answers)."""
    if not _signed_in(user):
        return set()
    if user.is_superuser:
        return set(ALL_PERMISSIONS)
    return set(ObjectPermissionChecker(user).get_perms(recipient)) & ALL_PERMISSIONS


def membership_ender(held):
    """may_end_membership for the memberships of one circle, given held_permissions() there."""
    return lambda membership: _ending_needs(membership.role) in held


def invitation_is_for(user, invitation):
    """Is this signed-in user the person invited? The account named on the invitation, or, when
    none was, the one account reached at the invitation's mobile or email. Anyone else holding
    the link is asked to log out first and sees nothing of the family."""
    if not _signed_in(user):
        return False
    if invitation.user_id is not None:
        return invitation.user_id == user.pk
    try:
        account = account_for_contact(mobile=invitation.mobile, email=invitation.email)
    except ValidationError:
        return False
    return account is not None and account.pk == user.pk


@receiver(post_delete, sender=Membership, dispatch_uid="care.membership_deleted")
def _membership_deleted(sender, instance, origin=None, **kwargs):
    """However a membership is deleted (the admin, a shell, a queryset), its permissions go with it.

    Not when the user or the person is being deleted: their permission rows cascade with them,
    and re-granting a remaining role's rights to a row about to go would break the delete."""
    if isinstance(origin, (CareRecipient, get_user_model())) or getattr(origin, "model", None) in (
        CareRecipient, get_user_model(),
    ):
        return
    sync_permissions(instance.user, instance.recipient)
