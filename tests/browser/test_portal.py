"""The portal in a real browser: sign in with the keyboard, navigate, switch period.
(axe-core on every page each role reaches: tests/a11y/test_walk.py.)"""

import pytest
from django.core.management import call_command

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


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
