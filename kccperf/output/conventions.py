"""The house conventions of every spreadsheet the portal hands out, in one place.

Every CSV and XLSX (table exports, dashboard figures, scorecards, the analyst workbook, the
import templates) goes through ``kccperf.output.csv`` or ``kccperf.output.xlsx``, and both
take their cell values and file names from here:

* **Cells** (:func:`cell_value`): text cleaned and formula-escaped (``kccperf.output.text``);
  booleans as ``Yes``/``No``; every time in Europe/London (the portal's ``TIME_ZONE``,
  aware times converted with ``localtime``; files carry no zone); dates kept as dates (real
  Excel dates in XLSX, ``yyyy-mm-dd`` in CSV, :func:`csv_cell`); numbers kept as numbers;
  nothing missing is ever written as ``None``: it is an empty cell.
* **What the file is** (:class:`About`): the report, the quarter and the time of extraction.
  An XLSX carries them on its first sheet, "About"; a CSV in its file name
  (``kpi-scorecard-2019-20-Q2-extracted-2026-12-02-1415.csv``), because a line above the
  column names breaks every program that reads the first line as the header (Excel's
  Power Query, pandas, the portal's own importers). An XLSX file has the same name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from kccperf.output.text import spreadsheet_value
from kccperf.periods import Quarter

YES, NO = "Yes", "No"
DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%Y-%m-%d %H:%M"  # as the XLSX number format yyyy-mm-dd hh:mm shows it
# Column widths (Excel character widths): from the longest value, within these bounds.
MIN_WIDTH, MAX_WIDTH = 8, 60
DATE_WIDTH, TIME_WIDTH = 11, 17


def _now() -> datetime:
    return timezone.now()


@dataclass(frozen=True)
class About:
    """What a downloaded file holds: named on an XLSX's first sheet and in every file name.

    ``stem``: the file name's start (``kpi-scorecard``); ``report``: the report's name as
    people say it ("KPI scorecard"); ``scope``: what part of it, when not all ("Strategic
    Outcome 1", "Children, Young People and Education").
    """

    stem: str
    report: str
    quarter: Quarter | None = None
    scope: str = ""
    extracted_at: datetime = field(default_factory=_now)

    @property
    def local_extracted_at(self) -> datetime:
        """The extraction time in Europe/London, without a zone (as files show it)."""
        return timezone.localtime(self.extracted_at).replace(tzinfo=None, microsecond=0)

    def filename(self, extension: str) -> str:
        """``<stem>[-<yyyy-yy>-Q<n>]-extracted-<yyyy-mm-dd>-<hhmm>.<extension>``: colons are
        not allowed in Windows file names, so the time is hhmm."""
        parts = [self.stem]
        if self.quarter is not None:
            parts.append(f"{self.quarter.financial_year.slug}-Q{self.quarter.number}")
        parts.append(f"extracted-{self.local_extracted_at:%Y-%m-%d-%H%M}")
        return f"{'-'.join(parts)}.{extension}"

    def rows(self) -> list[tuple[str, object]]:
        """The "About" sheet's rows (label, value)."""
        rows: list[tuple[str, object]] = [("Report", self.report)]
        if self.scope:
            rows.append(("Scope", self.scope))
        quarter = self.quarter.label if self.quarter else "Not tied to a quarter"
        rows.append(("Quarter", quarter))
        if self.quarter is not None:
            rows.append(("Quarter runs", f"{self.quarter.start} to {self.quarter.end}"))
        rows += [
            ("Extracted", self.local_extracted_at),
            ("Times are", "UK time (Europe/London: GMT, or BST in summer)"),
            ("Dates are", "Excel dates, shown yyyy-mm-dd"),
            ("Source", "kccperf, Kent County Council's performance portal"),
        ]
        return rows


def cell_value(value: object) -> object:
    """A body cell for CSV or XLSX by the conventions above: str, int, float, Decimal,
    date, naive Europe/London datetime, or None (an empty cell)."""
    if isinstance(value, bool):
        return YES if value else NO
    return spreadsheet_value(value)


def csv_cell(value: object) -> object:
    """A body cell as a CSV writes it: dates and times as ISO text, empty for None."""
    value = cell_value(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(TIME_FORMAT)
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def display_width(value: object) -> int:
    """How wide a column must be to show ``value`` (a cell as :func:`cell_value` gives it):
    the longest line of text, a fixed width for dates and times."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return TIME_WIDTH
    if isinstance(value, date):
        return DATE_WIDTH
    text = value if isinstance(value, str) else str(value)
    if "\n" in text:
        return max(len(line) for line in text.split("\n"))
    return len(text)


def column_widths(widths: Sequence[int]) -> list[int]:
    """Excel widths from the widest value of each column (plus room for the filter arrow
    and padding), at least :data:`MIN_WIDTH`, at most :data:`MAX_WIDTH` (a long text stays
    whole in its cell; its column is not made wider than a screen)."""
    return [min(MAX_WIDTH, max(MIN_WIDTH, width + 2)) for width in widths]
