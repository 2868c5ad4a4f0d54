"""Everything that changes the circle: joining, leaving, and the audit of both."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

import notifications

from .kernel.names import person_name
from .models import AuditEvent, Membership
from .permissions import may_end_membership, sync_permissions
from .signals import membership_ended


def record_audit(*, actor, recipient, action, summary):
    return AuditEvent.objects.create(actor=actor, recipient=recipient, action=action, summary=summary[:300])


def record_audits(*, actor, entries):
    """Many audit rows by one actor, (recipient, action, summary) each, in one query (a sweep's)."""
    name = person_name(actor)[:300] if actor is not None else ""
    return AuditEvent.objects.bulk_create([
        AuditEvent(actor=actor, actor_name=name, recipient=recipient, action=action, summary=summary[:300])
        for recipient, action, summary in entries
    ])


@transaction.atomic
def add_member(*, recipient, user, role, actor=None, started_on=None):
    started_on = started_on or timezone.localdate()
    existing = Membership.objects.filter(recipient=recipient, user=user, role=role, ended_on__isnull=True).first()
    if existing:
        return existing
    membership = Membership.objects.create(
        recipient=recipient, user=user, role=role, started_on=started_on, created_by=actor
    )
    sync_permissions(user, recipient)
    record_audit(
        actor=actor,
        recipient=recipient,
        action="membership.added",
        summary=f"{person_name(user)} joined as {membership.get_role_display()}",
    )
    return membership


@transaction.atomic
def end_membership(*, membership, actor, ended_on=None, reason=""):
    """End a membership on a date (today by default). Access ends at once when that date is today."""
    membership = Membership.objects.select_for_update().select_related("user", "recipient").get(pk=membership.pk)
    today = timezone.localdate()
    ended_on = ended_on or today
    if membership.ended_on is not None and membership.ended_on <= today:
        raise ValidationError("This membership has already ended.")
    if ended_on < membership.started_on:
        raise ValidationError({"ended_on": "The end date cannot be before the start date."})
    membership.ended_on = ended_on
    membership.end_reason = reason
    membership.ended_by = actor
    membership.save(update_fields=["ended_on", "end_reason", "ended_by"])
    record_audit(
        actor=actor,
        recipient=membership.recipient,
        action="membership.ended",
        summary=f"{person_name(membership.user)} ({membership.get_role_display()}) leaves on "
        f"{ended_on:%d %b %Y}: {reason}",
    )
    if ended_on <= today:
        _remove_access(membership)
    return membership


@transaction.atomic
def remove_member(*, membership, actor, ended_on=None, reason):
    """The budget holder or coordinator ends someone's place in the circle, and the person is told
    (a text with no names in it, and an email if we have their address)."""
    if not may_end_membership(actor, membership):
        raise PermissionDenied("You may not end this membership.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why this membership ends."})
    membership = end_membership(membership=membership, actor=actor, ended_on=ended_on, reason=reason.strip())
    user = membership.user
    today, ends = timezone.localdate(), membership.ended_on
    when = "ends today" if ends == today else f"{'ends' if ends > today else 'ended'} on {ends.day} {ends:%b %Y}"
    notifications.send_sms(
        user=user,
        body=f"paworkflow: your place in a care circle (ref M-{membership.pk}) {when}. "
        "You will no longer see its pages or get its shift offers.",
        purpose="membership_ended",
        idempotency_key=f"care.membership-ended:{membership.pk}",
        recipient=membership.recipient,
    )
    if user.email:
        body = (
            f"Hello {user.first_name or user.username},\n\n{person_name(actor)} has ended your place as "
            f"{membership.get_role_display().lower()} in {membership.recipient.display_name}'s circle on paworkflow: it "
            f"{when}.\nReason given: {membership.end_reason}\n\nFrom then you will not see their pages or receive "
            "their shift offers. If you think this is a mistake, contact the family or their coordinator.\n"
        )
        to = user.email
        transaction.on_commit(lambda: send_mail("Your place in a care circle has ended", body, None, [to]), robust=True)
    return membership


def _remove_access(membership):
    """Claim the ended membership once, drop its permissions and tell listeners (rota, competencies)."""
    claimed = Membership.objects.filter(pk=membership.pk, access_removed_at__isnull=True).update(
        access_removed_at=timezone.now()
    )
    if claimed != 1:
        return False  # another worker got there first
    sync_permissions(membership.user, membership.recipient)
    membership_ended.send(sender=Membership, membership=membership, actor=membership.ended_by)
    return True


def end_due_memberships():
    """Memberships whose end date has come lose access (care.jobs runs it). Safe to run twice or in parallel."""
    due = Membership.objects.filter(ended_on__lte=timezone.localdate(), access_removed_at__isnull=True)
    done = 0
    for membership in due.select_related("user", "recipient"):
        with transaction.atomic():
            done += _remove_access(membership)
    return done
