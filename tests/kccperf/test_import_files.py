"""Reading uploaded files: encodings, binary files, sheets and the limits (kccperf.import_files)."""

from __future__ import annotations

import codecs
import tracemalloc

import pytest

from bench.hostile_files import two_sheet_workbook, utf16_csv, xlsx, xlsx_bomb
from kccperf import import_files
from kccperf.import_files import ImportFileError, read_table

TEXT = "kpi_code,title\nCYPE05,Café – “quoted”\n"
EXPECTED = (["kpi_code", "title"], [(2, {"kpi_code": "CYPE05", "title": "Café – “quoted”"})])


@pytest.mark.parametrize(
    "content",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with its BOM, little-endian here
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),  # the documented fallback: older Excel's "CSV"
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "windows-1252"],
)
def test_csv_text_is_read_in_every_encoding_spreadsheets_save(content):
    assert read_table(content, "f.csv") == EXPECTED


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            TEXT.encode("utf-16-le"),
            "not UTF-8 text (it looks like a binary file)",
        ),  # UTF-16 without its BOM: NUL bytes
        (TEXT.encode("utf-32"), "not UTF-8 text (it looks like a binary file)"),
        (b"kpi_code\nCYPE\x0005\n", "not UTF-8 text (it looks like a binary file)"),
        (b"kpi_code\nCYPE\x0b05\n", "line 2 holds the control character"),
        (
            b"\x81\x8d\x8f\x90\x9d" * 3,
            "not UTF-8 text (it looks like a binary file)",
        ),  # not UTF-8, not Windows-1252
        (codecs.BOM_UTF16_BE + b"\xd8\x00\x00", "byte 3 is not"),
        (bytes(range(256)) * 4, "not UTF-8 text (it looks like a binary file)"),
    ],
    ids=["utf-16-no-bom", "utf-32", "nul", "control", "undefined-bytes", "bad-utf16", "binary"],
)
def test_files_that_are_not_text_are_refused_with_what_to_do(content, message):
    with pytest.raises(ImportFileError) as caught:
        read_table(content, "f.csv")
    assert message in str(caught.value)
    assert "save it as CSV UTF-8" in str(caught.value)


def test_a_workbook_with_data_on_two_sheets_is_refused_naming_them():
    with pytest.raises(ImportFileError) as caught:
        read_table(two_sheet_workbook(), "f.xlsx")
    assert '2 sheets ("Results", "Notes")' in str(caught.value)


def test_empty_extra_sheets_and_chart_of_the_data_are_fine():
    content = xlsx(("Data", [["a", "b"], [1, 2]]), ("Empty", []), ("Blank cells", [[None, ""]]))
    assert read_table(content, "f.xlsx") == (["a", "b"], [(2, {"a": "1", "b": "2"})])


def test_a_cell_far_to_the_right_is_refused_naming_the_column_not_padded():
    rows = [["a"], [1] + [None] * 200 + ["far"]]
    with pytest.raises(ImportFileError) as caught:
        read_table(xlsx(("Data", rows)), "f.xlsx")
    assert 'Sheet "Data", row 2: a value in column GT' in str(caught.value)


def test_too_many_rows_columns_or_characters_are_refused(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_ROWS", 3)
    many = "a\n" + "x\n" * 4
    with pytest.raises(ImportFileError, match="more than 3 data rows"):
        read_table(many.encode(), "f.csv")
    wide = ",".join(["c"] * 61) + "\n"
    with pytest.raises(ImportFileError, match="Row 1 has 61 columns"):
        read_table(wide.encode(), "f.csv")
    huge = "a\n" + "x" * 40_000 + "\n"
    with pytest.raises(ImportFileError, match="Row 2, column 1 holds 40,000 characters"):
        read_table(huge.encode(), "f.csv")


def test_a_csv_that_is_not_well_formed_names_the_line():
    with pytest.raises(ImportFileError, match="Line 2: not readable as CSV"):
        read_table(b'a\n"x' + b"y" * 200_000 + b"\n", "f.csv")


@pytest.mark.parametrize(
    ("name", "content", "filename"),
    [
        ("bomb", xlsx_bomb(135), "bomb.xlsx"),
        ("bomb within the size limit", xlsx_bomb(30), "bomb.xlsx"),
        ("two sheets", two_sheet_workbook(), "two.xlsx"),
    ],
)
def test_hostile_workbooks_are_refused_with_little_memory(name, content, filename):
    """How fast they are refused is the benchmark's to measure (bench/benchmark.py
    --uploads-only), not a timing assert that a busy machine would fail."""
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError):
            read_table(content, filename)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, f"{name}: {peak / 1e6:.1f} MB"


def test_a_damaged_workbook_is_refused_not_raised():
    for content in (b"PK\x03\x04 not a zip", xlsx_bomb(1)[:5000], b""):
        with pytest.raises(ImportFileError, match="not a readable Excel workbook"):
            read_table(content, "f.xlsx")


def test_utf16_from_excel_unicode_text_is_read():
    header, rows = read_table(utf16_csv(), "f.csv")
    assert header == ["kpi_code", "quarter", "value"]
    assert rows == [(2, {"kpi_code": "CYPE05", "quarter": "Q2 2019/20", "value": "91"})]


def test_the_benchmark_times_the_refusal_of_each_hostile_upload(cast, capsys):
    from bench.benchmark import hostile_uploads

    hostile_uploads()
    lines = capsys.readouterr().out.splitlines()
    rows = {line[:44].strip(): line[44:].split() for line in lines[1:]}
    for label in (
        "zip bomb (.xlsx, 135 MB of XML)",
        "workbook with data on 2 sheets",
        "UTF-16 CSV without its BOM",
    ):
        size, status, median_ms, peak_mb, rss_mb = rows[label][:5]
        assert status == "422", label
        assert float(median_ms) > 0, label  # timed; how fast is the benchmark's report
        assert float(peak_mb) < 50, label
        assert rss_mb == "n/a" or float(rss_mb) < 200, label
    # With its BOM, UTF-16 is read: the rows are checked (no KPI CYPE05 in this database).
    assert " ".join(rows["UTF-16 CSV (read, then checked)"][5:]).startswith(
        'Row 2, column "kpi_code"'
    )
