"""Spreadsheet exports of tables: formula escaping and file names."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers are left alone (a negative number is data, not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class EscapedExportMixin:
    """For django-tables2 tables: every exported text cell is formula-escaped."""

    def as_values(self, exclude_columns=None):
        for index, row in enumerate(super().as_values(exclude_columns=exclude_columns)):
            yield row if index == 0 else [escape_formula(cell) for cell in row]
