"""Bringing people into a circle: invitations (send, resend, revoke, accept) and PAs added by mobile only.

Each function is one transaction and writes its audit row. A link is single use: accepting
claims the invitation with a conditional update, so two clicks cannot make two members.
"""
import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

import notifications

from .models import (
    INVITABLE_ROLES,
    INVITATION_VALID_DAYS,
    ClinicianProfile,
    Invitation,
    PAProfile,
    Profile,
    Role,
)
from .permissions import can, invitation_is_for, may_invite
from .queries import account_for_contact, member_with_contact
from .kernel.names import person_name
from .services import add_member, record_audit
from .validators import parse_mobile


class InvitationUnusable(Exception):
    """The link no longer works; `state` (an Invitation.State) says why."""

    def __init__(self, state):
        super().__init__(state.label)
        self.state = state


def invitation_url(token):
    return f"{settings.PUBLIC_BASE_URL}{reverse('join', args=[token])}"


def _short_date(moment):
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b}"


def _send(invitation, token):
    """Text and/or email the link. The text is queued in this transaction (the outbox) and
    names no one and nothing clinical; the email, sent after commit, names the person."""
    invitation.sent_count += 1
    invitation.last_sent_at = timezone.now()
    invitation.save(update_fields=["sent_count", "last_sent_at", "token_hash", "expires_at"])
    inviter = invitation.created_by.first_name if invitation.created_by and invitation.created_by.first_name else ""
    url = invitation_url(token)
    if invitation.mobile:
        who = f"{inviter} invited you" if inviter else "You are invited"
        texted = notifications.send_sms(
            number=invitation.mobile,
            body=f"paworkflow: {who} to join a care circle. Open by {_short_date(invitation.expires_at)}: {url}",
            purpose="invitation",
            idempotency_key=f"care.invitation:{invitation.pk}:{invitation.sent_count}",
            recipient=invitation.recipient,
        )
        if texted is None and not invitation.email:
            # The number texted STOP, or its owner declined texts: the link would reach nobody.
            raise ValidationError({"mobile": "We cannot text this number (it has asked not to get texts from "
                                             "paworkflow). Invite them by email instead."})
    if invitation.email:
        inviter_name = person_name(invitation.created_by) if invitation.created_by else "The care team"
        expires = timezone.localtime(invitation.expires_at)
        body = (
            f"Hello {invitation.first_name},\n\n"
            f"{inviter_name} has invited you to join {invitation.recipient.display_name}'s circle on "
            f"paworkflow as {invitation.get_role_display().lower()}.\n\n"
            f"Open this link to accept (it works once, until {expires:%d %B %Y %H:%M}):\n{url}\n\n"
            "If you were not expecting this, ignore this email.\n"
        )
        to = invitation.email
        transaction.on_commit(
            lambda: send_mail("Your invitation to paworkflow", body, None, [to]), robust=True
        )


def _refuse_duplicates(recipient, *, mobile, email):
    """Someone already in the circle, or already invited, is not invited again: say who."""
    pending = Invitation.objects.filter(recipient=recipient, status=Invitation.Status.PENDING)
    for field, value, noun in (("mobile", mobile, "number"), ("email", email, "address")):
        if not value:
            continue
        existing = member_with_contact(recipient, **{field: value})
        if existing:
            raise ValidationError({field: f"{person_name(existing.user)} is already in this circle "
                                          f"({existing.get_role_display()}) with this {noun}."})
        earlier = pending.filter(**{field: value}).first()
        if earlier:
            raise ValidationError({field: f"{earlier.full_name} was already invited with this {noun} on "
                                          f"{timezone.localtime(earlier.created_at):%d %b}: resend or withdraw "
                                          "that invitation on the circle page."})


def create_invitation(*, recipient, actor, role, first_name, last_name="", mobile="", email="", user=None, **extra):
    """Create and send an invitation. Checks no permission: callers (invite, create_family, ...) do."""
    if role not in INVITABLE_ROLES:
        raise ValidationError({"role": "People cannot be invited into this role."})
    email = (email or "").strip().lower()
    mobile = parse_mobile(mobile) if mobile else ""
    if user is None:  # a link for a member to set up their login is not a duplicate of them
        _refuse_duplicates(recipient, mobile=mobile, email=email)
    invitation = Invitation(
        recipient=recipient,
        role=role,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        mobile=mobile,
        email=email,
        created_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_VALID_DAYS),
        **extra,
    )
    if role != Role.CLINICIAN:
        invitation.register = invitation.registration_number = invitation.organisation = ""
    invitation.user = user or account_for_contact(mobile=invitation.mobile, email=invitation.email)
    if role != Role.PA:
        invitation.hourly_rate = invitation.sleep_in_rate = None
    elif invitation.hourly_rate is None or invitation.sleep_in_rate is None:
        # Rates are needed only to create the PA's profile; a PA who has one keeps theirs.
        if invitation.user is None or not PAProfile.objects.filter(user=invitation.user).exists():
            raise ValidationError({"hourly_rate": "Give the PA's hourly and sleep-in rates."})
    token = invitation.new_token()
    invitation.full_clean(exclude=["token_hash"])
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        # Two people inviting the same number at once: the constraint keeps one.
        raise ValidationError("This person was invited a moment ago: see the circle page.")
    _send(invitation, token)
    record_audit(
        actor=actor,
        recipient=recipient,
        action="invitation.sent",
        summary=f"Invited {invitation.full_name} as {invitation.get_role_display()} ({invitation.reference}) by "
        + " and ".join(x for x in ("text" if invitation.mobile else "", "email" if invitation.email else "") if x),
    )
    return invitation


