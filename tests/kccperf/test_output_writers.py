"""The CSV, XLSX and Word writers and the table exports, fed every hostile string (also the
ones PostgreSQL cannot store: NUL and lone surrogates), without a database."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import django_tables2 as tables
import docx
import openpyxl

from kccperf.output.conventions import About
from kccperf.output.csv import csv_text
from kccperf.output.docx import add_table, new_document
from kccperf.output.tables import table_export
from kccperf.output.xlsx import XlsxWriter, xlsx_bytes
from tests.kccperf.hostile import (
    CONTROLS,
    LONE_SURROGATE,
    NONCHARACTERS,
    assert_in_csv,
    assert_in_docx,
    assert_in_xlsx,
    csv_cells,
)
from tests.spreadsheets import assert_named

EVERY = [
    f"={CONTROLS}{NONCHARACTERS}{LONE_SURROGATE}formula",
    f"+plus{LONE_SURROGATE}",
    "-minus\x00",
    "@at\x0bbreak",
    "\ttab-led",
    "\rcr-led",
    "long" + "y" * 100_000,
]
HEADERS = ["Text", "Number", "Date"]


def _rows() -> list[list[object]]:
    return [[text, -3, date(2019, 9, 30)] for text in EVERY]


def test_the_xlsx_writer_opens_with_every_hostile_string_and_keeps_numbers_and_dates():
    content = xlsx_bytes("Sheet: [one]?", HEADERS, _rows(), None)
    assert_in_xlsx(content, EVERY)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Sheet one"
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert sheet["B2"].value == -3 and sheet["C2"].value == datetime(2019, 9, 30)
    long_cell = sheet.cell(row=len(EVERY) + 1, column=1).value
    assert len(long_cell) == 32_767 and long_cell.startswith("longyyy")


def test_xlsx_sheets_keep_distinct_names_and_can_freeze_a_column():
    workbook = XlsxWriter(None)
    workbook.create_sheet("Same", ["A"])
    workbook.create_sheet("Same", ["A"], freeze_columns=1).append([Decimal("1.50")])
    loaded = openpyxl.load_workbook(io.BytesIO(workbook.save()))
    assert len(set(loaded.sheetnames)) == 2
    second = loaded.worksheets[1]
    assert second.freeze_panes == "B2" and second["A2"].value == 1.5


def test_the_csv_writer_has_a_bom_and_escapes_every_hostile_string():
    content = csv_text(HEADERS, _rows()).encode("utf-8")
    assert_in_csv(content, EVERY)
    cells = csv_cells(content)
    assert cells[:3] == HEADERS and "-3" in cells and "2019-09-30" in cells
    assert any(len(c) > 100_000 for c in cells)  # CSV has no cell limit: kept whole


def test_the_word_writer_opens_with_every_hostile_string_in_titles_paragraphs_and_tables():
    document = new_document(f"Title{CONTROLS}{LONE_SURROGATE}", "Subtitle\x0b")
    document.heading(f"Heading\x00{NONCHARACTERS}", 1)
    for text in EVERY:
        document.paragraphs(text)
    add_table(document, ["Text\x01", "Number"], [[text, "1"] for text in EVERY], caption="\x0c")
    content = document.save()
    assert_in_docx(content, EVERY)
    opened = docx.Document(io.BytesIO(content))
    assert opened.core_properties.title.startswith("Title")
    section = opened.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4


class _Table(tables.Table):
    text = tables.Column("Text")
    number = tables.Column("Number")
    action = tables.Column("Action", exclude_from_export=True)


def test_table_exports_go_through_the_writers():
    table = _Table([{"text": text, "number": -3, "action": "Edit"} for text in EVERY])
    response = table_export(table, "csv", About("t", "Test"))
    assert_named(response, "t", "csv")
    assert_in_csv(response.content, EVERY)
    assert "Action" not in csv_cells(response.content)
    table = _Table([{"text": t, "number": -3} for t in EVERY])
    response = table_export(table, "xlsx", About("t", "Test"))
    assert_in_xlsx(response.content, EVERY)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["Text", "Number"] and sheet["B2"].value == -3


def test_the_word_body_keeps_its_order_and_ends_with_the_section_properties():
    """The body is appended in one pass, with the page set-up (A4, header, footer) kept last,
    where Word reads it."""
    writer = new_document("Order", "Subtitle")
    for number in range(300):
        writer.paragraph(f"Paragraph {number}")
    add_table(writer, ["Name", "Value"], [["A", "1"]])
    writer.paragraph("After the table")
    document = docx.Document(io.BytesIO(writer.save()))
    body = document.element.body
    assert body[-1].tag.endswith("}sectPr")
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["Order", "Subtitle", "Paragraph 0"]
    assert texts[2:302] == [f"Paragraph {n}" for n in range(300)]
    assert texts[-1] == "After the table"
    assert document.tables[0].cell(1, 0).text == "A"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
