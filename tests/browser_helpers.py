"""Helpers for Playwright tests: signing in and running axe-core."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD

_axe = Axe()


def sign_in(page, username: str, password: str = PASSWORD, *, next_url: str = "/") -> None:
    """Sign in through the real login form, using the keyboard."""
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_label("Password").press("Enter")


def serious_violations(page) -> list[dict]:
    """axe-core violations of impact serious or critical on the current page."""
    results = _axe.run(page)
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def all_violations(page) -> list[dict]:
    """axe-core violations of any impact on the current page."""
    results = _axe.run(page, options={"resultTypes": ["violations"]})
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results.response["violations"]
    ]
