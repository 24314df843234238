"""Exports of django-tables2 tables (``?_export=csv`` / ``?_export=xlsx``) through the one
CSV and XLSX writers, in place of django-tables2's TableExport (tablib and openpyxl, which
neither escape formulas nor drop the characters an .xlsx file cannot hold)."""

from __future__ import annotations

from django.http import HttpResponse
from django_tables2 import Table

from kccperf.output.csv import csv_response
from kccperf.output.xlsx import xlsx_bytes, xlsx_response

EXPORT_FORMATS = ("csv", "xlsx")


def is_export_format(value: str | None) -> bool:
    """Whether ``?_export=`` names a format the tables export to."""
    return value in EXPORT_FORMATS


def table_export(
    table: Table, export_format: str, filename: str, title: str = "Export"
) -> HttpResponse:
    """The table's rows as shown (every row, not one page): its ``value_<column>`` values,
    without columns marked ``exclude_from_export``; ``title`` names the sheet of an .xlsx."""
    if not is_export_format(export_format):
        raise ValueError(f"Not an export format: {export_format!r}")
    values = table.as_values()
    headers = [str(header) for header in next(values)]
    if export_format == "csv":
        return csv_response(headers, values, filename)
    return xlsx_response(xlsx_bytes(title, headers, values), filename)
