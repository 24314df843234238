"""Printing from the browser on A4 (static/css/print.css, static/js/charts.js): the QPR, the
SDP outcome report, the outcome and council dashboards, the heat maps, the printable and KPI
scorecards and the risk register and overview, as a person prints them (the page
open at screen width, then printed): no chart or table is wider than the printed text width,
the reporting quarter is on the charts, headings are never the last line of a page, and the
heat maps print with the title beside the first grid. The PDFs are saved in test-artifacts/
and their pages were looked at (pdftoppm -png)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from kccperf.output.pdf import PRINT_WIDTH_PX
from tests.browser_helpers import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What could be wider than the printed page: charts (their box and plotly's SVG) and tables.
WIDER_THAN = """(limit) => {
  const wide = [];
  const boxes = 'main table, main .chart-plot, main .chart-plot svg.main-svg, main .table-wrapper';
  for (const el of document.querySelectorAll(boxes)) {
    const r = el.getBoundingClientRect();
    if (!r.width) continue;  // not printed (a closed chart-data table)
    if (r.right > limit + 1 || el.scrollWidth > Math.ceil(r.width) + 1) {
      wide.push(`${el.tagName}#${el.id || el.className.baseVal || el.className}: ` +
                `${Math.round(r.right)} px (scroll ${el.scrollWidth})`);
    }
  }
  const page = document.documentElement.scrollWidth;
  if (page > limit + 1) wide.push(`the page: ${page} px`);
  return wide;
}"""
HEADINGS = """() => Array.from(document.querySelectorAll('main h1, main h2, main h3, main h4'))
    .map((h) => h.innerText.replace(/\\s+/g, ' ').trim())"""
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('.chart-plot'))
    .every((el) => el.querySelector('.main-svg'))"""


def print_like_a_person(page, url: str) -> tuple[list[str], bytes, list[str]]:
    """Open ``url`` at screen width, print it (beforeprint, print media at the A4 text
    width): what is wider than the printed text, the A4 PDF and the page's headings."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="screen")
    page.goto(url)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_function(CHARTS_DRAWN, timeout=120_000)
    # Printing lays the page out at the A4 width without a resize event: keep the narrower
    # window from redrawing the charts (plotly's responsive resize), as the print would not.
    page.evaluate("window.addEventListener('resize', (e) => e.stopImmediatePropagation(), true)")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": PRINT_WIDTH_PX, "height": 1100})
    wide = page.evaluate(WIDER_THAN, PRINT_WIDTH_PX)
    headings = page.evaluate(HEADINGS)
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    return wide, pdf, headings


def stranded_headings(reader: PdfReader, headings: list[str]) -> list[tuple[int, str]]:
    """Pages whose last line of text is a heading (a heading left at the foot of a page)."""
    stranded = []
    wanted = {h for h in headings if h}
    for number, page in enumerate(reader.pages, start=1):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        # The margin boxes (running header, "Page n of m") come first in the text.
        if lines and lines[-1] in wanted and number < len(reader.pages):
            stranded.append((number, lines[-1]))
    return stranded


def test_reports_dashboards_scorecards_and_risk_pages_print_on_a4_with_nothing_cut_off(
    page, artifacts
):
    call_command("load_demo", "--no-migrate", password=PASSWORD, verbosity=0)
    sign_in(page, "analyst")
    # The QPR on screen is in parts (the front, each directorate a page at a time, the risk
    # overview): each printed as a person prints it; the whole report is the PDF export's.
    page.goto("/reports/qpr/2019-20-q2/")
    qpr_parts = page.locator(".report-contents a").evaluate_all("links => links.map(a => a.href)")
    qpr_parts.append(f"{qpr_parts[4]}&page=2")  # Children, Young People and Education: 29
    assert "part=children-young-people-education" in qpr_parts[4]
    pages = {
        **{f"qpr-{n}": url for n, url in enumerate(qpr_parts)},
        "sdp-outcome": "/reports/sdp/2019-20-q2/outcome-1/",
        "outcome-dashboard": "/monitoring/dashboards/outcome/1/2019-20-q2/",
        "heat-maps": "/risks/heatmaps/2019-20-q2/",
        # The other pages people print.
        "council-dashboard": "/monitoring/dashboards/council/2019-20-q2/",
        "printable-scorecards": "/monitoring/scorecards/outcome/1/2019-20-q2/print/",
        "kpi-scorecard": "/kpis/2019-20-q2/",
        "directorate-scorecard": "/kpis/directorates/adult-social-care/2019-20-q2/",
        "risk-register": "/risks/",
        "risk-overview": "/risks/overview/2019-20-q2/",
    }
    printed = {}
    for name, url in pages.items():
        wide, pdf, headings = print_like_a_person(page, url)
        (artifacts / f"print-{name}.pdf").write_bytes(pdf)
        reader = PdfReader(io.BytesIO(pdf))
        assert wide == [], f"{name}: wider than the A4 text width: {wide[:5]}"
        assert stranded_headings(reader, headings) == [], name
        texts = [p.extract_text() for p in reader.pages]
        for number, text in enumerate(texts, start=1):
            assert f"Page {number} of {len(texts)}" in text, (name, number)
        printed[name] = (reader, texts)

    # The QPR: running header with the report, quarter and state; the reporting quarter on
    # every KPI chart (it was cut off at the A4 width).
    reader, texts = printed["qpr-0"]
    assert "Quarterly Performance Report, Q2 2019/20 · Published: version 1" in texts[1]
    whole = "\n".join(
        t for name, (_, texts) in printed.items() if name.startswith("qpr-") for t in texts
    )
    assert "Green / Amber / Red: 28 / 5 / 2" in whole
    kpi_charts = len(re.findall(r"Result: (Green|Amber|Red)", whole))
    assert kpi_charts >= 35
    assert whole.count("Q2 2019/20") >= 35 + 35
    # The outcome dashboard: the activity summary's last column is printed.
    _, texts = printed["outcome-dashboard"]
    summary = "\n".join(texts).rsplit("9. Activity summary", 1)[1].split("10. What changed", 1)[0]
    summary = " ".join(summary.replace("-\n", "-").split())  # headings wrap in narrow columns
    assert "Cabinet Committee" in summary and "Sign-off" in summary  # the last two columns
    # Heat maps: the title shares page 1 with the first grid; two pages at most.
    reader, texts = printed["heat-maps"]
    assert len(reader.pages) <= 2
    assert "Risk heat maps" in texts[0] and "Current risk levels" in texts[0]
    assert "Target risk levels" in "\n".join(texts)
