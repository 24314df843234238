"""Single sign-on settings read from the environment (imported by ``kccperf/settings.py``).

Pure functions: no Django model or app is imported here, so settings can call them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# A role map's value may be one of the portal's roles (a Group, kccperf.roles.ROLE_NAMES) or
# this word, which makes the person staff (the admin site, limited to their roles' permissions).
STAFF = "staff"


def discovery_url(discovery: str, issuer: str) -> str:
    """The provider's discovery document: given, or the issuer's well-known address."""
    if discovery:
        return discovery
    if issuer:
        return issuer.rstrip("/") + "/.well-known/openid-configuration"
    return ""


def sso_origin(discovery: str) -> str:
    """The provider's origin (scheme, host and port) from its discovery URL: where sign-in and
    sign-out forms may send the browser (the Content-Security-Policy's form-action)."""
    parts = urlsplit(discovery)
    return f"{parts.scheme}://{parts.netloc}"


def parse_role_map(raw: str) -> dict[str, frozenset[str]]:
    """``KCCPERF_OIDC_ROLE_MAP`` -> {provider group: portal roles}.

    Two spellings: JSON, ``{"<group>": "Analyst", "<group2>": ["Analyst", "staff"]}``, or
    ``<group>=Analyst;<group2>=CMT`` (a group may appear more than once). Group ids/names are
    compared exactly; role names are checked against the portal's roles by a system check.
    """
    raw = raw.strip()
    if not raw:
        return {}
    pairs: list[tuple[str, str]] = []
    if raw.startswith(("{", "[")):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ImproperlyConfigured(f"KCCPERF_OIDC_ROLE_MAP is not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise ImproperlyConfigured("KCCPERF_OIDC_ROLE_MAP must be a JSON object")
        for group, roles in data.items():
            for role in [roles] if isinstance(roles, str) else roles:
                if not isinstance(role, str):
                    raise ImproperlyConfigured(
                        f"KCCPERF_OIDC_ROLE_MAP: the roles of {group!r} must be names"
                    )
                pairs.append((group, role))
    else:
        for item in raw.split(";"):
            if not item.strip():
                continue
            group, sep, role = item.rpartition("=")
            if not sep or not group.strip() or not role.strip():
                raise ImproperlyConfigured(
                    f"KCCPERF_OIDC_ROLE_MAP: {item.strip()!r} is not group=Role "
                    "(separate pairs with ';')"
                )
            pairs.append((group, role))
    mapping: dict[str, set[str]] = {}
    for group, role in pairs:
        mapping.setdefault(group.strip(), set()).add(role.strip())
    return {group: frozenset(roles) for group, roles in mapping.items()}


def unknown_roles(role_map: Mapping[str, frozenset[str]], role_names: tuple[str, ...]) -> set[str]:
    """Role names in the map that are neither a portal role nor ``staff``."""
    known = {*role_names, STAFF}
    return {role for roles in role_map.values() for role in roles} - known


def roles_granted(
    groups: list[str], role_map: Mapping[str, frozenset[str]]
) -> tuple[frozenset[str], frozenset[str]]:
    """(roles the person's provider groups grant, every role the map manages).

    Roles the map does not mention are not managed: a sign-in neither adds nor removes them.
    """
    managed = frozenset(role for roles in role_map.values() for role in roles)
    granted = frozenset(role for group in groups for role in role_map.get(group, ()))
    return granted, managed
