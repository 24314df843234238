"""The house spreadsheet conventions (kccperf/output/conventions.py), on the writers
themselves, without a database."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl

from kccperf.output.conventions import About, cell_value, csv_cell
from kccperf.output.csv import csv_text
from kccperf.output.xlsx import XlsxWriter, xlsx_bytes
from kccperf.periods import Quarter

SUMMER = datetime(2019, 9, 13, 11, 0, tzinfo=UTC)  # 12:00 in London (BST)
WINTER = datetime(2019, 12, 13, 11, 0, tzinfo=UTC)  # 11:00 in London (GMT)
ABOUT = About("kpi-scorecard", "KPI scorecard", Quarter(2019, 2), extracted_at=SUMMER)
ROW = [True, False, None, SUMMER, WINTER, date(2019, 9, 30), Decimal("1E+1"), "=1+1"]
HEADERS = ["Yes", "No", "Empty", "Summer", "Winter", "Date", "Number", "Text"]


def test_cells_are_yes_no_london_times_and_never_none():
    assert cell_value(True) == "Yes" and cell_value(False) == "No"
    assert cell_value(None) is None
    assert cell_value(SUMMER) == datetime(2019, 9, 13, 12, 0)
    assert cell_value(WINTER) == datetime(2019, 12, 13, 11, 0)
    assert cell_value(date(2019, 9, 30)) == date(2019, 9, 30)
    assert cell_value("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert [csv_cell(v) for v in ROW] == [
        "Yes",
        "No",
        "",
        "2019-09-13 12:00",
        "2019-12-13 11:00",
        "2019-09-30",
        "10",
        "'=1+1",
    ]


def test_the_csv_starts_with_a_bom_then_the_column_names():
    text = csv_text(HEADERS, [ROW])
    assert text.startswith("\ufeffYes,No,Empty,")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows == [HEADERS, [csv_cell(v) for v in ROW]]


def test_the_file_name_says_report_quarter_and_london_extraction_time():
    assert ABOUT.filename("csv") == "kpi-scorecard-2019-20-Q2-extracted-2019-09-13-1200.csv"
    timeless = About("risk-register", "Corporate risk register", extracted_at=WINTER)
    assert timeless.filename("xlsx") == "risk-register-extracted-2019-12-13-1100.xlsx"


def test_a_report_workbook_opens_on_its_data_after_an_about_sheet():
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes("Data", HEADERS, [ROW], ABOUT)))
    assert workbook.sheetnames == ["About", "Data"]
    assert workbook.active.title == "Data"
    about = dict(workbook["About"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert about["Report"] == "KPI scorecard" and about["Quarter"] == "Q2 2019/20"
    assert about["Extracted"] == datetime(2019, 9, 13, 12, 0)  # London, not UTC
    assert about["Sheet"] == "Data (1 row)"
    data = workbook["Data"]
    values = [cell.value for cell in data[2]]
    assert values[:3] == ["Yes", "No", None]
    assert values[3:6] == [
        datetime(2019, 9, 13, 12, 0),
        datetime(2019, 12, 13, 11, 0),
        datetime(2019, 9, 30),
    ]
    assert data["D2"].number_format == "yyyy-mm-dd hh:mm"
    assert data["F2"].number_format == "yyyy-mm-dd"
    assert values[6:] == [10, "'=1+1"]


def test_columns_are_as_wide_as_their_content_within_bounds():
    writer = XlsxWriter(None)
    sheet = writer.create_sheet("Widths", ["A", "Title", "When", "Notes"])
    sheet.append(["x", "A title of 27 characters ..", SUMMER, "y" * 500])
    loaded = openpyxl.load_workbook(io.BytesIO(writer.save()))
    assert loaded.sheetnames == ["Widths"]  # no About sheet: an import template
    widths = {k: v.width for k, v in loaded["Widths"].column_dimensions.items()}
    # the longest value + 2, at least 8, at most 60; a time takes 17 (+ 2)
    assert widths == {"A": 8, "B": 29, "C": 19, "D": 60}
    assert loaded["Widths"].freeze_panes == "A2"


def test_other_downloads_are_named_by_the_same_rule():
    from kccperf.output.names import export_filename

    name = export_filename("qpr", Quarter(2019, 2), "pdf")
    assert re.fullmatch(r"qpr-2019-20-Q2-extracted-\d{4}-\d\d-\d\d-\d{4}\.pdf", name)
