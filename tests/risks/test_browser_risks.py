"""In the browser: a risk manager records a refresh with a changed score; every risk page
has no serious or critical axe violations. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kccperf import demo as organisation_demo
from kccperf.periods import Quarter
from risks import demo as risks_demo
from risks.models import MitigatingAction, Risk, RiskHistory, RiskRefresh
from tests.browser_helpers import serious_violations, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _patient_page(page):
    # The shared 2-core machine can be very busy: allow slow page loads.
    page.set_default_timeout(30000)


def signed_in(page, username: str, next_url: str = "/") -> None:
    """Sign in and wait until the signed-in page has loaded (slow when tests run in parallel)."""
    sign_in(page, username, next_url=next_url)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30000)


@pytest.fixture
def demo(transactional_db):
    organisation_demo.load(PASSWORD)
    risks_demo.load(PASSWORD)


def test_a_risk_manager_records_a_refresh_with_a_changed_score(page, demo, artifacts):
    signed_in(page, "risk.manager", next_url=reverse("risks:register"))
    page.get_by_role("link", name="Record a refresh").click()
    # Pre-filled with the quarter after the latest refresh (Q2 2019/20).
    assert page.get_by_label("Date of the refresh").input_value() == "31/12/2019"
    assert page.get_by_label("Name").input_value() == "Q3 2019/20"
    # Only the risks picked get score fields: tick the one whose scores changed.
    assert page.locator(".refresh-form select").count() == 0
    page.locator("#pick-CRR0039").check()
    # The page comes back at the same address: wait for the new one, not the old.
    with page.expect_navigation():
        page.get_by_role("button", name="Enter new scores for the ticked risks").first.click()
    line = page.locator("#line-CRR0039")
    assert page.locator(".refresh-line").count() == 1
    assert page.get_by_label("Name").input_value() == "Q3 2019/20"
    page.screenshot(path=artifacts / "risks-refresh-picked.png", full_page=True)
    # Enter in a field shows the form again, keeping what was typed: it never records the
    # refresh (nor presses the first risk's "keep the current scores").
    page.get_by_label("Name").fill("Q3 2019/20")
    with page.expect_navigation():
        page.get_by_label("Name").press("Enter")
    assert RiskRefresh.objects.count() == 2
    assert page.locator(".refresh-line").count() == 1
    line.get_by_label("Current likelihood").select_option("3")  # 16 -> 12
    page.get_by_role("button", name="Record the refresh").click()

    # Refused: the reason is missing; the error summary links to the field.
    summary = page.locator("[data-error-summary]")
    assert "CRR0039: enter the reason" in summary.inner_text()
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "risks-refresh-error.png", full_page=False)
    assert RiskRefresh.objects.count() == 2
    summary.get_by_role("link").first.click()
    reason = page.locator("#line-CRR0039").get_by_label("Reason for change")
    assert reason.evaluate("el => el === document.activeElement")
    reason.press_sequentially("New controls on Office 365 reduce the likelihood.")
    # The form kept what was entered.
    assert page.locator("#line-CRR0039").get_by_label("Current likelihood").input_value() == "3"
    reason.press("Tab")
    page.get_by_role("button", name="Record the refresh").press("Enter")

    expect(page).to_have_url(re.compile(r"/risks/refreshes/[0-9]+/"), timeout=30000)
    assert "Refresh Q3 2019/20 recorded for 19 risks" in page.inner_text(".messages")
    changed = page.locator("#changed-risks tbody tr")
    assert changed.count() == 1
    assert "16 → 12" in changed.first.inner_text()
    assert "reduce the likelihood" in changed.first.inner_text()
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "risks-refresh-overview.png", full_page=True)
    risk = Risk.objects.get(ref="CRR0039")
    assert risk.current_score == 12
    assert RiskHistory.objects.filter(risk=risk).count() == 1


def _pages() -> list[tuple[str, str]]:
    risk = Risk.objects.get(ref="CRR0002")
    action = MitigatingAction.objects.filter(risk__ref="CRR0040").first()
    q2 = Quarter(2019, 2)
    refresh = RiskRefresh.objects.get(label="Q2 2019/20")
    return [
        ("register", reverse("risks:register")),
        ("register-filtered", reverse("risks:register") + "?level=High"),
        ("overview", reverse("risks:overview-period", kwargs={"period": q2})),
        ("overview-refresh", reverse("risks:overview-refresh", args=[refresh.pk])),
        ("overview-default", reverse("risks:overview")),
        ("heatmap", reverse("risks:heatmap-period", kwargs={"period": q2})),
        ("heatmap-default", reverse("risks:heatmap")),
        ("detail", reverse("risks:risk-detail", args=[risk.ref])),
        ("detail-removed", reverse("risks:risk-detail", args=["CRR0013"])),
        ("create", reverse("risks:risk-create")),
        ("edit", reverse("risks:risk-edit", args=[risk.ref])),
        ("remove", reverse("risks:risk-remove", args=[risk.ref])),
        ("refresh-record", reverse("risks:refresh-record")),
        ("action-create", reverse("risks:action-create", args=[risk.ref])),
        ("action-edit", reverse("risks:action-edit", args=[action.pk])),
        ("action-update", reverse("risks:action-update", args=[action.pk])),
        ("crosscheck", reverse("risks:crosscheck")),
        ("crosscheck-period", reverse("risks:crosscheck-period", kwargs={"period": q2})),
        ("import", reverse("risks:import")),
        ("home", reverse("home")),
    ]


def test_every_risk_page_has_no_serious_accessibility_violations(page, demo, artifacts):
    signed_in(page, "risk.manager")
    found = {}
    for name, url in _pages():
        page.goto(url)
        assert page.locator("h1").count() == 1, name
        violations = serious_violations(page)
        if violations:
            found[name] = violations
        page.screenshot(path=artifacts / f"risks-{name}.png", full_page=True)
    assert found == {}


def test_forms_with_errors_have_no_serious_accessibility_violations(page, demo, artifacts):
    signed_in(page, "risk.manager")
    found = {}
    for name, url in [
        ("create-errors", reverse("risks:risk-create")),
        ("remove-errors", reverse("risks:risk-remove", args=["CRR0002"])),
        ("action-create-errors", reverse("risks:action-create", args=["CRR0002"])),
    ]:
        page.goto(url)
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector("[data-error-summary]")
        violations = serious_violations(page)
        if violations:
            found[name] = violations
        page.screenshot(path=artifacts / f"risks-{name}.png", full_page=True)
    assert found == {}


def test_a_cmt_member_reads_the_register_and_heat_maps_printably(page, demo, artifacts):
    signed_in(page, "cmt")
    page.goto(reverse("risks:heatmap-period", kwargs={"period": Quarter(2019, 2)}))
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert page.locator("#heatmap-current").is_visible()
    page.screenshot(path=artifacts / "risks-heatmap-print.png", full_page=True)
    page.emulate_media(media="screen")
    page.goto(reverse("risks:register"))
    assert serious_violations(page) == []
    assert page.get_by_role("link", name="Add a risk").count() == 0
