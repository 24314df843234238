"""The portal in a real browser: sign in with the keyboard, navigate, switch period.
(axe-core on every page each role reaches: tests/a11y/test_walk.py.)"""

import pytest
from django.core.management import call_command

from tests.browser_helpers import all_violations, sign_in
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


def test_every_roles_first_day_on_the_demo(page, demo, artifacts):
    """Q3 2019/20 is being collected and Q2 2019/20 is published: the lead officer starts and
    submits a Q3 return at first sign-in; CMT reads the published Q2 reports from Reports."""
    sign_in(page, "lead.officer")
    assert page.get_by_role("heading", level=1).inner_text().startswith("My SDP returns")
    assert "Q3 2019/20" in page.locator(".period-current").inner_text()
    page.screenshot(path=str(artifacts / "first-day-lead-officer.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("link", name="Start").first.click()
    assert "copied from your Q2 2019/20 return" in page.content()
    # This quarter's answers: on track, started, progress.
    page.locator("#id_delivery_0").check()
    page.locator("input[name=started][value=yes]").check()
    page.locator("#id_progress").fill("Placements reviewed with the provider.")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit return").click()
    assert "submitted" in page.locator(".messages").inner_text()
    page.context.clear_cookies()

    sign_in(page, "cmt")
    assert "Q2 2019/20" in page.locator(".period-current").inner_text()
    assert "28 Green" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / "first-day-cmt.png"), full_page=True)
    with page.expect_navigation():
        page.locator("nav.site-nav").get_by_role("link", name="Reports").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Quarterly Performance Report").first.click()
    assert "Quarterly Performance Report" in page.get_by_role("heading", level=1).inner_text()
    assert "Q2 2019/20" in page.get_by_role("heading", level=1).inner_text()
    page.go_back()
    with page.expect_navigation():
        page.get_by_role("link", name="SDP monitoring report: Outcome 1").first.click()
    assert "Outcome 1" in page.get_by_role("heading", level=1).inner_text()
    assert all_violations(page) == []
