"""Authentication backends: OpenID Connect (mozilla-django-oidc, endpoints from the provider's
discovery document) and passwords, which obey ``KCCPERF_LOCAL_LOGIN``."""

from __future__ import annotations

import logging
import time
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from kccperf.backends import KeptPermissionsMixin
from kccperf.sso.services import SignOnRefused, sign_in_user

log = logging.getLogger(__name__)

# Discovery documents by URL: (fetched at, document). Providers rotate keys, not endpoints;
# the JWKS itself is fetched at each sign-in by mozilla-django-oidc.
_DISCOVERY_TTL = 3600
_discovery: dict[str, tuple[float, dict[str, Any]]] = {}


class ProviderUnavailable(Exception):
    """The identity provider's discovery document could not be read."""


def provider_metadata() -> dict[str, Any]:
    """The provider's discovery document (cached an hour per process)."""
    url = settings.KCCPERF_OIDC_DISCOVERY_URL
    cached = _discovery.get(url)
    if cached and time.monotonic() - cached[0] < _DISCOVERY_TTL:
        return cached[1]
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        log.error("Single sign-on: cannot read the discovery document %s: %s", url, exc)
        raise ProviderUnavailable(str(exc)) from exc
    missing = {"issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"} - set(document)
    if missing:
        raise ProviderUnavailable(f"the discovery document lacks {sorted(missing)}")
    _discovery[url] = (time.monotonic(), document)
    return document


def clear_provider_metadata() -> None:
    _discovery.clear()


def password_sign_in_allowed(username: str | None) -> bool:
    """Local passwords are for everyone, or (``KCCPERF_LOCAL_LOGIN=off`` with single sign-on)
    only for the named break-glass accounts."""
    if settings.KCCPERF_LOCAL_LOGIN or not settings.KCCPERF_SSO_ENABLED:
        return True
    return username is not None and username in settings.KCCPERF_BREAK_GLASS_USERS


class LocalPasswordBackend(KeptPermissionsMixin, ModelBackend):
    """Django's password backend, refusing people whose password sign-in is turned off (so the
    portal's login form, the admin's and any other path obey the same rule)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not password_sign_in_allowed(username):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class PortalOIDCBackend(KeptPermissionsMixin, OIDCAuthenticationBackend):
    """Signs in with the authorization code flow: code exchanged at the token endpoint, ID
    token checked (RS256 signature against the provider's JWKS, issuer, audience, expiry,
    nonce), the person found by their stable claim and given the roles their groups map to.

    Endpoints are read from the discovery document only when a sign-in needs them, so password
    sign-ins (break-glass accounts) work while the provider is down.
    """

    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_IDP_SIGN_KEY = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The parent reads every endpoint at construction; here they are properties.
        self.UserModel = get_user_model()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802 - the parent's attribute name
        return provider_metadata()["token_endpoint"]

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:  # noqa: N802
        return provider_metadata()["jwks_uri"]

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:  # noqa: N802
        return provider_metadata().get("userinfo_endpoint", "")

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:  # noqa: N802
        return settings.KCCPERF_OIDC_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:  # noqa: N802
        return settings.KCCPERF_OIDC_CLIENT_SECRET

    def authenticate(self, request, **kwargs):
        if not settings.KCCPERF_SSO_ENABLED or request is None:
            return None
        # Only the callback view passes the nonce it kept in the session; a password POST with
        # a code in its query string is not a sign-in.
        if "nonce" not in kwargs or "code" not in request.GET or "state" not in request.GET:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except ProviderUnavailable:
            request.sso_failure = "The sign-in service is not answering. Try again shortly."
        except (SuspiciousOperation, requests.RequestException) as exc:
            log.warning("Single sign-on refused: %s", exc)
            request.sso_failure = "The sign-in could not be completed. Try again."
        return None

    def get_user(self, user_id):
        # Django's check (inactive users are signed out at their next request), which the
        # parent's get_user skips.
        return ModelBackend.get_user(self, user_id)

    def _verify_jws(self, payload, key):
        """The ID token's signature (RS256 only), issuer, audience and expiry."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {header.get('alg')!r}, not RS256")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=provider_metadata()["issuer"],
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=60,
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc
        audience = claims["aud"]
        if isinstance(audience, list) and len(audience) > 1:
            if claims.get("azp") != self.OIDC_RP_CLIENT_ID:
                raise SuspiciousOperation("ID token for several audiences without our azp")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        # The verified ID token's claims: Entra ID puts oid and groups there, not in userinfo.
        return payload

    def verify_claims(self, claims):
        return bool(claims.get(settings.KCCPERF_OIDC_USER_CLAIM))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            self.request.sso_failure = (
                f"The identity provider did not send the "
                f"{settings.KCCPERF_OIDC_USER_CLAIM!r} claim that identifies you."
            )
            return None
        try:
            return sign_in_user(provider_metadata()["issuer"], claims)
        except SignOnRefused as exc:
            self.request.sso_failure = str(exc)
            return None
        except IntegrityError:
            # The same person's first sign-in finished in another tab a moment ago.
            self.request.sso_failure = "You were signing in twice at once. Try again."
            return None
