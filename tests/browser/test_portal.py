"""The portal in a real browser: sign in with the keyboard, navigate, switch period, and
axe-core on every page the navigation reaches, for every role."""

import pytest
from django.core.management import call_command

from tests.browser_helpers import serious_violations, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

ROLES = ["lead.officer", "cmt", "analyst", "risk.manager", "admin"]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--no-migrate", password=PASSWORD, verbosity=0)


def test_signing_in_and_moving_around_with_the_keyboard(page, demo):
    page.goto("/")
    assert "/accounts/login/" in page.url
    page.goto("/accounts/login/?next=/")
    page.get_by_label("Username").focus()
    page.keyboard.type("cmt")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Council overview")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    assert "Q2 2019/20" in page.locator(".period-current").inner_text()

    # The period switcher works from the keyboard and keeps you on the same page.
    page.get_by_label("Reporting period").focus()
    page.get_by_label("Reporting period").select_option("2019-20-q1")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/")
    assert "Q1 2019/20" in page.locator(".period-current").inner_text()

    # Every navigation link is reachable by tabbing.
    links = page.locator("nav.site-nav a")
    labels = links.all_inner_texts()
    assert labels[:1] == ["Home"]
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "document.activeElement.closest('nav.site-nav')"
            " ? document.activeElement.textContent : ''"
        )
        if text:
            reached.add(text.strip())
    assert reached == set(labels)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_in_the_navigation_is_accessible(page, demo, artifacts, username):
    sign_in(page, username)
    page.screenshot(path=str(artifacts / f"home-{username}.png"), full_page=True)
    assert page.locator(".account-name").is_visible()
    hrefs = page.locator("nav.site-nav a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert hrefs, "no navigation"
    failures = {}
    for href in hrefs:
        response = page.goto(href)
        assert response.status == 200, f"{username} {href}: {response.status}"
        violations = serious_violations(page)
        if violations:
            failures[href] = violations
    assert failures == {}
