"""Spreadsheet exports shared by every app: formula escaping and file names with the period."""

from __future__ import annotations

from kccperf.periods import Quarter

# Text starting with one of these is run as a formula by Excel (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers are left alone (a negative number is data, not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_filename(stem: str, quarter: Quarter, extension: str) -> str:
    """E.g. ``sdp-outstanding-returns-2019-20-Q2.csv``."""
    return f"{stem}-{quarter.financial_year.slug}-Q{quarter.number}.{extension}"


class EscapedExportMixin:
    """For django-tables2 tables: every exported text cell below the header is escaped."""

    def as_values(self, exclude_columns=None):
        for index, row in enumerate(super().as_values(exclude_columns=exclude_columns)):
            yield row if index == 0 else [escape_formula(cell) for cell in row]
