"""Two-factor authentication (TOTP, django-otp) for people who make clinical or funding decisions.

Clinicians must verify a second factor in this session before they sign off, renew, suspend,
revoke or reinstate a delegated task, and coordinators before they grant or adjust respite
hours: `ask_for_second_factor` (after the permission checks) and `second_factor_required` guard
those views. Services driven without HTTP (seeding, benchmarks) are not sessions and are not asked.
"""
import base64
from urllib.parse import urlsplit, urlunsplit
from functools import wraps

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .services import record_audit


def has_second_factor(request):
    return bool(getattr(request.user, "is_verified", lambda: False)())


def ask_for_second_factor(request):
    """None when this session has a verified second factor; otherwise the redirect to enter it.

    Call it after the object-permission checks, so people outside the circle still get 404. A GET
    comes back to the same page afterwards. A POST is refused before anything is saved (pages
    hide these forms until the code is entered, so nobody loses typed work) and goes back to
    the page the form was on.
    """
    if has_second_factor(request):
        return None
    if request.method == "GET":
        back = request.get_full_path()
    else:
        referer = urlsplit(request.META.get("HTTP_REFERER", ""))
        same_site = url_has_allowed_host_and_scheme(referer.geturl(), allowed_hosts={request.get_host()})
        back = urlunsplit(("", "", referer.path, referer.query, "")) if same_site and referer.path else ""
        messages.warning(request, "Nothing was saved: enter your authenticator code, then try again.")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("home")
    messages.info(request, "Signing off clinical tasks and granting respite hours need your authenticator code.")
    return redirect(f"{reverse('two-factor')}?{urlencode({'next': back})}")


def second_factor_required(view):
    """For views whose permission checks have already run (Viewflow's step wrapper runs first)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return ask_for_second_factor(request) or view(request, *args, **kwargs)

    return wrapped


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Enter the 6-digit code from your authenticator app."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


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
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", "Too many wrong codes: wait a few seconds, then try the newest code.")
        elif device.verify_token(form.cleaned_data["code"].strip()):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                record_audit(actor=request.user, recipient=None, action="2fa.enrolled", summary="Authenticator set up")
            otp_login(request, device)
            messages.success(request, "Code accepted.")
            return redirect(_safe_next(request))
        else:
            form.add_error("code", "That code did not match. Check the time on your phone and try the newest code.")
    context = {"form": form, "next": _safe_next(request), "setting_up": not device.confirmed}
    if not device.confirmed:
        context["secret"] = base64.b32encode(device.bin_key).decode()
        context["qr_svg"] = _qr_svg(device.config_url)
        context["issuer"] = settings.OTP_TOTP_ISSUER
    return render(request, "registration/two_factor.html", context)
