"""CSV/XLSX imports shared by the three apps: read, check every row, preview, apply atomically.

An app describes one file format by subclassing :class:`Importer`::

    class ResultsImporter(Importer):
        kind = "kpi-results"
        title = "KPI results"
        columns = [Column("kpi_code", help="e.g. CYPE05", example="CYPE05"), ...]

        def prepare(self, rows):            # bulk lookups, once per file (no per-row queries)
            self.kpis = {k.code: k for k in Kpi.objects.all()}

        def parse_row(self, row):           # row: a RowReader for one spreadsheet row
            kpi = row.lookup("kpi_code", self.kpis, "unknown KPI code")
            value = row.decimal("value")
            if row.has_errors:
                return None
            return ParsedRow(row.number, key=(kpi.pk, ...), values={"value": value, ...})

        def existing(self, parsed):         # current values of the keys in the file
            return {(r.kpi_id, ...): {"value": r.value, ...} for r in ...}

        def apply(self, plan, user):        # runs inside transaction.atomic()
            ...

Every row is checked before anything is written; errors name the spreadsheet row and the
column (``Row 14, column "value": not a number``); nothing is written unless every row is
valid; a row equal to what is stored is "unchanged", so importing the same file again changes
nothing.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kccperf.import_files import ImportFileError, read_table
from kccperf.output.csv import csv_text
from kccperf.output.xlsx import xlsx_bytes
from kccperf.periods import Quarter

TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0", ""}


ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def _example_cell(example: str) -> object:
    """A template's example value: a date as a date (a real Excel date in the .xlsx)."""
    return date.fromisoformat(example) if ISO_DATE.fullmatch(example) else example


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = True
    help: str = ""
    example: str = ""


@dataclass(frozen=True)
class ImportIssue:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f'column "{self.column}"')
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ParsedRow:
    row: int
    key: Hashable
    values: dict[str, Any]
    # What the preview shows for the row (defaults to the key).
    label: str = ""

    def __post_init__(self):
        if not self.label:
            self.label = " / ".join(str(part) for part in _as_tuple(self.key))


def _as_tuple(key) -> tuple:
    return key if isinstance(key, tuple) else (key,)


@dataclass
class Change:
    row: ParsedRow
    before: dict[str, Any]

    @property
    def fields(self) -> list[tuple[str, Any, Any]]:
        return [
            (name, self.before.get(name), value)
            for name, value in self.row.values.items()
            if _normal(self.before.get(name)) != _normal(value)
        ]


@dataclass
class ImportPlan:
    new: list[ParsedRow] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[ParsedRow] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def to_write(self) -> int:
        return len(self.new) + len(self.changed)

    @property
    def rows(self) -> int:
        return len(self.new) + len(self.changed) + len(self.unchanged)

    def summary(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "errors": len(self.errors),
        }


def _normal(value):
    """Compare stored and imported values the way a person would (2 == 2.0 == Decimal('2.00'))."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(sorted(_normal(v) for v in value))
    if value == "":
        return None
    return value


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S")
DATE_HINT = "not a date like 2019-09-30 or 30/09/2019"


def parse_day(text: str) -> date | None:
    """A file cell's date (ISO, dd/mm/yyyy, or a spreadsheet's date-time), else None."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


