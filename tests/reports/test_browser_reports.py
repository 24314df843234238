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
    assert serious_violations(page) == []
    # The report on screen is in parts: the front, each directorate a page at a time, the
    # risk overview; all 35 KPIs across them, each part printed on its own.
    kpis = printed_pages = 0
    parts = page.locator(".report-contents a").evaluate_all("links => links.map(a => a.href)")
    assert len(parts) == 8
    for number, url in enumerate(parts):
        page.goto(url)
        while True:
            kpis += page.locator(".report-kpi").count()
            printed_pages += _printed_pages(page, artifacts, f"reports-qpr-part-{number}")
            following = page.get_by_role("link", name=re.compile("^Next page of"))
            if not following.count():
                break
            following.click()
    assert kpis == 35
    # Key, summary, six directorates and the risk overview each start a page.
    assert printed_pages >= 9
    page.emulate_media(media="print")
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.is_visible()


def _printed_pages(page, artifacts, name: str) -> int:
    """Draw every chart of the page shown (as a person's browser does before printing),
    print it to A4 and count the PDF's pages."""
    page.emulate_media(media="screen")
    # Charts are drawn as they come into view: not all of them at once ...
    charts = page.locator(".chart-plot").count()
    if charts > 2:
        drawn = page.evaluate("document.querySelectorAll('.chart-plot[data-drawn]').length")
        assert drawn < charts
    # ... and every one before printing.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    # A function, not an expression: Playwright polls an expression with eval, which the
    # portal's CSP (no 'unsafe-eval') refuses once the first check finds the charts not drawn.
    page.wait_for_function(
        "() => document.querySelectorAll('.chart-plot .main-svg').length"
        " >= document.querySelectorAll('.chart-plot').length"
    )
    page.screenshot(path=artifacts / f"{name}.png", full_page=False)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True, path=artifacts / f"{name}.pdf")
    page.emulate_media(media="screen")
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_a_directorate_part_is_accessible_and_its_pager_works_by_keyboard(page, demo, artifacts):
    """Children, Young People and Education holds 29 items in the demo: two pages of 25."""
    reports_demo.publish_seed_quarter()
    signed_in(page, "cmt", next_url="/reports/qpr/2019-20-q2/")
    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name="Children, Young People and Education").click()
    expect(page.get_by_role("heading", level=2, name="Children, Young People and Education"))
    link = page.get_by_role("navigation", name="Contents").locator('[aria-current="page"]')
    expect(link).to_have_text("Children, Young People and Education")
    expect(page.locator(".part-count")).to_have_text("Items 1–25 of 29")
    page.locator(".chart-plot").first.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.chart-plot .main-svg') !== null")
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "reports-qpr-directorate.png", full_page=True)
    pager = page.get_by_role("navigation", name="Pages of Children, Young People and Education")
    expect(pager.locator('[aria-current="page"]')).to_have_text("Page 1")
    # By keyboard: tab from the current page's number to the next page's and follow it.
    pager.get_by_role("link", name="Page 2").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Page 2"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"part=children-young-people-education&page=2$"))
    expect(page.locator(".part-count")).to_have_text("Items 26–29 of 29")
    expect(page.get_by_role("heading", level=3, name="Activity indicators (continued)"))
    expect(pager.locator('[aria-current="page"]')).to_have_text("Page 2")
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()  # the charts drawn at the phone's width
    page.screenshot(path=artifacts / "reports-qpr-directorate-375.png", full_page=True)
    pager.get_by_role("link", name="Previous page of").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".part-count")).to_have_text("Items 1–25 of 29")


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
