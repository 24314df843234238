"""static/js/kccperf.js: a table wider than its wrapper becomes a labelled region people can
focus and scroll; a table inside a closed <details> (a chart's data) is measured only when it
is opened (measuring hundreds of hidden tables made a long report's load wait seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "kccperf.js"
WIDE = "<td style='white-space: nowrap'>" + "a very long cell " * 20 + "</td>"
PAGE = f"""<!DOCTYPE html><html lang="en"><body>
<div class="table-wrapper" id="shown" style="width: 200px; overflow-x: auto">
  <table><caption>Shown table</caption><tr>{WIDE}</tr></table></div>
<details id="chart-data"><summary>Data for the chart</summary>
  <div class="table-wrapper" id="hidden" style="width: 200px; overflow-x: auto">
    <table><caption>Chart data</caption><tr>{WIDE}</tr></table></div>
</details>
<div class="table-wrapper" id="narrow" style="width: 600px; overflow-x: auto">
  <table><caption>Narrow</caption><tr><td>short</td></tr></table></div>
</body></html>"""


def test_wide_tables_become_regions_and_closed_details_wait_until_opened(browser):
    context = browser.new_context(viewport={"width": 800, "height": 600})
    page = context.new_page()
    page.set_content(PAGE)
    page.add_script_tag(path=str(SCRIPT))
    assert page.get_attribute("#shown", "role") == "region"
    assert page.get_attribute("#shown", "tabindex") == "0"
    assert page.get_attribute("#shown", "aria-label") == "Shown table (scrolls sideways)"
    assert page.get_attribute("#narrow", "role") is None
    assert page.get_attribute("#hidden", "role") is None  # not measured while closed
    page.click("#chart-data summary")
    page.wait_for_selector("#hidden[data-scrolls]", state="attached")
    assert page.get_attribute("#hidden", "role") == "region"
    assert page.get_attribute("#hidden", "aria-label") == "Chart data (scrolls sideways)"
    context.close()
