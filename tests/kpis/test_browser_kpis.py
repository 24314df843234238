"""The KPI pages in a real browser: keyboard filtering, links from the summary to the
filtered scorecard, charts drawn, and axe-core on every KPI page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kccperf import demo as organisation_demo
from kpis import demo
from tests.browser_helpers import serious_violations, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

Q2 = "2019-20-q2"
PAGES = [
    ("scorecard", f"/kpis/{Q2}/"),
    ("scorecard-filtered", f"/kpis/{Q2}/?rag=AMBER&sort=-rag"),
    ("summary", f"/kpis/summary/{Q2}/"),
    ("directorate-cype", f"/kpis/directorates/children-young-people-education/{Q2}/"),
    ("directorate-cs", f"/kpis/directorates/customer-services/{Q2}/"),
    ("kpi-cype05", f"/kpis/kpi/CYPE05/{Q2}/"),
    ("kpi-asc02", f"/kpis/kpi/ASC02/{Q2}/"),
    ("indicator-website", f"/kpis/indicators/cs-website-visits/{Q2}/"),
    ("indicator-employment", f"/kpis/indicators/edc-employment-rate/{Q2}/"),
]


def sign_in_to(page, username: str, url: str) -> None:
    """Sign in and wait until the browser has landed on ``url`` (the login's redirect)."""
    sign_in(page, username, next_url=url)
    page.wait_for_url(lambda current: "/accounts/login/" not in current)


@pytest.fixture
def demo_data(transactional_db):
    organisation_demo.load(PASSWORD)
    demo.load(PASSWORD)


def test_every_kpi_page_has_no_serious_accessibility_violations(page, demo_data, artifacts):
    sign_in_to(page, "analyst", "/kpis/")
    for name, url in PAGES:
        page.goto(url)
        if page.locator(".chart-plot").count():
            page.locator(".chart-plot").first.scroll_into_view_if_needed()  # drawn when seen
            page.wait_for_selector(".chart-plot .main-svg")
        page.screenshot(path=str(artifacts / f"kpis-{name}.png"), full_page=True)
        assert serious_violations(page) == [], name


def test_filtering_the_scorecard_with_the_keyboard(page, demo_data, artifacts):
    sign_in_to(page, "cmt", f"/kpis/{Q2}/")
    expect(page.locator("tbody tr")).to_have_count(35)
    page.get_by_label("Directorate").focus()
    page.get_by_label("Directorate").select_option("children-young-people-education")
    page.keyboard.press("Tab")
    page.get_by_label("RAG rating").select_option("AMBER")
    page.get_by_role("button", name="Apply filters").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("tbody tr")).to_have_count(5)
    assert set(page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.rag)")) == {
        "AMBER"
    }
    assert "Showing 5 KPIs matching the filters." in page.locator(".results-count").inner_text()
    # Sorting is a link in the column header.
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(r"^Current")).press("Enter")
    assert "sort=current" in page.url and "rag=AMBER" in page.url
    assert page.locator("tbody tr").count() == 5
    page.screenshot(path=str(artifacts / "kpis-scorecard-keyboard-filter.png"), full_page=True)


def test_each_summary_number_opens_the_kpis_behind_it(page, demo_data):
    sign_in_to(page, "cmt", f"/kpis/summary/{Q2}/")
    with page.expect_navigation():
        page.locator("#summary-sentence").get_by_role("link", name="up 4").click()
    codes = page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert sorted(codes) == ["CYPE09", "ET01", "ET04", "PH01"]
    page.go_back()
    with page.expect_navigation():
        page.locator("#summary-sentence").get_by_role("link", name="11 worsened").click()
    expect(page.locator("tbody tr")).to_have_count(11)


def test_lead_officers_cannot_open_the_scorecards(page, demo_data):
    sign_in_to(page, "lead.officer", "/")
    response = page.goto(f"/kpis/{Q2}/")
    assert response.status == 403
