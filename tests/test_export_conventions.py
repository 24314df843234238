"""Every CSV and XLSX the portal hands out follows the house conventions
(kccperf/output/conventions.py). The downloads are not listed here: they are found by
walking every page an analyst reaches from home and following each download link on them
(tests/a11y/discovery.py), so a new export is checked as soon as a page links to it, and
every download of the permission matrix must be among those found.

Checked on every file: CSV starts with the UTF-8 byte-order mark, dates are yyyy-mm-dd,
booleans Yes/No, nothing reads "None", "True" or "False", times are Europe/London, the file
name says report, quarter and extraction time; XLSX: a first sheet "About" (report,
quarter, extraction time), a frozen header row and a width on every column of every sheet,
dates and times as real Excel dates (not text)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from urllib.parse import parse_qsl

import openpyxl
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import resolve

from monitoring.models import Return
from tests.a11y.discovery import discover
from tests.factories import PASSWORD
from tests.spreadsheets import filename_of
from tests.test_export_rule import DOWNLOAD_VIEWS
from tests.test_permission_matrix import CASES

pytestmark = pytest.mark.django_db

# A summer day: London is on BST, an hour ahead of UTC.
SUMMER = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
SUMMER_LONDON = datetime(2026, 7, 1, 11, 0)
# Every submitted return's time: 10:17 UTC is 11:17 in London.
SUBMITTED = datetime(2019, 9, 13, 10, 17, tzinfo=UTC)
SUBMITTED_LONDON = datetime(2019, 9, 13, 11, 17)
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORDS_NEVER_WRITTEN = {"None", "True", "False", "none", "true", "false"}
DATE_AS_TEXT = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d\d-\d\d([ T]\d\d:\d\d(:\d\d)?)?")
NOT_ISO = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d\d-\d\dT|[+-]\d\d:\d\d$")
# Pages whose whole view is a download but not a spreadsheet.
NOT_SPREADSHEETS = {"monitoring:scorecards-print"}


@pytest.fixture
def analyst(db):
    call_command("load_demo", "--no-migrate", password=PASSWORD, verbosity=0)
    Return.objects.filter(submitted_at__isnull=False).update(submitted_at=SUBMITTED)
    return get_user_model().objects.get(username="analyst")


def _kind(url: str) -> tuple[str, str]:
    """(view name, format) of a download link."""
    path, _, query = url.partition("?")
    last = path.rstrip("/").rsplit("/", 1)[-1]  # "template.csv", "xlsx"
    export = dict(parse_qsl(query)).get("_export") or last.rsplit(".", 1)[-1]
    return resolve(path).view_name, export


def _found_downloads(client) -> dict[tuple[str, str], str]:
    """One URL of each kind of download linked from the pages an analyst reaches."""
    downloads: set[str] = set()
    discover(client, downloads=downloads)
    kinds: dict[tuple[str, str], str] = {}
    for url in sorted(downloads):
        kinds.setdefault(_kind(url), url)
    return kinds


def _check_csv(url: str, content: bytes) -> list[str]:
    assert content.startswith(b"\xef\xbb\xbf"), f"{url}: no byte-order mark"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows and all(rows[0]), f"{url}: the first line is not the column names"
    cells = [cell for row in rows[1:] for cell in row]
    assert rows[1:], f"{url}: no rows"
    for cell in cells:
        assert cell not in WORDS_NEVER_WRITTEN, f"{url}: {cell!r} in a cell"
        assert not NOT_ISO.search(cell), f"{url}: {cell!r} is not an ISO date or time"
    return cells


def _check_xlsx(url: str, content: bytes, *, report: bool) -> list[object]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheets = workbook.worksheets
    if report:
        about = dict(sheets[0].iter_rows(min_row=2, max_col=2, values_only=True))
        assert sheets[0].title == "About", f"{url}: the first sheet is {sheets[0].title!r}"
        assert about["Report"] and about["Quarter"], f"{url}: {about}"
        assert about["Extracted"] == SUMMER_LONDON, f"{url}: extracted {about['Extracted']}"
        assert workbook.active is sheets[1], f"{url}: does not open on its data"
    else:  # an import template: the importers read a workbook of one sheet
        assert len(sheets) == 1, url
    values: list[object] = []
    for sheet in sheets:
        where = f"{url} sheet {sheet.title!r}"
        assert sheet.freeze_panes in ("A2", "B2"), f"{where}: header row not frozen"
        header = [cell.value for cell in sheet[1]]
        assert header and header[0], f"{where}: no header row"
        for column in range(1, sheet.max_column + 1):
            letter = openpyxl.utils.get_column_letter(column)
            width = sheet.column_dimensions[letter].width
            assert sheet.column_dimensions[letter].customWidth and width >= 8, (where, letter)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                value = cell.value
                assert not isinstance(value, bool), f"{where} {cell.coordinate}: TRUE/FALSE"
                if isinstance(value, str):
                    assert value not in WORDS_NEVER_WRITTEN, f"{where} {cell.coordinate}"
                    assert not DATE_AS_TEXT.fullmatch(value), f"{where}: date as text {value}"
                if isinstance(value, datetime | date):
                    assert cell.number_format.startswith("yyyy-mm-dd"), (where, cell.coordinate)
                values.append(value)
    return values


def test_every_download_found_on_the_pages_follows_the_conventions(client, analyst):
    client.force_login(analyst)
    found = _found_downloads(client)
    names = {name for name, _ in found}
    in_matrix = {
        case.url_name
        for case in CASES
        if ("_export=" in case.query and "_export=docx" not in case.query)
        or case.url_name in DOWNLOAD_VIEWS
    } - NOT_SPREADSHEETS
    assert in_matrix <= names, f"downloads no page links to: {sorted(in_matrix - names)}"
    # The kinds of spreadsheet the portal makes, at least (the walk finds any new one too).
    assert {
        ("kpis:scorecard", "csv"),
        ("kpis:scorecard", "xlsx"),
        ("kpis:directorate", "csv"),
        ("kpis:directorate", "xlsx"),
        ("monitoring:council-dashboard", "figures"),
        ("monitoring:outcome-dashboard", "xlsx"),
        ("monitoring:chase-period", "csv"),
        ("risks:register", "xlsx"),
        ("monitoring:scorecards-xlsx", "xlsx"),
        ("reports:workbook", "xlsx"),
        ("monitoring:import-returns-template", "csv"),
        ("kpis:import-results-template", "xlsx"),
    } <= set(found)

    checked, times = [], []
    with time_machine.travel(SUMMER, tick=False):
        client.force_login(analyst)
        for (name, export), url in sorted(found.items()):
            response = client.get(url)
            assert response.status_code == 200, url
            content_type = response["Content-Type"]
            if content_type not in (CSV_TYPE, XLSX_TYPE):
                continue  # Word files: kccperf/output/docx.py
            template = name.endswith("-template")
            filename = filename_of(response)
            if template:
                assert re.fullmatch(r"[a-z-]+-template\.(csv|xlsx)", filename), filename
            else:
                assert re.search(r"-extracted-2026-07-01-1100\.(csv|xlsx)$", filename), filename
            if content_type == CSV_TYPE:
                _check_csv(url, response.content)
            else:
                values = _check_xlsx(url, response.content, report=not template)
                times += [v for v in values if isinstance(v, datetime) and v.hour]
            checked.append((name, export))
    assert len(checked) >= 20, checked
    # The returns' submission times, wherever they are exported, are London's.
    assert SUBMITTED_LONDON in times
    assert SUBMITTED.replace(tzinfo=None) not in times