@transaction.atomic
def invite(*, recipient, actor, role, first_name, last_name="", mobile="", email="", register="",
           registration_number="", organisation="", hourly_rate=None, sleep_in_rate=None):
    """Invite someone by name and mobile and/or email into this circle in `role`. Returns the Invitation."""
    if not may_invite(actor, recipient, role):
        raise PermissionDenied("You may not invite people into this role.")
    return create_invitation(
        recipient=recipient, actor=actor, role=role, first_name=first_name, last_name=last_name, mobile=mobile,
        email=email, register=register, registration_number=registration_number, organisation=organisation,
        hourly_rate=hourly_rate, sleep_in_rate=sleep_in_rate,
    )


@transaction.atomic
def invite_to_set_up_account(*, membership, actor):
    """Send a member who has no login (a PA added by mobile) a link to choose a username and password."""
    if not can(actor, "manage_circle", membership.recipient):
        raise PermissionDenied("You may not do this.")
    user = membership.user
    if user.has_usable_password():
        raise ValidationError(f"{person_name(user)} already has an account.")
    mobile = getattr(getattr(user, "profile", None), "mobile", "")
    if not (mobile or user.email):
        raise ValidationError(f"There is no mobile number or email address for {person_name(user)}.")
    if Invitation.objects.filter(recipient=membership.recipient, user=user, status=Invitation.Status.PENDING).exists():
        raise ValidationError(f"{person_name(user)} already has a link waiting: resend it below.")
    return create_invitation(
        recipient=membership.recipient, actor=actor, role=membership.role, first_name=user.first_name,
        last_name=user.last_name, mobile=mobile, email=user.email, user=user,
    )


def _locked(invitation):
    # of=self: PostgreSQL cannot lock the nullable side (created_by) of the outer join.
    locked = Invitation.objects.select_for_update(of=("self",)).select_related("recipient", "created_by")
    return locked.get(pk=invitation.pk)


@transaction.atomic
def resend(*, invitation, actor):
    """A new link (the old one stops working) valid for another seven days, sent again."""
    invitation = _locked(invitation)
    if not can(actor, "manage_circle", invitation.recipient):
        raise PermissionDenied("You may not do this.")
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(f"This invitation was {invitation.get_status_display().lower()}: it cannot be sent again.")
    token = invitation.new_token()
    invitation.expires_at = timezone.now() + datetime.timedelta(days=INVITATION_VALID_DAYS)
    _send(invitation, token)
    record_audit(actor=actor, recipient=invitation.recipient, action="invitation.resent",
                 summary=f"Sent {invitation.full_name} a new link ({invitation.reference})")
    return invitation


@transaction.atomic
def revoke(*, invitation, actor):
    invitation = _locked(invitation)
    if not can(actor, "manage_circle", invitation.recipient):
        raise PermissionDenied("You may not do this.")
    claimed = Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.REVOKED, revoked_at=timezone.now(), revoked_by=actor
    )
    if claimed != 1:
        raise ValidationError("This invitation has already been answered or withdrawn.")
    record_audit(actor=actor, recipient=invitation.recipient, action="invitation.revoked",
                 summary=f"Withdrew the invitation to {invitation.full_name} ({invitation.reference})")
    invitation.refresh_from_db()
    return invitation


def invitee_account(invitation):
    """The account that will hold the membership: the one named, or the one at the invited contact."""
    if invitation.user_id:
        return invitation.user
    try:
        return account_for_contact(mobile=invitation.mobile, email=invitation.email)
    except ValidationError:
        return None


def _claim(invitation):
    """Mark the invitation used, once. Raises InvitationUnusable when it is not pending any more."""
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, status=Invitation.Status.PENDING, expires_at__gt=now
    ).update(status=Invitation.Status.ACCEPTED, accepted_at=now)
    if claimed != 1:
        invitation.refresh_from_db()
        raise InvitationUnusable(invitation.state())


