"""PDF downloads (kccperf/output/pdf.py): the QPR, the SDP reports, the printable scorecards
and the risk overview printed by Chromium from their pages' HTML. Each test opens the file
with pypdf: it opens, has pages, an outline from the headings, the running header and page
numbers, and the figures of the page it was printed from."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from kccperf.output import pdf as pdf_output
from kccperf.periods import Quarter
from reports.models import Report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed"),
]

QPR = "/reports/qpr/2019-20-q2/"


def read(response) -> PdfReader:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    return PdfReader(io.BytesIO(response.content))


def outline_titles(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


@pytest.fixture
def qpr_published(cast, qpr_demo):
    from tests.reports.factories import make_published

    cache.clear()
    return make_published(Report.Kind.QPR, Quarter(2019, 2), user=cast["dan"])


def test_the_published_qpr_pdf_has_its_pages_outline_figures_and_risk_overview(
    client, dan, qpr_published, monkeypatch
):
    client.force_login(dan)
    response = client.get(f"{QPR}?version=1&_export=pdf")
    assert response["Content-Disposition"] == 'attachment; filename="qpr-2019-20-q2-v1.pdf"'
    reader = read(response)
    texts = page_texts(reader)
    # The key, the summary, six directorates and the risk overview each start a page;
    # 70 KPI and indicator charts after them.
    assert len(reader.pages) >= 20
    whole = "\n".join(texts)
    assert "Green / Amber / Red: 28 / 5 / 2" in whole
    assert "Corporate risk register: overview" in whole
    assert "Corporate risks by level: current and target" in whole
    # Tagged, with an outline made from the headings.
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])
    titles = outline_titles(reader)
    assert "Executive summary" in titles
    assert "Corporate risk register: overview" in titles
    assert any(t.startswith("CYPE") for t in titles)  # the KPIs' headings
    # Running header (report, quarter, state) and page numbers on every page.
    total = len(reader.pages)
    for number, text in enumerate(texts, start=1):
        assert "Quarterly Performance Report, Q2 2019/20 · Published: version 1" in text
        assert f"Page {number} of {total}" in text
        assert "DRAFT" not in text
    # Every chart is drawn: the reporting quarter is on the KPI charts' axes.
    assert whole.count("Q2 2019/20") > 35

    # Published versions never change: the file is made once.
    def fail(html: str) -> bytes:
        raise AssertionError("the published version's PDF was made again")

    monkeypatch.setattr(pdf_output, "html_to_pdf", fail)
    again = client.get(f"{QPR}?version=1&_export=pdf")
    assert again.content == response.content


def test_a_draft_pdf_says_draft_on_every_page(client, dan, qpr_demo):
    client.force_login(dan)
    reader = read(client.get(f"{QPR}?draft=1&_export=pdf"))
    texts = page_texts(reader)
    assert "DRAFT: built from the live data" in texts[0]
    for text in texts:
        assert "Quarterly Performance Report, Q2 2019/20 · DRAFT: not published" in text


def test_cmt_read_the_report_but_download_no_pdf(client, carol, qpr_published):
    client.force_login(carol)
    assert client.get(QPR).status_code == 200
    assert client.get(f"{QPR}?_export=pdf").status_code == 403
    assert b"Download as PDF" not in client.get(QPR).content


def test_without_chromium_the_pdf_is_refused_with_a_message(
    client, dan, qpr_published, monkeypatch
):
    monkeypatch.setattr(pdf_output, "chromium_path", lambda: None)
    client.force_login(dan)
    response = client.get(f"{QPR}?draft=1&_export=pdf")
    assert response.status_code == 503
    assert "Print the page instead" in response.content.decode()


def test_a_document_not_laid_out_in_time_is_refused_with_a_message(
    client, dan, qpr_published, monkeypatch
):
    monkeypatch.setattr(pdf_output, "TIMEOUT_MS", 1)  # the real browser, given 1 ms
    client.force_login(dan)
    response = client.get(f"{QPR}?version=1&_export=pdf")
    assert response.status_code == 503
    text = response.content.decode()
    assert "did not finish laying out this document within 0 seconds" in text
    assert "Print the page instead" in text


def test_the_risk_overview_pdf(client, cast, qpr_demo):
    from risks.models import RiskRefresh

    refresh = RiskRefresh.objects.order_by("-date").first()
    url = f"/risks/refreshes/{refresh.pk}/"
    client.force_login(cast["erin"])  # the risk manager exports the register's pages
    reader = read(client.get(f"{url}?_export=pdf"))
    whole = "\n".join(page_texts(reader))
    assert "Corporate risk register overview" in whole
    assert "Number of corporate risks by level" in whole
    assert "Mitigating actions" in outline_titles(reader)
    client.force_login(cast["carol"])
    assert client.get(f"{url}?_export=pdf").status_code == 403


def test_the_printable_scorecards_pdf_has_a_page_per_scorecard(client, dan, demo):
    client.force_login(dan)
    url = "/monitoring/scorecards/outcome/1/2019-20-q2/print/"
    page = client.get(url).content.decode()
    assert page.count('<article class="scorecard page-break"') > 5
    # The page shows 20 at a time; the PDF holds every scorecard of the outcome.
    found = re.search(r"the PDF holds all (\d+)|(\d+) scorecards?, one per printed page", page)
    assert found
    cards = int(found.group(1) or found.group(2))
    reader = read(client.get(f"{url}?_export=pdf"))
    assert len(reader.pages) >= cards
    titles = outline_titles(reader)
    assert sum(t.startswith("Scorecard, Q2 2019/20") for t in titles) == cards
