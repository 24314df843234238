"""The reports' Word files as committee papers: A4 with the council's margins, charts as
pictures with alt text, headings in order with a table of contents, repeating table headers,
"–" for missing values, DRAFT on every page of a draft only, and document properties.

Fixtures (tests/reports/conftest.py): ``qpr_demo`` loads what the QPR is built from, ``demo``
the whole demo data set. The charts are drawn by Debian's Chromium (kccperf.chart_images)."""

import io
import re
import shutil

import docx
import pytest
from docx.oxml.ns import qn

from kccperf import chart_images
from kccperf.output.docx import DRAFT_BANNER
from kccperf.periods import Quarter
from reports.models import Report
from tests.reports.factories import make_published

pytestmark = pytest.mark.django_db
needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None, reason="Chromium is not installed (apt-get install chromium)"
)
QPR = "/reports/qpr/2019-20-q2/"
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}


def open_docx(content: bytes):
    return docx.Document(io.BytesIO(content))


def all_text(document) -> str:
    """Every piece of text in the body and in the headers and footers."""
    parts = [document.element.body]
    for section in document.sections:
        parts += [section.header._element, section.footer._element]
    return " ".join(t.text or "" for part in parts for t in part.iter(qn("w:t")))


def header_text(document) -> str:
    return " ".join(p.text for p in document.sections[0].header.paragraphs)


def chart_count(data: dict) -> int:
    return sum(len(s["kpis"]) + len(s["indicators"]) for s in data["directorates"])


def heading_levels(document) -> list[int]:
    return [
        int(p.style.name.removeprefix("Heading "))
        for p in document.paragraphs
        if p.style.name.startswith("Heading ")
    ]


@needs_chromium
def test_the_published_qpr_word_file_is_a_committee_paper(client, cast, qpr_demo):
    report = make_published(Report.Kind.QPR, Quarter(2019, 2), user=cast["dan"])
    version = report.versions.order_by("-number").first()
    client.force_login(cast["dan"])
    response = client.get(f"{QPR}?version={version.number}&_export=docx")
    assert response.status_code == 200
    document = open_docx(response.content)
    body = document.element.body

    # A4 portrait with 2.54 cm margins.
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.left_margin, section.right_margin, section.top_margin)
    assert [round(m.cm, 2) for m in margins] == [2.54, 2.54, 2.54]

    # One picture per KPI and activity-indicator chart, each with alt text naming its chart,
    # none wider than the text.
    drawings = body.findall(".//wp:inline", NS)
    assert len(drawings) == chart_count(version.data) > 35
    descriptions = [d.find("wp:docPr", NS).get("descr") for d in drawings]
    unclear = [d for d in descriptions if not (d.startswith("Chart: ") and " Latest: " in d)]
    assert unclear == []
    for section_data in version.data["directorates"]:
        for kpi in section_data["kpis"]:
            assert any(d.startswith(f"Chart: {kpi['code']}: ") for d in descriptions), kpi
    text_width = section.page_width - section.left_margin - section.right_margin
    assert all(int(d.find("wp:extent", NS).get("cx")) <= text_width for d in drawings)
    pictures = [p for p in document.part.package.parts if p.partname.endswith(".png")]
    assert pictures and all(p.blob.startswith(b"\x89PNG") for p in pictures)

    # Missing values are "–", never "None".
    text = all_text(document)
    assert "None" not in text
    assert "–" in text

    # Not a draft: no DRAFT anywhere; the header names the report, quarter and version.
    assert "DRAFT" not in text and "Draft" not in text
    header = header_text(document)
    assert "Quarterly Performance Report" in header and "Q2 2019/20" in header
    assert f"Version {version.number}, published" in header

    # Headings in Word's built-in styles, in order (never a level skipped going down).
    levels = heading_levels(document)
    assert levels[0] == 1 and set(levels) == {1, 2, 3}
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))

    # A table of contents field whose entries link to the headings' bookmarks.
    xml = body.xml
    assert re.search(r'<w:instrText[^>]*> TOC \\o "1-2" \\h', xml)
    anchors = re.findall(r'<w:hyperlink w:anchor="(_Toc\d+)"', xml)
    bookmarks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="(_Toc\d+)"/>', xml))
    assert len(anchors) == levels.count(1) + levels.count(2) and set(anchors) <= bookmarks
    assert document.settings.element.find(qn("w:updateFields")) is not None

    # Every table's first row repeats on each page; RAG is a word on a shaded cell.
    assert len(document.tables) > 50
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    green = [
        cell
        for table in document.tables
        for row in table.rows
        if row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None  # not a column header
        for cell in row.cells
        if cell.text == "Green"
    ]
    assert green and all('w:fill="CCE2D8"' in cell._tc.xml for cell in green)

    # Properties: title, subject = the quarter, final.
    properties = document.core_properties
    assert properties.title == "Quarterly Performance Report, Q2 2019/20"
    assert properties.subject == "Q2 2019/20"
    assert properties.content_status.startswith(f"Version {version.number}")
    assert 'w:val="en-GB"' in document.styles["Normal"].element.xml


@needs_chromium
def test_a_draft_qpr_says_draft_on_every_page_and_has_its_charts(client, dan, qpr_demo):
    client.force_login(dan)
    response = client.get(f"{QPR}?draft=1&_export=docx")
    assert response.status_code == 200
    assert 'filename="qpr-2019-20-q2-draft.docx"' in response["Content-Disposition"]
    document = open_docx(response.content)
    # The one section's header is on every page: DRAFT in words on a shaded band.
    assert len(document.sections) == 1
    header = document.sections[0].header
    assert header.paragraphs[0].text == DRAFT_BANNER
    assert header.paragraphs[0].runs[0].bold and "w:shd" in header.paragraphs[0]._p.xml
    assert document.core_properties.content_status == "Draft"
    assert document.core_properties.subject == "Q2 2019/20"
    assert DRAFT_BANNER in [p.text for p in document.paragraphs][:3]
    assert len(document.element.body.findall(".//wp:inline", NS)) > 35
    assert "None" not in all_text(document)


def test_without_a_renderer_the_word_file_shows_each_charts_table(
    client, dan, qpr_demo, settings, monkeypatch
):
    settings.KCCPERF_CHART_BROWSER = "/nonexistent/chromium"
    monkeypatch.setattr(chart_images, "_renderer", chart_images._Renderer())
    client.force_login(dan)
    response = client.get(f"{QPR}?draft=1&_export=docx")
    assert response.status_code == 200
    document = open_docx(response.content)
    assert document.element.body.findall(".//wp:inline", NS) == []
    paragraphs = [p.text for p in document.paragraphs]
    notes = paragraphs.count("The chart could not be drawn here: its data is in this table.")
    assert notes > 35
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert sum(c.endswith("results by quarter") for c in captions) == 35
    assert "None" not in all_text(document)


@needs_chromium
def test_the_sdp_word_file_has_its_charts_headings_and_draft_mark(client, dan, demo):
    client.force_login(dan)
    content = client.get("/reports/sdp/2019-20-q2/outcome-1/?draft=1&_export=docx").content
    document = open_docx(content)
    drawings = document.element.body.findall(".//wp:inline", NS)
    descriptions = [d.find("wp:docPr", NS).get("descr") for d in drawings]
    assert len(drawings) >= 2 and all(d.startswith("Chart: ") for d in descriptions)
    assert "DRAFT" in header_text(document)
    levels = heading_levels(document)
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    assert document.core_properties.subject == "Q2 2019/20"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
