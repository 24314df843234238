"""The Word writer's committee-paper conventions (kccperf.output.docx), without a database or
a browser: pictures with alt text, the table of contents, "–" for missing values, DRAFT in
the header, properties, column widths within the page."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import docx
from docx.oxml.ns import qn
from PIL import Image

from kccperf.output.docx import (
    DRAFT_BANNER,
    TEXT_WIDTH_MM,
    add_chart,
    add_table,
    chart_alt_text,
    new_document,
)

HOSTILE = 'Q2 <b>"bold"</b> & \x0b co'


@dataclass(frozen=True)
class Png:
    data: bytes
    width_mm: float
    height_mm: float


def png(width: int = 300, height: int = 150, colour: str = "white") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


CHART = {
    "title": f"KPI 1: {HOSTILE}",
    "table": {
        "caption": "KPI 1 results by quarter",
        "headers": ["Quarter", "Result", "Floor standard", "RAG"],
        "rows": [["Q1 2019/20", "85%", None, "Amber"], ["Q2 2019/20", "95%", None, "Green"]],
    },
}


def test_a_chart_is_a_picture_with_alt_text_then_its_table_with_dashes_for_missing():
    writer = new_document("Report", "Kent County Council", subject="Q2 2019/20")
    writer.heading("Section", 1)
    add_chart(writer, CHART, Png(png(), 200.0, 100.0))  # wider than the page: scaled down
    add_chart(writer, CHART, Png(png(), 100.0, 50.0))  # the same image: one part
    add_chart(writer, CHART, None)
    content = writer.save()
    document = docx.Document(io.BytesIO(content))
    shapes = document.inline_shapes
    assert len(shapes) == 2
    assert round(shapes[0].width.mm, 1) == TEXT_WIDTH_MM
    assert round(shapes[0].height.mm, 1) == round(TEXT_WIDTH_MM / 2, 1)
    assert round(shapes[1].width.mm) == 100
    descr = [d.get("descr") for d in document.element.body.iter(qn("wp:docPr"))]
    # The alt text is text (markup kept literally; Word's vertical tab made a line break).
    assert descr[0] == descr[1] == chart_alt_text(CHART).replace("\x0b", "\n")
    assert descr[0] == (
        'Chart: KPI 1: Q2 <b>"bold"</b> & \n co. Latest: Quarter: Q2 2019/20, Result: 95%, '
        "Floor standard: –, RAG: Green. The data is in the table below the chart."
    )
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert [n for n in names if n.startswith("word/media/")] == ["word/media/chart1.png"]
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo("word/media/chart1.png")
    assert info.compress_type == zipfile.ZIP_STORED
    # Without a picture: a note, then the table; None is "–", the RAG word shaded.
    texts = [p.text for p in document.paragraphs]
    assert "The chart could not be drawn here: its data is in this table." in texts
    rows = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert rows[1] == ["Q1 2019/20", "85%", "–", "Amber"]
    assert 'w:fill="FFE7BF"' in document.tables[0].rows[1].cells[3]._tc.xml
    assert "None" not in document.element.body.xml


def test_the_table_of_contents_links_every_level_1_and_2_heading():
    writer = new_document("Report", "Kent County Council")
    writer.table_of_contents()
    writer.heading("One", 1)
    writer.heading("One point one", 2)
    writer.heading("Detail", 3)
    writer.heading("Two", 1)
    document = docx.Document(io.BytesIO(writer.save()))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert styles[2:7] == [
        ("TOC Heading", "Contents"),
        ("TOC 1", "One"),
        ("TOC 2", "One point one"),
        ("TOC 1", "Two"),
        ("Heading 1", "One"),
    ]
    xml = document.element.body.xml
    anchors = re.findall(r'w:anchor="(_Toc\d+)"', xml)
    marks = re.findall(r'w:bookmarkStart w:id="\d+" w:name="(_Toc\d+)"', xml)
    assert len(anchors) == 3 and set(anchors) < set(marks) and len(marks) == 4
    assert xml.count('w:fldCharType="begin"') == 1 and xml.count('w:fldCharType="end"') == 1
    assert document.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_a_draft_says_so_on_every_page_and_in_its_properties_a_final_does_not():
    draft = docx.Document(
        io.BytesIO(new_document("QPR", "KCC", subject="Q2 2019/20", draft=True).save())
    )
    header = draft.sections[0].header.paragraphs
    assert header[0].text == DRAFT_BANNER and header[0].runs[0].bold
    assert header[1].text == "QPR · Q2 2019/20"
    assert draft.core_properties.content_status == "Draft"
    assert draft.core_properties.category == "DRAFT"
    assert draft.core_properties.subject == "Q2 2019/20"
    final = docx.Document(
        io.BytesIO(new_document("QPR", "KCC", subject="Q2 2019/20", status="Version 2").save())
    )
    assert final.sections[0].header.paragraphs[0].text == "QPR · Q2 2019/20 · Version 2"
    assert final.core_properties.content_status == "Version 2"
    assert "DRAFT" not in final.element.xml + final.sections[0].header._element.xml
    section = final.sections[0]
    assert [round(m.cm, 2) for m in (section.left_margin, section.bottom_margin)] == [2.54, 2.54]


def test_column_widths_fill_the_text_width_and_give_long_text_the_room():
    writer = new_document("Report", "KCC")
    add_table(
        writer,
        ["KPI", "Target", "RAG"],
        [["CS01: Percentage of callers who rated the advisor as good", "97%", "Green"]],
    )
    add_table(writer, [f"Column {n}" for n in range(14)], [["x"] * 14])
    document = docx.Document(io.BytesIO(writer.save()))
    for table in document.tables:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        assert abs(sum(grid) - TEXT_WIDTH_MM * 1440 / 25.4) < len(grid)
    first = [int(c.get(qn("w:w"))) for c in document.tables[0]._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert first[0] > first[1] + first[2]


def test_a_word_longer_than_the_counted_text_still_gets_a_width():
    # An unbroken text past the 40 characters counted wants less room than its least (the
    # SDP's synthetic tables have such names); here the rest of the table wants exactly as
    # much more, which divided by zero.
    writer = new_document("Report", "KCC")
    add_table(writer, ["Name", "Notes"], [["x" * 60, " ".join(["a"] * 11)]])
    add_table(writer, ["Name", "Status"], [["y" * 60, "On track"]])
    document = docx.Document(io.BytesIO(writer.save()))
    least_mm = 5 * 2.0 + 3.8  # "track" / "Notes": five characters and the cell margins
    for table in document.tables:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        assert abs(sum(grid) - TEXT_WIDTH_MM * 1440 / 25.4) < len(grid)
        assert grid[0] > grid[1] >= least_mm * 1440 / 25.4 - 1
