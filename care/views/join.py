"""Following an invitation link: sign up, set up a login, or accept with the account you have.

The token in the URL is the only key, so the page shows the family only to someone who is
not signed in (they hold the link) or who is signed in as the person invited; anyone else
signed in is asked to log out first (403) and sees nothing of the family.
"""
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from ..forms import AccountForm, apply_service_errors
from ..invitations import InvitationUnusable, accept_as, accept_with_new_account, invitee_account
from ..models import Invitation
from ..permissions import invitation_is_for

# The link was real but is spent: 410 Gone, with a page saying which and what to do.
GONE = 410


def log_out_first(request, what):
    return render(request, "care/log_out_first.html", {"what": what, "next": request.path}, status=403)


def _unusable(request, invitation, state):
    return render(request, "care/join_unusable.html", {"invitation": invitation, "state": state.value}, status=GONE)


def _welcome(request, invitation):
    messages.success(request, f"Welcome to {invitation.recipient.display_name}'s circle.")
    return redirect("recipient", invitation.recipient_id)


@never_cache
@sensitive_post_parameters("password1", "password2")
def join(request, invitation_token):
    invitation = (
        Invitation.objects.for_token(invitation_token).select_related("recipient", "created_by", "user").first()
    )
    if invitation is None:
        raise Http404("This link is not valid.")
    if request.user.is_authenticated and not invitation_is_for(request.user, invitation):
        return log_out_first(request, "invitation")
    state = invitation.state()
    if state != Invitation.State.PENDING:
        return _unusable(request, invitation, state)
    context = {"invitation": invitation, "recipient": invitation.recipient}

    if request.user.is_authenticated:  # the person invited, with the account they already have
        if request.method == "POST":
            try:
                accept_as(invitation=invitation, user=request.user)
            except InvitationUnusable as gone:
                return _unusable(request, invitation, gone.state)
            return _welcome(request, invitation)
        return render(request, "care/join_accept.html", context)

    account = invitee_account(invitation)
    if account is not None and account.has_usable_password():
        context["login_url"] = f"{reverse('login')}?{urlencode({'next': request.path})}"
        return render(request, "care/join_log_in.html", context)

    form = AccountForm(request.POST or None, invitation=invitation, existing_user=account)
    if request.method == "POST" and form.is_valid():
        try:
            user, _membership = accept_with_new_account(
                invitation=invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                sms_consent=form.cleaned_data.get("sms_consent", False),
            )
        except InvitationUnusable as gone:
            return _unusable(request, invitation, gone.state)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return _welcome(request, invitation)
    context.update(form=form, setting_up=account is not None)
    return render(request, "care/join_sign_up.html", context)
