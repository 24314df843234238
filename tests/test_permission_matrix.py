"""Every URL pattern × anonymous and each role -> expected status (see tests/matrix.py)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import LOGIN, WHO, UrlCase

TESTS = Path(__file__).resolve().parent


def _collect_cases() -> list[UrlCase]:
    cases = []
    for module in pkgutil.iter_modules([str(TESTS)]):
        if not module.ispkg:
            continue
        try:
            matrix = importlib.import_module(f"tests.{module.name}.urls_matrix")
        except ModuleNotFoundError:
            continue
        cases.extend(matrix.CASES)
    return cases


CASES = _collect_cases()


def _project_url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if inner.startswith("admin:"):
                continue  # the admin site is checked as a whole below
            names |= _project_url_names(entry, inner)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                raise AssertionError(f"URL pattern {entry.pattern} has no name")
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_url_pattern_is_in_the_permission_matrix():
    covered = {case.url_name for case in CASES}
    unregistered = sorted(_project_url_names() - covered)
    assert not unregistered, f"add these to tests/<app>/urls_matrix.py: {unregistered}"


def _params():
    for case in CASES:
        for who in WHO:
            suffix = f"-{case.id}" if case.id else ""
            yield pytest.param(case, who, id=f"{case.url_name}{suffix}-{who}")


@pytest.mark.parametrize(("case", "who"), list(_params()))
def test_permission_matrix(client, cast, settings, case, who):
    for name, value in case.settings.items():
        setattr(settings, name, value)
    kwargs = case.setup(cast)
    url = reverse(case.url_name, kwargs=kwargs)
    if case.query:
        url = f"{url}?{case.query}"
    if who != "anonymous":
        client.force_login(cast[who])
    response = getattr(client, case.method)(url, case.data)
    expected = case.expect[who]
    if expected == LOGIN:
        assert response.status_code == 302, f"{url} as {who}: {response.status_code}"
        assert response["Location"].startswith(reverse("login")), response["Location"]
    else:
        assert response.status_code == expected, f"{url} as {who}: got {response.status_code}"


@pytest.mark.parametrize("who", WHO)
def test_the_admin_site_is_for_staff_only(client, cast, who):
    if who != "anonymous":
        client.force_login(cast[who])
    response = client.get(reverse("admin:index"))
    if who == "root":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
