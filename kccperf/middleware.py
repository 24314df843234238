"""Request guards from issue 12: body size, Permissions-Policy, idle sessions, two-factor."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve, reverse

Handler = Callable[[HttpRequest], HttpResponse]


class RequestBodyLimitMiddleware:
    """Refuse a request body over ``KCCPERF_MAX_REQUEST_BYTES`` before anything reads it.

    Runs first, for everyone (signed in or not): Django's multipart parser would otherwise
    spool an upload to a temporary file before any view could look at its size. A body sent
    without a length (chunked) is refused too: Django reads no more than Content-Length bytes,
    so such a body would be silently dropped, and no browser form sends one.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.KCCPERF_MAX_REQUEST_BYTES
        raw_length = request.META.get("CONTENT_LENGTH") or ""
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower() and not raw_length:
            return _plain(
                411, "Send the request with a Content-Length: chunked bodies are not accepted."
            )
        try:
            length = int(raw_length) if raw_length.strip() else 0
        except ValueError:
            return _plain(400, "The request's Content-Length is not a number.")
        if length > limit:
            return _plain(
                413,
                f"The request is {length / 1048576:.1f} MB, larger than the "
                f"{limit / 1048576:.0f} MB this portal accepts. Files to load may be at most "
                f"{settings.KCCPERF_MAX_UPLOAD_BYTES // 1048576} MB.",
            )
        return self.get_response(request)


def _plain(status: int, message: str) -> HttpResponse:
    response = HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
    response["Connection"] = "close"
    return response


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
)


class PermissionsPolicyMiddleware:
    """The portal uses no camera, microphone, location or other device feature: deny them all.
    With single sign-on on, the Content-Security-Policy's form-action also names the identity
    provider: signing out posts a form that the portal answers with a redirect to the provider,
    and browsers check form-action against every redirect of a form's submission. (Read at
    each response, so settings changed at run time, as the tests do, are followed.)"""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if getattr(settings, "KCCPERF_SSO_ENABLED", False):
            from kccperf.sso.config import sso_origin

            origin = sso_origin(settings.KCCPERF_OIDC_DISCOVERY_URL)
            response._csp_update = {"form-action": [origin]}  # type: ignore[attr-defined]
        return response


SESSION_STARTED = "kccperf_signed_in_at"
SESSION_SEEN = "kccperf_seen_at"


def _login_redirect(request: HttpRequest, reason: str) -> HttpResponse:
    query = urlencode({"next": request.get_full_path(), "signed_out": reason})
    return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{query}")


class IdleSessionTimeoutMiddleware:
    """Sign people out after ``KCCPERF_SESSION_IDLE_MINUTES`` without a request, and after
    ``KCCPERF_SESSION_MAX_HOURS`` however active they are. Signing in stamps both times
    (:func:`stamp_session`); the last-seen time is then rewritten at most every
    :data:`SEEN_PRECISION` seconds, so most requests do not save the session."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(SESSION_STARTED)
            seen = session.get(SESSION_SEEN)
            if started is None or seen is None:  # a session from before these stamps
                started = seen = now
                session[SESSION_STARTED] = session[SESSION_SEEN] = now
            if now - started > settings.KCCPERF_SESSION_MAX_HOURS * 3600:
                logout(request)
                return _login_redirect(request, "expired")
            if now - seen > settings.KCCPERF_SESSION_IDLE_MINUTES * 60:
                logout(request)
                return _login_redirect(request, "idle")
            if now - seen >= SEEN_PRECISION:
                session[SESSION_SEEN] = now
        return self.get_response(request)


# The idle time is measured to within this many seconds.
SEEN_PRECISION = 120
SESSION_TWO_FACTOR = "kccperf_two_factor"


def stamp_session(sender, request: HttpRequest, user, **kwargs) -> None:
    """On sign-in: when the session started, and whether it owes a second factor (worked out
    once here, so pages do not query for devices on every request)."""
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now
    request.session[SESSION_TWO_FACTOR] = _second_factor_owed(request, user)


# Sign-ins through the identity provider (single sign-on): the provider does the second
# factor. Every other backend (passwords, the lockout backend, a test's force_login) is local.
SSO_BACKENDS = {"kccperf.sso.backends.PortalOIDCBackend"}

# Pages a person who still owes a second factor may open.
TWO_FACTOR_EXEMPT = (
    "two-factor-setup",
    "two-factor-verify",
    "logout",
    "healthz",
    "accessibility",
)


def _second_factor_owed(request: HttpRequest, user) -> str | None:
    if request.session.get(BACKEND_SESSION_KEY) in SSO_BACKENDS:
        return None
    from django_otp import user_has_device

    if user_has_device(user):
        return "verify"
    if settings.KCCPERF_REQUIRE_2FA_FOR_STAFF and (user.is_staff or user.is_superuser):
        return "setup"
    return None


def two_factor_due(request: HttpRequest) -> str | None:
    """``"verify"`` or ``"setup"`` when the signed-in person must do that before anything else.

    Applies to local (password) sign-ins only; single sign-on leaves it to the provider.
    Anyone with a confirmed device verifies it; staff and superusers must set one up where
    ``KCCPERF_REQUIRE_2FA_FOR_STAFF`` is on (production by default). Worked out at sign-in
    (:func:`stamp_session`); a session from before that is worked out once, then kept.
    """
    user = request.user
    # OTPMiddleware gives the user is_verified(); a request it has not seen counts as unverified.
    if not user.is_authenticated or getattr(user, "is_verified", lambda: False)():
        return None
    if SESSION_TWO_FACTOR not in request.session:
        request.session[SESSION_TWO_FACTOR] = _second_factor_owed(request, user)
    return request.session[SESSION_TWO_FACTOR]


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        due = two_factor_due(request)
        if due:
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in TWO_FACTOR_EXEMPT:
                target = reverse(f"two-factor-{due}")
                return HttpResponseRedirect(
                    f"{target}?{urlencode({'next': request.get_full_path()})}"
                )
        return self.get_response(request)
