"""Issue 12: the portal refuses to start in production with a weak key, silenced checks or
without HTTPS, and `check --deploy` fails the same way (run in a subprocess, as an operator would).
"""

import pytest

from kccperf.checks import production_gate
from tests.kccperf.test_settings import _run_check

GOOD_KEY = "Zq8-uX3rT0vKp2LmN7wYbC5dE1fGhJ4sA9oI6yWqR2tU8iO0pL3kJ7hG"
PRODUCTION = {"KCCPERF_ENV": "production", "ALLOWED_HOSTS": "perf.kent.gov.uk", "DEBUG": "false"}


def _deploy_check(**env):
    return _run_check({**PRODUCTION, "SECRET_KEY": GOOD_KEY, **env}, "--deploy")


def test_check_deploy_passes_with_a_strong_key_and_https():
    result = _deploy_check()
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("x", "is 1 characters long, shorter than 50"),
        ("k" * 49, "is 49 characters long"),
        ("ab" * 40, "fewer than 5 different characters"),
        ("development-only-not-secret-kccperf", "known development default"),
        ("django-insecure-" + GOOD_KEY, "known development default"),
    ],
)
def test_check_deploy_fails_on_a_weak_secret_key(key, reason):
    result = _deploy_check(SECRET_KEY=key)
    assert result.returncode != 0
    assert reason in result.stderr
    assert "refusing to start in production" in result.stderr


def test_deploy_checks_cannot_be_silenced_from_the_environment():
    result = _deploy_check(SILENCED_SYSTEM_CHECKS="security.W004,security.W008,security.W009")
    assert result.returncode != 0
    assert "SILENCED_SYSTEM_CHECKS is not read from the environment" in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECURE_SSL_REDIRECT": "false"}, "SECURE_SSL_REDIRECT must be on"),
        ({"SECURE_HSTS_SECONDS": "0"}, "SECURE_HSTS_SECONDS must be at least"),
    ],
)
def test_production_refuses_to_start_without_https(env, message):
    result = _deploy_check(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_system_check_reports_each_problem_as_an_error(settings):
    settings.PRODUCTION = True
    settings.SECRET_KEY = "short"
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.SILENCED_SYSTEM_CHECKS = ["security.W004"]
    errors = production_gate()
    assert [e.id for e in errors] == ["kccperf.E001"] + ["kccperf.E002"] * 5 + ["kccperf.E003"]
    assert all(e.is_serious() for e in errors)


def test_the_system_check_is_quiet_outside_production(settings):
    settings.PRODUCTION = False
    settings.SECRET_KEY = "short"
    assert production_gate() == []
