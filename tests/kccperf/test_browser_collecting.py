"""A collecting quarter in a real browser: an analyst switches to Q3 while it is half
reported, reads how complete it is on every page, and finds no fall that is only missing data
on the way from home to the KPI summary, the scorecard's "No longer Green" and the dashboard.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import serious_violations, sign_in
from tests.kccperf.test_collecting_quarter import _half_reported_q3

pytestmark = pytest.mark.browser

NOTICE = (
    "Q3 2019/20 is still collecting: 2 of 4 returns in; 2 of 4 KPI values entered; "
    "1 of 3 open risks in the quarter's refresh."
)


def test_an_analyst_reads_a_half_reported_quarter(page, cast, artifacts):
    _half_reported_q3(cast["alice"])
    sign_in(page, "dan", next_url="/")
    page.get_by_label("Reporting period").select_option("2019-20-q3")
    page.get_by_role("button", name="Show period").click()
    notice = page.locator(".collecting-notice")
    expect(notice).to_contain_text(NOTICE)
    kpi_panel = page.locator(".kpi-panel")
    expect(kpi_panel).to_contain_text("Green up 1 on Q2 2019/20.")
    expect(kpi_panel).to_contain_text("among the 2 KPIs with a value in both quarters")
    assert serious_violations(page) == []
    page.screenshot(path=str(artifacts / "collecting-home.png"), full_page=True)

    kpi_panel.get_by_role("link", name="KPI executive summary").click()
    expect(notice).to_contain_text(NOTICE)
    expect(page.locator("#summary-sentence")).to_contain_text(
        "The number of Green KPIs is up 1 on Q2 2019/20 among the 2 KPIs"
    )
    page.locator("#summary-sentence").get_by_role("link", name="up 1").click()
    expect(page.locator("tbody tr")).to_have_count(1)  # KD became Green; nothing lost
    expect(page.locator("tbody")).to_contain_text("KD")

    page.goto("/monitoring/dashboards/council/2019-20-q3/")
    expect(notice).to_contain_text(NOTICE)
    expect(page.locator("main")).to_contain_text("2 like for like, the same as in Q2")
    expect(page.locator("main")).not_to_contain_text("down from 4")
    assert serious_violations(page) == []
    page.screenshot(path=str(artifacts / "collecting-dashboard.png"), full_page=True)
