"""Loading KPI data in a real browser: upload a good file, see the preview, confirm, see the
data on the scorecard; upload a file with errors, see row/column messages and the data
unchanged; enter and correct a single value with the keyboard; axe-core on every page."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from kccperf import demo as organisation_demo
from kpis import demo
from kpis.models import KpiResult, KpiResultRevision
from tests.browser_helpers import serious_violations, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

Q2 = "2019-20-q2"
# The shared preview template prints the row count as 0 (reported to the lead); match any.
IMPORT_BUTTON = re.compile(r"^Import \d+ rows?$")


@pytest.fixture
def demo_data(transactional_db):
    organisation_demo.load(PASSWORD)
    demo.load(PASSWORD)


def results() -> dict:
    return {
        (code, label): (value, provisional)
        for code, label, value, provisional in KpiResult.objects.values_list(
            "kpi__code", "period__label", "value", "provisional"
        )
    }


def check(page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"kpis-load-{name}.png"), full_page=True)
    assert serious_violations(page) == [], name


def scorecard_row(page, code: str):
    page.goto(f"/kpis/{Q2}/")
    return page.locator("tbody tr", has=page.locator("td", has_text=code)).first


def test_importing_results_end_to_end_and_a_file_with_errors_changes_nothing(
    page, demo_data, artifacts
):
    sign_in(page, "analyst", next_url="/kpis/load-data/")
    assert page.get_by_role("heading", level=1).inner_text() == "Load KPI data"
    check(page, artifacts, "index")
    with page.expect_navigation():
        page.get_by_role("link", name="Import KPI results").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Import KPI results"
    check(page, artifacts, "upload")

    # CS01 Q2 2019/20 is 97% (provisional) in the demo data: revise it to 91% (still
    # provisional: "no" does not verify, an import never does),
    # leave CS02 as it is and add a Q3 2019/20 figure for CS03. Without a commentary
    # column the stored commentary is kept.
    good = (
        "kpi_code,quarter,value,provisional\n"
        "CS01,Q2 2019/20,91,no\n"
        "CS02,Q2 2019/20,96,yes\n"
        "CS03,Q3 2019/20,88,yes\n"
    )
    page.get_by_label("File to import").set_input_files(
        {"name": "results.csv", "mimeType": "text/csv", "buffer": good.encode()}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    figures = page.locator(".figure").all_inner_texts()
    assert [f.split() for f in figures] == [
        ["1", "new", "rows"],
        ["1", "changed", "rows"],
        ["1", "unchanged", "rows"],
    ]
    changes = page.get_by_role("table", name="Changes")
    assert "CS01 Q2 2019/20" in changes.inner_text()
    assert "CS03 Q3 2019/20" in page.get_by_role("table", name="New records").inner_text()
    check(page, artifacts, "preview")
    # Nothing saved before the confirmation.
    assert results()[("CS01", "Q2 2019/20")] == (Decimal(97), True)

    with page.expect_navigation():
        page.get_by_role("button", name=IMPORT_BUTTON).click()
    assert "1 new, 1 changed, 1 unchanged rows" in page.locator(".messages").inner_text()
    check(page, artifacts, "imported")
    assert results()[("CS01", "Q2 2019/20")] == (Decimal(91), True)
    assert results()[("CS03", "Q3 2019/20")] == (Decimal(88), True)
    revision = KpiResultRevision.objects.get(result__kpi__code="CS01", kind="revised")
    assert (revision.old_value, revision.new_value) == (Decimal(97), Decimal(91))

    # The scorecard shows the revised figure: 91% against a target of 97%, floor 90%.
    row = scorecard_row(page, "CS01")
    assert "91%" in row.inner_text()
    assert "Amber" in row.inner_text()
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "kpis-load-scorecard-after.png"))

    # A file with errors: row/column messages, nothing saved.
    before = results()
    bad = (
        "kpi_code,quarter,value\n"
        "CS01,Q2 2019/20,99\n"
        "CS99,Q2 2019/20,50\n"
        "CS02,Q2 2019/20,ninety\n"
        "CS03,Q5 2019/20,70\n"
    )
    page.goto("/kpis/load-data/results/")
    page.get_by_label("File to import").set_input_files(
        {"name": "bad.csv", "mimeType": "text/csv", "buffer": bad.encode()}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".error-summary")
    assert "The file was not imported" in summary.inner_text()
    assert summary.locator("li").all_inner_texts() == [
        "Row 3, column \"kpi_code\": unknown KPI code ('CS99'); an import never creates KPIs",
        "Row 4, column \"value\": not a number ('ninety')",
        "Row 5, column \"quarter\": not a quarter like Q2 2019/20 ('Q5 2019/20')",
    ]
    assert page.get_by_role("button", name=IMPORT_BUTTON).count() == 0
    check(page, artifacts, "errors")
    assert results() == before
    assert "91%" in scorecard_row(page, "CS01").inner_text()


def test_entering_and_correcting_a_single_value_with_the_keyboard(page, demo_data, artifacts):
    sign_in(page, "analyst", next_url="/kpis/load-data/")
    kpi = page.get_by_role("combobox", name="KPI")
    kpi.focus()
    kpi.select_option("CS02")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("Q2 2019/20")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/kpis/load-data/value/CS02/{Q2}/")
    assert "96%" in page.locator("#stored-value").inner_text()
    assert "Provisional: not yet verified" in page.locator("#verification").inner_text()
    check(page, artifacts, "value-form")

    # An invalid value: the error summary links to the field.
    page.get_by_label("Value").fill("ninety-six")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the value").click()
    summary = page.locator(".error-summary")
    assert "Value: Enter the value as a number, like 91.5" in summary.inner_text()
    check(page, artifacts, "value-form-error")
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_value"

    # Correct it to 95.4% with the keyboard (still provisional: verifying is another act).
    page.keyboard.press("Control+A")
    page.keyboard.type("95.4")
    page.get_by_label("Commentary (optional)").fill("Final figure")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the value").press("Enter")
    assert page.url.endswith(f"/kpis/kpi/CS02/{Q2}/")
    assert "Saved CS02 Q2 2019/20: 95%." in page.locator(".messages").inner_text()
    assert results()[("CS02", "Q2 2019/20")] == (Decimal("95.4"), True)

    page.goto(f"/kpis/load-data/value/CS02/{Q2}/")
    history = page.get_by_role("table", name="Earlier values of CS02 for Q2 2019/20, newest first")
    assert "96% (provisional)" in history.inner_text()
    assert "95%" in history.inner_text()
    check(page, artifacts, "value-form-history")


def test_importing_targets_and_indicator_values_through_their_pages(page, demo_data, artifacts):
    sign_in(page, "analyst", next_url="/kpis/load-data/")
    uploads = [
        (
            "Import KPI targets and floor standards",
            "targets",
            "kpi_code,financial_year,from_quarter,target,floor,reason\n"
            "CS01,2019/20,3,99,95,Raised after the new telephony system\n",
        ),
        (
            "Import activity indicator values and thresholds",
            "indicators",
            "indicator,period,value,upper,lower\n"
            "cs-complaints-received,Q2 2019/20,1234,1300,1100\n",
        ),
    ]
    for link, name, content in uploads:
        page.goto("/kpis/load-data/")
        with page.expect_navigation():
            page.get_by_role("link", name=link).click()
        check(page, artifacts, f"upload-{name}")
        page.get_by_label("File to import").set_input_files(
            {"name": f"{name}.csv", "mimeType": "text/csv", "buffer": content.encode()}
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Check the file").click()
        assert page.locator(".figure").count() == 3
        check(page, artifacts, f"preview-{name}")
        with page.expect_navigation():
            page.get_by_role("button", name=IMPORT_BUTTON).click()
        assert "Imported" in page.locator(".messages").inner_text()

    # The new target shows in the KPI's targets history ...
    page.goto(f"/kpis/kpi/CS01/{Q2}/")
    targets = page.get_by_role(
        "table", name="Targets and floor standards of CS01 by financial year"
    )
    assert "Raised after the new telephony system" in targets.inner_text()
    assert "99%" in targets.inner_text()
    # ... and the indicator's value in its data table.
    page.goto(f"/kpis/indicators/cs-complaints-received/{Q2}/")
    # The data table under the chart is collapsed until opened.
    page.locator(".chart-data summary").last.click()
    assert "1,234" in page.locator("table").last.inner_text()
    # The latest imports are listed on the Load KPI data page.
    page.goto("/kpis/load-data/")
    recent = page.get_by_role("table", name="The 2 latest KPI data files uploaded, newest first")
    assert recent.locator("tbody th").all_inner_texts() == ["indicators.csv", "targets.csv"]
    check(page, artifacts, "index-with-imports")
