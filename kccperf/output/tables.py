"""Exports of django-tables2 tables (``?_export=csv`` / ``?_export=xlsx``) through the one
CSV and XLSX writers, in place of django-tables2's TableExport (tablib and openpyxl, which
neither escape formulas nor drop the characters an .xlsx file cannot hold)."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django_tables2 import Table

from kccperf.output.conventions import About
from kccperf.output.csv import csv_response
from kccperf.output.permissions import check_export
from kccperf.output.xlsx import xlsx_bytes, xlsx_response

EXPORT_FORMATS = ("csv", "xlsx")


def requested_export(
    request, formats: tuple[str, ...] = EXPORT_FORMATS, *, area: str | None = None
) -> str | None:
    """The ``?_export=`` format a page is asked for (None: the page itself). A format the page
    does not offer is a 400 whose message names the ones it does (``?_export=yaml``); someone
    the export rule (kccperf/output/permissions.py) does not allow gets 403."""
    value = request.GET.get("_export")
    if not value:
        return None
    if value not in formats:
        shown = value if len(value) <= 20 else f"{value[:20]}…"
        raise BadRequest(
            f"Unknown export format {shown!r}: this page exports to {', '.join(formats)}"
        )
    check_export(request.user, area)
    return value


def is_export_format(value: str | None) -> bool:
    """Whether ``?_export=`` names a format the tables export to."""
    return value in EXPORT_FORMATS


def table_export(
    table: Table, export_format: str, about: About, title: str = "Export"
) -> HttpResponse:
    """The table's rows as shown (every row, not one page): its ``value_<column>`` values,
    without columns marked ``exclude_from_export``; ``about`` names the file (report,
    quarter, extraction time), ``title`` the data's sheet of an .xlsx."""
    if not is_export_format(export_format):
        raise ValueError(f"Not an export format: {export_format!r}")
    values = table.as_values()
    headers = [str(header) for header in next(values)]
    if export_format == "csv":
        return csv_response(headers, values, about)
    content = xlsx_bytes(title, headers, values, about)
    return xlsx_response(content, about.filename("xlsx"))
