"""The circle page and what its managers do there: invite, add a PA by mobile, resend, withdraw, end."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import invitations, queries
from ..forms import AddPAForm, EndMembershipForm, InviteForm, apply_service_errors
from ..models import Invitation, Membership
from ..permissions import (
    held_permissions,
    invitable_roles,
    may_end_membership,
    membership_ender,
    recipient_permission_required,
    require_object_permission,
)
from ..kernel.names import person_name
from ..services import record_audit, remove_member
from ..audit import record_staff_view


@require_GET
@recipient_permission_required()
def circle_page(request, recipient):
    """Who is in the circle, in which role, since when; who has been invited and what became of it."""
    held = held_permissions(request.user, recipient)
    record_staff_view(request, recipient, "Circle page")
    may_end = membership_ender(held)
    members = list(queries.circle_members(recipient))
    for m in members:
        m.may_end = may_end(m)
    can_manage = "manage_circle" in held
    context = {
        "recipient": recipient,
        "members": members,
        "ended": queries.ended_members(recipient) if can_manage else [],
        "invitations": queries.circle_invitations(recipient) if can_manage else [],
        "can_manage": can_manage,
    }
    return render(request, "care/circle.html", context)


@recipient_permission_required("manage_circle")
def invite(request, recipient):
    roles = invitable_roles(request.user, recipient)
    form = InviteForm(request.POST or None, roles=roles, initial={"role": request.GET.get("role", "")})
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.invite(recipient=recipient, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            _audit_rate_confirmed(request, recipient, form, invitation.full_name)
            how = " and ".join(x for x in ("texted" if invitation.mobile else "", "emailed" if invitation.email else "") if x)
            messages.success(request, f"Invitation {how} to {invitation.full_name}. The link works for 7 days.")
            return redirect("circle", recipient.pk)
    return render(request, "care/invite.html", {"recipient": recipient, "form": form})


@recipient_permission_required("manage_circle")
def add_pa(request, recipient):
    form = AddPAForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership, invitation = invitations.add_pa_without_account(
                recipient=recipient, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            _audit_rate_confirmed(request, recipient, form,
                                  person_name(membership.user) if membership else invitation.full_name)
            if membership:
                messages.success(request, f"{person_name(membership.user)} is in the circle and will get texts.")
            else:
                messages.success(request, f"This number already has a login, so we texted {invitation.full_name} "
                                          "a link to join; they are in the circle once they accept.")
            return redirect("circle", recipient.pk)
    return render(request, "care/add_pa.html", {"recipient": recipient, "form": form})


def _audit_rate_confirmed(request, recipient, form, name):
    """A rate below the wage floor sent on after the warning: who confirmed it lawful, and the figure."""
    if form.rate_confirmed_below_floor:
        record_audit(actor=request.user, recipient=recipient, action="invitation.rate_below_minimum_confirmed",
                     summary=f"{name}: £{form.cleaned_data['hourly_rate']} an hour confirmed as lawful. "
                             f"{form.rate_confirmed_below_floor}")


def _managed_invitation(request, invitation_pk):
    invitation = get_object_or_404(Invitation.objects.select_related("recipient"), pk=invitation_pk)
    require_object_permission(request.user, "manage_circle", invitation.recipient)
    return invitation


@require_POST
@login_required
def invitation_resend(request, invitation_pk):
    invitation = _managed_invitation(request, invitation_pk)
    try:
        invitations.resend(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"New link sent to {invitation.full_name}; the old one no longer works.")
    return redirect("circle", invitation.recipient_id)


@require_POST
@login_required
def invitation_revoke(request, invitation_pk):
    invitation = _managed_invitation(request, invitation_pk)
    try:
        invitations.revoke(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Invitation to {invitation.full_name} withdrawn: the link no longer works.")
    return redirect("circle", invitation.recipient_id)


def _membership(request, membership_pk, codename="manage_circle"):
    membership = get_object_or_404(Membership.objects.select_related("recipient", "user"), pk=membership_pk)
    require_object_permission(request.user, codename, membership.recipient)
    return membership


@login_required
def membership_end(request, membership_pk):
    membership = _membership(request, membership_pk)
    if not may_end_membership(request.user, membership):
        raise PermissionDenied("Only the coordinator ends a budget holder's or coordinator's place.")
    form = EndMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            remove_member(membership=membership, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{person_name(membership.user)}'s place as "
                                      f"{membership.get_role_display().lower()} ends on "
                                      f"{form.cleaned_data['ended_on']:%d %b %Y}. They have been told.")
            return redirect("circle", membership.recipient_id)
    return render(request, "care/membership_end.html", {"membership": membership, "recipient": membership.recipient,
                                                        "form": form})


@require_POST
@login_required
def membership_account_link(request, membership_pk):
    membership = _membership(request, membership_pk)
    try:
        invitations.invite_to_set_up_account(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Sent {person_name(membership.user)} a link to choose a username and password.")
    return redirect("circle", membership.recipient_id)
