"""Sign-in with the identity provider (start, callback) and sign-out."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from kccperf.sso.backends import ProviderUnavailable, provider_metadata

_UNAVAILABLE = "The sign-in service is not answering. Try again shortly."


def _require_sso() -> None:
    if not settings.KCCPERF_SSO_ENABLED:
        raise Http404("Single sign-on is not configured.")


@method_decorator(login_not_required, name="dispatch")
class SignOnStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's authorization endpoint (state, nonce, PKCE kept in
    the session)."""

    def __init__(self, **kwargs):
        # The parent reads the endpoint at construction; it is read from discovery in get().
        View.__init__(self, **kwargs)

    def get(self, request):
        _require_sso()
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_metadata()["authorization_endpoint"]
        except ProviderUnavailable:
            messages.error(request, _UNAVAILABLE)
            return HttpResponseRedirect(reverse("login"))
        self.OIDC_RP_CLIENT_ID = settings.KCCPERF_OIDC_CLIENT_ID
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class SignOnCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code (or an error)."""

    @property
    def failure_url(self) -> str:
        return reverse("login")

    def login_failure(self):
        reason = getattr(self.request, "sso_failure", "")
        if not reason and self.request.GET.get("error"):
            description = self.request.GET.get("error_description", "")[:200]
            reason = "The identity provider did not sign you in" + (
                f": {description}" if description else "."
            )
        messages.error(self.request, reason or "Single sign-on did not sign you in. Try again.")
        return super().login_failure()

    def get(self, request):
        _require_sso()
        try:
            return super().get(request)
        except SuspiciousOperation:
            # A stale or replayed callback (its state is not in this session).
            request.sso_failure = "That sign-in had expired or was already used. Start again."
            return self.login_failure()


class SignOutView(auth_views.LogoutView):
    """Ends the portal's session; after a single sign-on, also the provider's (RP-initiated
    logout) when its discovery document names an ``end_session_endpoint``."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if not (settings.KCCPERF_SSO_ENABLED and id_token):
            return response
        try:
            end_session = provider_metadata().get("end_session_endpoint")
        except ProviderUnavailable:
            return response
        if not end_session:
            return response
        query = urlencode(
            {
                "id_token_hint": id_token,
                "client_id": settings.KCCPERF_OIDC_CLIENT_ID,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
            }
        )
        return HttpResponseRedirect(f"{end_session}?{query}")
