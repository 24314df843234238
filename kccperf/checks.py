"""The strict production gate (issue 12) as system checks.

``kccperf/settings.py`` already refuses to start in production with a weak ``SECRET_KEY`` or
without HTTPS (gunicorn runs no system checks); these checks repeat the rules as *errors*, so
``manage.py check`` and ``check --deploy`` fail on a configuration changed after start-up (for
example by a settings override) and name what to fix. Django's own deploy checks only warn.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_UNIQUE_CHARACTERS = 5
MIN_HSTS_SECONDS = 31_536_000  # one year


def secret_key_problem(key: str, development_key: str) -> str | None:
    """Why ``key`` is too weak for production, or ``None`` when it will do."""
    if not key:
        return "is not set"
    if key == development_key or key.startswith("django-insecure-"):
        return "is the known development default"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"is {len(key)} characters long, shorter than {MIN_SECRET_KEY_LENGTH}"
    if len(set(key)) < MIN_SECRET_KEY_UNIQUE_CHARACTERS:
        return f"has fewer than {MIN_SECRET_KEY_UNIQUE_CHARACTERS} different characters"
    return None


def https_problems(values: Any) -> list[str]:
    """What is missing from the HTTPS settings ``values`` (the settings module or object)."""
    problems = []
    if not getattr(values, "SECURE_SSL_REDIRECT", False):
        problems.append("SECURE_SSL_REDIRECT must be on (plain HTTP is redirected to HTTPS)")
    if getattr(values, "SECURE_HSTS_SECONDS", 0) < MIN_HSTS_SECONDS:
        problems.append(f"SECURE_HSTS_SECONDS must be at least {MIN_HSTS_SECONDS} (one year)")
    if not getattr(values, "SESSION_COOKIE_SECURE", False):
        problems.append("SESSION_COOKIE_SECURE must be on")
    if not getattr(values, "CSRF_COOKIE_SECURE", False):
        problems.append("CSRF_COOKIE_SECURE must be on")
    if not getattr(values, "SECURE_PROXY_SSL_HEADER", None):
        problems.append("SECURE_PROXY_SSL_HEADER must name the proxy's HTTPS header")
    return problems


@register(Tags.security, deploy=False)
def production_gate(app_configs: Iterable[Any] | None = None, **kwargs: Any) -> list[Error]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    errors = []
    problem = secret_key_problem(settings.SECRET_KEY, settings.DEVELOPMENT_SECRET_KEY)
    if problem:
        errors.append(
            Error(
                f"SECRET_KEY {problem}.",
                hint=f"Set SECRET_KEY to at least {MIN_SECRET_KEY_LENGTH} random characters, "
                "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="kccperf.E001",
            )
        )
    for problem in https_problems(settings):
        errors.append(Error(problem, hint="See README 'Running in production'.", id="kccperf.E002"))
    if settings.SILENCED_SYSTEM_CHECKS:
        errors.append(
            Error(
                "System checks are silenced in production.",
                hint="Remove SILENCED_SYSTEM_CHECKS and fix what the checks report.",
                id="kccperf.E003",
            )
        )
    return errors
