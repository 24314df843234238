"""Hostile text for the output layer's tests, and readers that open each format and say
whether the text came out sanitised and formula-escaped."""

from __future__ import annotations

import csv
import io

import docx
import openpyxl

from kccperf.output.text import (
    FORMULA_PREFIXES,
    XLSX_CELL_LIMIT,
    clean_text,
    escape_formula,
    xml_newlines,
)

# Every C0 control but tab and newline, then the XML non-characters.
CONTROLS = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n")
STORABLE_CONTROLS = CONTROLS.replace("\x00", "")  # PostgreSQL text cannot hold NUL
NONCHARACTERS = "\ufffe\uffff"
LONE_SURROGATE = "\ud800"
LONG = 100_000


def hostile(prefix: str, name: str) -> str:
    """Short enough for a CharField: a formula prefix, a name to find it by, every control
    character PostgreSQL can store and the non-characters."""
    return f"{prefix}{name}{STORABLE_CONTROLS}{NONCHARACTERS}end"


def long_hostile(prefix: str, name: str) -> str:
    """A 100 KB text (for TextFields) with the same hostile characters inside."""
    return hostile(prefix, name) + "x" * LONG


def spreadsheet_expected(stored: str) -> str:
    """What a CSV cell holds for stored text."""
    return str(escape_formula(clean_text(stored)))


def xlsx_expected(stored: str) -> str:
    """What an .xlsx cell holds for stored text (truncated to the cell limit)."""
    text = xml_newlines(spreadsheet_expected(stored))
    return text if len(text) <= XLSX_CELL_LIMIT else text[:XLSX_CELL_LIMIT]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def xlsx_cells(content: bytes) -> list[str]:
    """Every text cell of every sheet (the file must open)."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [
        cell
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    ]


def csv_cells(content: bytes) -> list[str]:
    assert content.startswith("\ufeff".encode())  # the BOM, so Excel reads UTF-8
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    return [cell for row in rows for cell in row]


def assert_no_formulas(cells: list[str]) -> None:
    """No text cell starts like a formula, except numbers (a negative number is data)."""
    formulas = [c for c in cells if c.startswith(FORMULA_PREFIXES) and not _is_number(c)]
    assert formulas == [], formulas[:3]


def assert_in_xlsx(content: bytes, stored: list[str]) -> None:
    cells = xlsx_cells(content)
    assert_no_formulas(cells)
    assert all(len(c) <= XLSX_CELL_LIMIT for c in cells)
    for text in stored:
        expected = xlsx_expected(text)
        if len(spreadsheet_expected(text)) > XLSX_CELL_LIMIT:  # truncated, with a marker
            assert any(c.startswith(expected[:1000]) and "[truncated" in c for c in cells)
        else:
            assert expected in cells, expected


def assert_in_csv(content: bytes, stored: list[str]) -> None:
    cells = csv_cells(content)
    assert_no_formulas(cells)
    for text in stored:
        assert spreadsheet_expected(text).replace("\r", "\n") in [
            c.replace("\r", "\n") for c in cells
        ]


def docx_text(content: bytes) -> str:
    """All the text of a Word file, paragraphs and table cells (the file must open)."""
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for p in document.sections[0].header.paragraphs]
    return "\n".join(parts)


def _squeezed(text: str) -> str:
    return "".join(text.split())


def assert_in_docx(content: bytes, stored: list[str]) -> None:
    """Word keeps the text (cleaned, not formula-escaped); line breaks may become
    paragraphs, so whitespace is ignored in the comparison."""
    text = _squeezed(docx_text(content))
    for item in stored:
        assert _squeezed(clean_text(item)) in text, item[:40]
