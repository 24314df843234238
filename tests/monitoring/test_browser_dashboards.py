"""CMT's dashboards and the scorecards in the browser: axe on every page, screenshots, and a
PDF of the printable scorecards to check one scorecard per page."""

import re

import pytest

from kccperf import demo as organisation_demo
from kccperf.periods import Quarter
from monitoring import demo
from monitoring.models import Activity
from tests.browser_helpers import serious_violations, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

Q2 = Quarter.parse("Q2 2019/20")


@pytest.fixture
def demo_data(transactional_db):
    organisation_demo.load(PASSWORD)
    demo.load(PASSWORD)


def check(page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"monitoring-{name}.png"), full_page=True)
    assert serious_violations(page) == [], name


def test_cmt_reads_the_dashboards_and_a_scorecard(page, demo_data, artifacts):
    sign_in(page, "cmt", next_url=f"/monitoring/dashboards/{Q2.slug}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("SDP outcome dashboards")
    check(page, artifacts, "dashboard-index")

    with page.expect_navigation():
        page.get_by_role("link", name="Outcome 1:").click()
    page.locator("#chart-issue-themes").scroll_into_view_if_needed()  # drawn when seen
    page.wait_for_selector("#chart-issue-themes .main-svg")
    assert page.locator("li[data-key='delivery.remedial'] .figure-value").inner_text() == (
        "29% (4)"
    )
    assert "Edit the analysis" not in page.content()  # CMT reads, analysts edit
    check(page, artifacts, "outcome-dashboard")

    # Sorting the summary table by delivery puts the on-track activities first. (Charts keep
    # their height before they are drawn, so the charts drawn on the way down do not move the
    # link: a chart boxes' heights are checked below.)
    sort = page.locator("table.summary-table th a", has_text="Delivery")
    sort.scroll_into_view_if_needed()
    page.wait_for_selector("#chart-trend .main-svg")
    with page.expect_navigation():
        sort.click()
    first = page.locator("table.summary-table tbody tr").first.get_attribute("data-activity")
    assert first == "1.1"

    activity = Activity.objects.get(outcome__number=1, number=6)
    with page.expect_navigation():
        page.locator("#not-on-track").get_by_role("link", name="1.6 Delivering").click()
    assert page.url.endswith(f"/monitoring/scorecards/{activity.pk}/{Q2.slug}/")
    assert "No, it is unlikely to be achieved" in page.locator(".scorecard-history").inner_text()
    check(page, artifacts, "scorecard")

    page.goto(f"/monitoring/dashboards/council/{Q2.slug}/")
    page.locator("#chart-trend").scroll_into_view_if_needed()  # drawn when seen
    page.wait_for_selector("#chart-trend .main-svg")
    check(page, artifacts, "council-dashboard")


def test_an_analyst_edits_the_analysis_and_prints_the_scorecards(page, demo_data, artifacts):
    sign_in(page, "analyst", next_url=f"/monitoring/dashboards/outcome/1/{Q2.slug}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Edit the analysis").click()
    check(page, artifacts, "analysis-edit")
    page.get_by_label("Analysis").fill("")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the analysis").click()
    assert "There is a problem" in page.content()
    check(page, artifacts, "analysis-edit-error")
    page.get_by_label("Analysis").fill("Outcome 1: 4 activities now need remedial action.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the analysis").click()
    assert (
        "Outcome 1: 4 activities now need remedial action."
        in page.locator(".analysis-text").inner_text()
    )

    page.goto(f"/monitoring/scorecards/outcome/1/{Q2.slug}/print/")
    assert page.locator("article.scorecard.page-break").count() == 14
    check(page, artifacts, "scorecards-print")
    page.emulate_media(media="print")
    pdf = page.pdf(path=str(artifacts / "monitoring-scorecards-print.pdf"), format="A4")
    # One A4 page per scorecard: each starts a page and fits on it.
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 14
