"""Your account (issue 12): password change, two-factor set-up and verification.

Password change and reset are Django's own views with the project's templates
(``templates/registration/``); this module holds the account page and TOTP two-factor.
"""

from __future__ import annotations

import base64
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from kccperf.middleware import SESSION_TWO_FACTOR, two_factor_due


class TokenForm(forms.Form):
    token = forms.CharField(
        label="6-digit code from your authenticator app",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError("Enter the 6 digits your app shows, numbers only.")
        return token


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def account(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    required = settings.KCCPERF_REQUIRE_2FA_FOR_STAFF and (
        request.user.is_staff or request.user.is_superuser
    )
    return render(
        request,
        "registration/account.html",
        {"device": device, "two_factor_required": required},
    )


def _qr_svg(device: TOTPDevice, username: str) -> str:
    secret = base64.b32encode(device.bin_key).decode()
    issuer = quote(settings.OTP_TOTP_ISSUER)
    uri = (
        f"otpauth://totp/{issuer}:{quote(username)}?secret={secret}&issuer={issuer}"
        f"&digits={device.digits}&period={device.step}"
    )
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if user_has_device(request.user):
        messages.info(request, "Two-factor authentication is already set up for your account.")
        return redirect("account")
    # One unconfirmed device per person, kept until they confirm it with a code.
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name="Authenticator app", confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "Two-factor authentication is on for your account.")
            return redirect(_next_url(request))
        form.add_error("token", "That code is not right: check the app and enter the newest code.")
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(_qr_svg(device, request.user.get_username())),  # noqa: S308
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": two_factor_due(request) == "setup",
            "next": _next_url(request),
        },
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect("two-factor-setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_next_url(request))
        form.add_error("token", "That code is not right: check the app and enter the newest code.")
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    if settings.KCCPERF_REQUIRE_2FA_FOR_STAFF and (
        request.user.is_staff or request.user.is_superuser
    ):
        messages.error(request, "Staff accounts must keep two-factor authentication.")
        return redirect("account")
    TOTPDevice.objects.filter(user=request.user).delete()
    request.session[SESSION_TWO_FACTOR] = None
    messages.success(request, "Two-factor authentication is off for your account.")
    return redirect("account")
