"""Single sign-on settings and a provider's discovery document for tests that do not need the
real provider (tests/kccperf/test_sso_browser.py starts that one)."""

from __future__ import annotations

import time

from kccperf.sso import backends

FAKE_DISCOVERY_URL = "https://sso.invalid/.well-known/openid-configuration"
FAKE_ISSUER = "https://sso.invalid"

SSO_SETTINGS = {
    "KCCPERF_SSO_ENABLED": True,
    "KCCPERF_OIDC_DISCOVERY_URL": FAKE_DISCOVERY_URL,
    "KCCPERF_OIDC_CLIENT_ID": "kccperf",
    "KCCPERF_OIDC_CLIENT_SECRET": "not-a-secret",
}


def fake_provider(cast=None) -> dict:
    """Put a discovery document for ``sso.invalid`` in the cache (nothing is fetched)."""
    backends._discovery[FAKE_DISCOVERY_URL] = (
        time.monotonic(),
        {
            "issuer": FAKE_ISSUER,
            "authorization_endpoint": f"{FAKE_ISSUER}/auth",
            "token_endpoint": f"{FAKE_ISSUER}/token",
            "jwks_uri": f"{FAKE_ISSUER}/jwks",
            "end_session_endpoint": f"{FAKE_ISSUER}/session/end",
        },
    )
    return {}