class RowReader:
    """One spreadsheet row: typed getters that record errors against the row and column."""

    def __init__(self, number: int, cells: dict[str, str]):
        self.number = number
        self.cells = cells
        self.errors: list[ImportIssue] = []

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def add(self, column: str | None, message: str) -> None:
        self.errors.append(ImportIssue(self.number, column, message))

    def text(self, column: str, *, required: bool = True, max_length: int | None = None) -> str:
        value = self.cells.get(column, "").strip()
        if required and not value:
            self.add(column, "is empty")
        elif max_length and len(value) > max_length:
            self.add(column, f"is {len(value):,} characters long; it can be at most {max_length:,}")
        return value

    def decimal(self, column: str, *, required: bool = True) -> Decimal | None:
        raw = self.cells.get(column, "").strip().replace(",", "")
        if raw.endswith("%"):
            raw = raw[:-1].strip()
        if not raw:
            if required:
                self.add(column, "is empty")
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.add(column, f"not a number ({self.cells.get(column)!r})")
            return None
        if not value.is_finite():
            self.add(column, "not a number")
            return None
        return value

    def integer(
        self,
        column: str,
        *,
        required: bool = True,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        value = self.decimal(column, required=required)
        if value is None:
            return None
        if value != value.to_integral_value():
            self.add(column, f"not a whole number ({self.cells.get(column)!r})")
            return None
        number = int(value)
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.add(column, f"must be between {minimum} and {maximum}, got {number}")
            return None
        return number

    def date(self, column: str, *, required: bool = True) -> date | None:
        raw = self.cells.get(column, "").strip()
        if not raw:
            if required:
                self.add(column, "is empty")
            return None
        day = parse_day(raw)
        if day is None:
            self.add(column, f"{DATE_HINT} ({raw!r})")
        return day

    def boolean(self, column: str, *, default: bool = False) -> bool:
        raw = self.cells.get(column, "").strip().lower()
        if not raw:
            return default
        if raw in TRUE_WORDS:
            return True
        if raw in FALSE_WORDS:
            return False
        self.add(column, f"must be yes or no ({self.cells.get(column)!r})")
        return default

    def quarter(self, column: str, *, required: bool = True) -> Quarter | None:
        raw = self.cells.get(column, "").strip()
        if not raw:
            if required:
                self.add(column, "is empty")
            return None
        try:
            return Quarter.parse(raw)
        except ValueError:
            self.add(column, f"not a quarter like Q2 2019/20 ({raw!r})")
            return None

    def choice(self, column: str, choices: dict[str, Any], *, required: bool = True):
        """A value from ``choices`` (matched case-insensitively on its keys)."""
        raw = self.cells.get(column, "").strip()
        if not raw:
            if required:
                self.add(column, "is empty")
            return None
        lowered = {str(k).lower(): v for k, v in choices.items()}
        if raw.lower() not in lowered:
            self.add(column, f"must be one of {', '.join(map(str, choices))} ({raw!r})")
            return None
        return lowered[raw.lower()]

    def choices(self, column: str, choices: dict[str, Any], *, separator: str = ";") -> list:
        """Several values from ``choices`` separated by ``;``."""
        raw = self.cells.get(column, "").strip()
        result = []
        lowered = {str(k).lower(): v for k, v in choices.items()}
        for part in filter(None, (p.strip() for p in raw.split(separator))):
            if part.lower() not in lowered:
                self.add(column, f"{part!r} is not one of {', '.join(map(str, choices))}")
            else:
                result.append(lowered[part.lower()])
        return result

    def lookup(self, column: str, known: dict[str, Any], message: str, *, required: bool = True):
        """An existing object by its natural key (``known`` built once in ``prepare``)."""
        raw = self.cells.get(column, "").strip()
        if not raw:
            if required:
                self.add(column, "is empty")
            return None
        if raw not in known:
            self.add(column, f"{message} ({raw!r})")
            return None
        return known[raw]


class Importer(ABC):
    kind: str = ""
    title: str = ""
    description: str = ""
    columns: list[Column] = []
    permission: str = "kccperf.load_data"
    # The page the upload pages sit under in the breadcrumbs: (label, URL name).
    parent: tuple[str, str] | None = None

    # Hooks ---------------------------------------------------------------------------------
    def prepare(self, rows: list[tuple[int, dict[str, str]]]) -> None:  # noqa: B027 - optional hook
        """Bulk lookups needed by parse_row (one set of queries per file); optional."""

    @abstractmethod
    def parse_row(self, row: RowReader) -> ParsedRow | None:
        """The typed values of one row, or None when the row has errors."""

    @abstractmethod
    def existing(self, parsed: list[ParsedRow]) -> dict[Hashable, dict[str, Any]]:
        """Stored values for the keys in the file, keyed like ParsedRow.key."""

    @abstractmethod
    def apply(self, plan: ImportPlan, user) -> None:
        """Write plan.new and plan.changed; runs inside transaction.atomic()."""

    def check_rows(self, parsed: list[ParsedRow]) -> list[ImportIssue]:
        """Checks across rows (beyond duplicate keys); override when a format needs them."""
        return []

    # Machinery -----------------------------------------------------------------------------
    def plan(self, content: bytes, filename: str) -> ImportPlan:
        plan = ImportPlan()
        try:
            header, rows = read_table(content, filename)
        except ImportFileError as exc:
            plan.errors.append(ImportIssue(None, None, str(exc)))
            return plan
        known = {column.name for column in self.columns}
        seen_names: set[str] = set()
        for name in header:
            if name and name in seen_names:
                plan.errors.append(ImportIssue(1, name, "this column appears more than once"))
            seen_names.add(name)
        for column in self.columns:
            if column.required and column.name not in header:
                plan.errors.append(ImportIssue(1, column.name, "this column is missing"))
        for name in header:
            if name and name not in known:
                plan.errors.append(
                    ImportIssue(1, name, f"unknown column (expected: {', '.join(sorted(known))})")
                )
        if plan.errors:
            return plan
        if not rows:
            plan.errors.append(ImportIssue(None, None, "The file has no data rows"))
            return plan
        self.prepare(rows)
        parsed: list[ParsedRow] = []
        seen: dict[Hashable, int] = {}
        for number, cells in rows:
            reader = RowReader(number, cells)
            result = self.parse_row(reader)
            plan.errors.extend(reader.errors)
            if result is None or reader.has_errors:
                continue
            if result.key in seen:
                plan.errors.append(
                    ImportIssue(number, None, f"repeats row {seen[result.key]} ({result.label})")
                )
                continue
            seen[result.key] = number
            parsed.append(result)
        plan.errors.extend(self.check_rows(parsed))
        if plan.errors:
            return plan
        stored = self.existing(parsed)
        for row in parsed:
            before = stored.get(row.key)
            if before is None:
                plan.new.append(row)
            else:
                change = Change(row, before)
                (plan.changed.append(change) if change.fields else plan.unchanged.append(row))
        return plan

    def run(self, content: bytes, filename: str, user, *, dry_run: bool = False) -> ImportPlan:
        """Plan and, if every row is valid, apply in one transaction."""
        with transaction.atomic():
            plan = self.plan(content, filename)
            if plan.ok and not dry_run and (plan.new or plan.changed):
                self.apply(plan, user)
        return plan

    def check_permission(self, user) -> None:
        if not user.has_perm(self.permission):
            raise PermissionDenied

    # Templates -----------------------------------------------------------------------------
    def template_rows(self) -> Iterable[list[str]]:
        yield [column.name for column in self.columns]
        yield [column.example for column in self.columns]

    def _template(self) -> tuple[list[str], list[list[object]]]:
        headers, *rows = self.template_rows()
        return headers, [[_example_cell(value) for value in row] for row in rows]

    def template_csv(self) -> bytes:
        headers, rows = self._template()
        return csv_text(headers, rows).encode("utf-8")

    def template_xlsx(self) -> bytes:
        headers, rows = self._template()
        # No "About" sheet: the importers read a workbook of one sheet.
        return xlsx_bytes(self.title or "Import", headers, rows, None)
