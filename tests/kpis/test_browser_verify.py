"""Verifying KPI values in a real browser: an analyst verifies a quarter's values, revises a
verified one (refused without a reason, then with one), and the directorate scorecard, the
KPI page and the council scorecard say which values are provisional and which verified; axe
on every page and the verify page at 375 px."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kccperf import demo as organisation_demo
from kpis import demo
from kpis.models import KpiResult
from tests.browser_helpers import all_violations, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

Q2 = "2019-20-q2"


@pytest.fixture
def demo_data(transactional_db):
    organisation_demo.load(PASSWORD)
    demo.load(PASSWORD)


def check(page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"kpis-verify-{name}.png"), full_page=True)
    assert all_violations(page) == [], name


def box(page, code: str):
    return page.locator(f'article.kpi-box[data-code="{code}"]')


def test_an_analyst_verifies_values_revises_one_with_a_reason_and_the_scorecards_say_so(
    page, demo_data, artifacts
):
    # Every 2019/20 value of the demo is provisional, as the seed's data-quality note says.
    provisional = KpiResult.objects.filter(period__label="Q2 2019/20", provisional=True).count()
    assert provisional == KpiResult.objects.filter(period__label="Q2 2019/20").count() > 2
    sign_in(page, "analyst", next_url=f"/kpis/{Q2}/")
    note = page.locator("#verification-note").inner_text()
    assert note.startswith(f"{provisional} of {provisional} values for Q2 2019/20 are provisional")
    with page.expect_navigation():
        page.get_by_role("link", name="Verify KPI values for Q2 2019/20").click()
    check(page, artifacts, "page")

    # Verify CS01 and CS02 (checked against their source).
    page.get_by_role("checkbox", name="CS01", exact=False).check()
    page.get_by_role("checkbox", name="CS02", exact=False).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Verify the selected values").click()
    assert "Verified 2 values for Q2 2019/20." in page.locator(".messages").inner_text()
    verified = page.get_by_role("table", name="Verified values for Q2 2019/20").inner_text()
    assert "CS01" in verified and "CS02" in verified and "Verified by" in verified
    check(page, artifacts, "done")

    # The directorate scorecard marks each box in words.
    page.goto(f"/kpis/directorates/customer-services/{Q2}/")
    assert "(verified)" in box(page, "CS01").inner_text()
    assert "(provisional)" in box(page, "CS03").inner_text()
    assert (
        page.locator("#verification-note")
        .inner_text()
        .startswith("1 of 3 values for Q2 2019/20 is provisional")
    )
    check(page, artifacts, "directorate")

    # Revise CS01: refused without a reason, naming the field; saved with one.
    page.goto(f"/kpis/load-data/value/CS01/{Q2}/")
    assert "Verified by" in page.locator("#verification").inner_text()
    page.get_by_label("Value").fill("95")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the value").click()
    summary = page.locator(".error-summary")
    assert "Reason for the revision:" in summary.inner_text()
    assert page.title().startswith("Error:")
    check(page, artifacts, "reason-needed")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_reason"
    page.keyboard.type("The contact centre re-ran September's figures")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the value").click()
    assert page.url.endswith(f"/kpis/kpi/CS01/{Q2}/")
    assert "(provisional)" in page.locator("#current-value").locator("..").inner_text()
    history = page.get_by_role(
        "table", name="Values of CS01 that were revised or verified, newest first"
    ).inner_text()
    assert "The contact centre re-ran September's figures" in history
    assert "Verified" in history and "Revised" in history
    check(page, artifacts, "kpi-after-revision")
    result = KpiResult.objects.get(kpi__code="CS01", period__label="Q2 2019/20")
    assert result.value == Decimal(95) and result.provisional

    # Re-verify it from the KPI page: the scorecard counts one fewer provisional value.
    with page.expect_navigation():
        page.get_by_role("button", name="Verify 95% as checked").click()
    assert "Verified CS01 Q2 2019/20" in page.locator(".messages").inner_text()
    page.goto(f"/kpis/{Q2}/")
    assert (
        page.locator("#verification-note")
        .inner_text()
        .startswith(f"{provisional - 2} of {provisional} values for Q2 2019/20 are provisional")
    )
    cs01 = page.locator("tbody tr", has=page.locator("td", has_text="CS01")).first
    assert "(p)" not in cs01.inner_text()
    cs03 = page.locator("tbody tr", has=page.locator("td", has_text="CS03")).first
    assert "(p)" in cs03.inner_text()
    check(page, artifacts, "scorecard")

    # At 375 px the verify page has no sideways scrolling.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/kpis/verify/{Q2}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(artifacts / "kpis-verify-375.png"), full_page=True)
