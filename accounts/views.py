"""Signing in and getting back in: the authenticator page, Django's email password reset
(throttled, and refusing a link opened while signed in as someone else) and a texted code
for people who have only a mobile number.

Every answer is the same whether or not an account exists; throttles count requests per
number (or address) and per IP, so they say nothing about accounts either.
"""
import base64
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from care.kernel.names import person_name
from care.services import record_audit
from care.views.join import log_out_first

from . import throttle
from .sessions import second_factor_entered
from .twofactor import second_factor_purpose, verify_code
from .forms import CodeForm, RecoverCodeForm, RecoverStartForm
from .recovery import request_recovery_code, reset_password_with_code

HOUR = 3600
# Texts cost money and can be used to pester someone: few per number, a few more per address.
SEND_LIMITS = {"number": (3, HOUR), "ip": (10, HOUR)}
# Six digits are guessable only with many tries: each code also dies after 5 wrong ones.
CHECK_LIMITS = {"number": (10, HOUR), "ip": (30, HOUR)}
EMAIL_LIMITS = {"address": (3, HOUR), "ip": (10, HOUR)}
# Named when this lived in care; kept so a recovery begun before an upgrade still finishes.
SESSION_KEY = "care.recovery_mobile"
NEUTRAL = "If that number belongs to an account with a password, we have texted it a code."


def _qr_svg(uri):
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return reverse("home")
    return target


@login_required
def two_factor(request):
    """Set up an authenticator (first time) or enter a code (every session)."""
    confirmed = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()
    device = confirmed or TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = verify_code(device, form.cleaned_data["code"].strip())
        if result == "wait":
            form.add_error("code", "Too many wrong codes: wait a few seconds, then try the newest code.")
        elif result == "ok":
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                record_audit(actor=request.user, recipient=None, action="2fa.enrolled", summary="Authenticator set up")
            otp_login(request, device)
            second_factor_entered(request)
            messages.success(request, "Code accepted.")
            return redirect(_safe_next(request))
        else:
            form.add_error("code", "That code did not match. Check the time on your phone and try the newest code.")
    context = {"form": form, "next": _safe_next(request), "setting_up": not device.confirmed,
               "purpose": second_factor_purpose(request.user)}
    if not device.confirmed:
        context["secret"] = base64.b32encode(device.bin_key).decode()
        context["qr_svg"] = _qr_svg(device.config_url)
        context["issuer"] = settings.OTP_TOTP_ISSUER
    return render(request, "registration/two_factor.html", context)


def _too_many(request, template, context):
    context["too_many"] = True
    return render(request, template, context, status=429)


@never_cache
def recover_by_text(request):
    form = RecoverStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mobile = form.cleaned_data["mobile"]
        ip = throttle.client_ip(request)
        if not throttle.allowed([("recover-send-number", mobile, *SEND_LIMITS["number"]),
                                 ("recover-send-ip", ip, *SEND_LIMITS["ip"])]):
            return _too_many(request, "registration/recover_by_text.html", {"form": form})
        request_recovery_code(mobile=mobile)
        request.session[SESSION_KEY] = mobile
        messages.info(request, NEUTRAL)
        return redirect("recover_by_text_code")
    return render(request, "registration/recover_by_text.html", {"form": form})


@never_cache
@sensitive_post_parameters("password1", "password2", "code")
def recover_by_text_code(request):
    mobile = request.session.get(SESSION_KEY)
    if not mobile:
        return redirect("recover_by_text")
    form = RecoverCodeForm(request.POST or None)
    context = {"form": form, "mobile_end": mobile[-3:]}
    if request.method == "POST" and form.is_valid():
        ip = throttle.client_ip(request)
        if not throttle.allowed([("recover-check-number", mobile, *CHECK_LIMITS["number"]),
                                 ("recover-check-ip", ip, *CHECK_LIMITS["ip"])]):
            return _too_many(request, "registration/recover_by_text_code.html", context)
        try:
            user = reset_password_with_code(
                mobile=mobile, code=form.cleaned_data["code"], password=form.cleaned_data["password1"]
            )
        except ValidationError as error:  # the code was right; the new password is too weak
            form.add_error("password1", error)
        else:
            if user is None:
                form.add_error("code", "That code is wrong or has expired. Check the newest text, or ask for "
                                       "a new code.")
            else:
                del request.session[SESSION_KEY]
                messages.success(request, f"Your password has been changed. Your username is {user.get_username()}: "
                                          "log in with it and your new password.")
                return redirect("login")
    return render(request, "registration/recover_by_text_code.html", context)


def _public_site():
    parts = urlsplit(settings.PUBLIC_BASE_URL)
    return parts.netloc, parts.scheme == "https"


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by email, with links built from PUBLIC_BASE_URL (not the request's Host
    header) and a throttle per address and per IP."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        ip = throttle.client_ip(self.request)
        if not throttle.allowed([("reset-email-address", email, *EMAIL_LIMITS["address"]),
                                 ("reset-email-ip", ip, *EMAIL_LIMITS["ip"])]):
            return _too_many(self.request, self.template_name, self.get_context_data(form=form))
        domain, https = _public_site()
        # As Django's form_valid, but the domain is ours, never the request's Host header.
        form.save(
            domain_override=domain,
            use_https=https,
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context=self.extra_email_context,
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A reset link opened while signed in as someone else asks to log out first (and says nothing more)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            owner = self.get_user(kwargs["uidb64"])
            if owner is None or owner.pk != request.user.pk:
                return log_out_first(request, "password reset link")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        record_audit(actor=form.user, recipient=None, action="account.password_reset_by_email",
                     summary=f"{person_name(form.user)} set a new password from an emailed link")
        return response