def _join(invitation, user):
    if invitation.role == Role.PA:
        PAProfile.objects.get_or_create(
            user=user, defaults={"hourly_rate": invitation.hourly_rate, "sleep_in_rate": invitation.sleep_in_rate}
        )
    if invitation.role == Role.CLINICIAN:
        ClinicianProfile.objects.get_or_create(
            user=user,
            defaults={"register": invitation.register, "registration_number": invitation.registration_number,
                      "organisation": invitation.organisation},
        )
    membership = add_member(recipient=invitation.recipient, user=user, role=invitation.role, actor=user)
    Invitation.objects.filter(pk=invitation.pk).update(user=user, accepted_by=user, membership=membership)
    record_audit(
        actor=user,
        recipient=invitation.recipient,
        action="invitation.accepted",
        summary=f"{person_name(user)} accepted {invitation.reference} as {invitation.get_role_display()}",
    )
    invitation.refresh_from_db()
    return membership


@transaction.atomic
def accept_as(*, invitation, user):
    """A signed-in invitee (an existing account, e.g. a PA of another family) joins the circle."""
    if not invitation_is_for(user, invitation):
        raise PermissionDenied("This invitation is for someone else.")
    _claim(invitation)
    return _join(invitation, user)


@transaction.atomic
def accept_with_new_account(*, invitation, username, password, sms_consent=False):
    """Someone without a login accepts: a new account, or a username and password for the
    mobile-only member the invitation names (the same user, so their shifts stay theirs)."""
    _claim(invitation)
    user = invitee_account(invitation)
    if user is not None and user.has_usable_password():
        raise ValidationError("You already have an account: log in to accept.")
    if user is None:
        user = get_user_model()(first_name=invitation.first_name, last_name=invitation.last_name,
                                email=invitation.email)
    user.username = username
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError({"username": "That username is taken: choose another."})
    if invitation.mobile and not Profile.objects.filter(user=user).exists():
        try:
            with transaction.atomic():
                Profile.objects.create(user=user, mobile=invitation.mobile, sms_consent=sms_consent)
        except IntegrityError:
            raise ValidationError("This mobile number now belongs to another account: log in to accept.")
    return user, _join(invitation, user)


@transaction.atomic
def add_pa_without_account(*, recipient, actor, first_name, last_name="", mobile, sms_consent, hourly_rate,
                           sleep_in_rate):
    """A PA reached only by text: a user without a password, their mobile and consent, rates, membership.

    Returns (membership, None), or (None, invitation) when the number already belongs to an
    account: that person joins by accepting, never by being added.
    """
    if not can(actor, "manage_circle", recipient):
        raise PermissionDenied("You may not add people to this circle.")
    if not sms_consent:
        raise ValidationError({"sms_consent": "The PA must agree to receive texts before they can be added."})
    mobile = parse_mobile(mobile)
    _refuse_duplicates(recipient, mobile=mobile, email="")
    if account_for_contact(mobile=mobile) is not None:
        invitation = create_invitation(recipient=recipient, actor=actor, role=Role.PA, first_name=first_name,
                             last_name=last_name, mobile=mobile, hourly_rate=hourly_rate, sleep_in_rate=sleep_in_rate)
        return None, invitation
    User = get_user_model()
    user = User(username=f"pa-{secrets.token_hex(5)}", first_name=first_name.strip(), last_name=last_name.strip())
    user.set_unusable_password()
    user.save()
    profile = Profile(user=user, mobile=mobile, sms_consent=True)
    profile.full_clean()
    profile.save()
    rates = PAProfile(user=user, hourly_rate=hourly_rate, sleep_in_rate=sleep_in_rate)
    rates.full_clean()
    rates.save()
    membership = add_member(recipient=recipient, user=user, role=Role.PA, actor=actor)
    record_audit(actor=actor, recipient=recipient, action="membership.added_by_mobile",
                 summary=f"Added {person_name(user)} as a PA reached by text (no login yet)")
    # Without it their first text would be a shift offer from a number they do not know. The
    # adder's first name, as in the invitation text, so they know who it is; nothing about the person.
    who = f"{actor.first_name} added you" if actor.first_name else "You have been added"
    notifications.send_sms(
        user=user,
        body=f"paworkflow: {who} as a PA to a care team. Shift offers will come from this number; "
             f"reply YES or NO with the code to answer. Reply STOP to stop texts, HELP for help. "
             f"{settings.PUBLIC_BASE_URL}",
        purpose="welcome-pa",
        idempotency_key=f"care.welcome-pa:{membership.pk}",
        recipient=recipient,
    )
    return membership, None
