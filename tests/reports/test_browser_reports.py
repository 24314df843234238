"""In the browser: an analyst opens the QPR draft from the navigation, publishes it; CMT
reads it; the QPR prints to a PDF (pages saved to test-artifacts/ and looked at); every
report page has no serious or critical axe violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kccperf import demo as organisation_demo
from kpis import demo as kpis_demo
from monitoring.models import Delivery
from reports import demo as reports_demo
from reports.models import ReportTable, ReportVersion
from risks import demo as risks_demo
from tests.browser_helpers import serious_violations, sign_in
from tests.factories import PASSWORD
from tests.monitoring.factories import make_activity, make_return

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    # The QPR's sources (organisation, KPIs, risks, supporting tables) and a few SDP returns.
    organisation_demo.load(PASSWORD)
    kpis_demo.load(PASSWORD)
    risks_demo.load(PASSWORD)
    reports_demo.load_tables()  # the analyst publishes in these tests
    from kccperf.models import Outcome

    outcome = Outcome.objects.get(number=1)
    for delivery in (Delivery.ON_TRACK, Delivery.REMEDIAL, Delivery.UNLIKELY):
        make_return(make_activity(outcome=outcome), delivery=delivery)


def signed_in(page, username: str, next_url: str = "/") -> None:
    sign_in(page, username, next_url=next_url)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_an_analyst_publishes_the_qpr_and_cmt_reads_and_prints_it(page, demo, artifacts):
    signed_in(page, "analyst", next_url="/reports/2019-20-q2/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reports")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Quarterly Performance Report").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Quarterly Performance Report, Q2 2019/20"
    )
    assert "Draft:" in page.inner_text(".report-bar")
    assert serious_violations(page) == []
    page.get_by_label("Note for this version (optional)").fill("For CMT")
    page.get_by_role("button", name="Publish this report").click()
    expect(page.locator(".messages")).to_contain_text("Published Quarterly Performance Report")
    assert ReportVersion.objects.count() == 1

    context = page.context
    context.clear_cookies()
    signed_in(page, "cmt", next_url="/reports/qpr/2019-20-q2/")
    expect(page.locator(".report-bar")).to_contain_text("Published version 1")
    assert page.locator(".report-kpi").count() == 35
    # Charts are drawn as they come into view: not all of them at once ...
    drawn = page.evaluate("document.querySelectorAll('.chart-plot[data-drawn]').length")
    assert drawn < page.locator(".chart-plot").count()
    # ... and every one before printing.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    # A function, not an expression: Playwright polls an expression with eval, which the
    # portal's CSP (no 'unsafe-eval') refuses once the first check finds the charts not drawn.
    page.wait_for_function(
        "() => document.querySelectorAll('.chart-plot .main-svg').length"
        " >= document.querySelectorAll('.chart-plot').length"
    )
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "reports-qpr.png", full_page=False)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True, path=artifacts / "reports-qpr.pdf")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    # Key, summary, six directorates and the risk overview each start a page.
    assert pages >= 9
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.is_visible()


def test_report_pages_have_no_serious_accessibility_violations(page, demo, artifacts):
    signed_in(page, "analyst", next_url="/reports/sdp/2019-20-q2/outcome-1/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Strategic Outcome 1")
    for n in (0, 1):  # charts are drawn as they come into view
        page.locator(".chart-plot").nth(n).scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelectorAll('.chart-plot .main-svg').length >= 2")
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "reports-sdp-outcome-1.png", full_page=False)
    for url in (
        "/reports/sdp/2019-20-q2/",
        "/reports/qpr/2019-20-q2/texts/",
        "/reports/sdp/2019-20-q2/outcome-1/texts/",
        "/reports/tables/2019-20-q2/",
        f"/reports/tables/{ReportTable.objects.get(slug='children-in-care').pk}/edit/",
        "/reports/tables/import/",
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert serious_violations(page) == [], url
    page.screenshot(path=artifacts / "reports-table-import.png", full_page=False)
    # A bad value on the edit page: the error summary links to the cell.
    page.goto(f"/reports/tables/{ReportTable.objects.get(slug='calls-by-service').pk}/edit/")
    page.get_by_label("Highways, Jul–Sep 19").fill("many")
    page.get_by_role("button", name="Save table").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Highways, Jul–Sep 19: Enter a number")
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "reports-table-edit-error.png", full_page=False)
    summary.get_by_role("link").first.click()
    assert page.get_by_label("Highways, Jul–Sep 19").evaluate("el => el === document.activeElement")
    # Publish, then the published page and its versions page.
    page.goto("/reports/sdp/2019-20-q2/outcome-1/")
    page.get_by_role("button", name="Publish this report").click()
    expect(page.locator(".report-bar")).to_contain_text("Published version 1")
    assert serious_violations(page) == []
    page.goto("/reports/sdp/2019-20-q2/outcome-1/versions/")
    assert serious_violations(page) == []
