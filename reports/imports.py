"""Import of supporting tables from CSV/XLSX in a long format: one row per cell.

Columns: table_slug, quarter, title, directorate, row_group, row_label, column_group,
column_label, value, unit, footnote, row_header, empty_text, order. The rows of a
(table_slug, quarter) pair are the whole table: rows and columns appear in the order they
first occur in the file, and cells stored before but missing from the file are removed.
Table-level columns (title, directorate, footnote, row_header, empty_text, order) may be
given on the table's first row only; where repeated they must agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from decimal import Decimal
from typing import Any

from django.db.models import Q

from kccperf.imports import Column, Importer, ImportIssue, ImportPlan, ParsedRow, RowReader
from kccperf.models import Directorate
from kccperf.periods import Quarter
from kccperf.text_limits import limit
from reports.formatting import parse_cell
from reports.models import ReportTable
from reports.services import CellValue, TableData, save_table

TABLE_FIELDS = ("title", "directorate", "footnote", "row_header", "empty_text", "order")
DEFAULTS = {"empty_text": "–", "order": 0, "directorate": "", "footnote": "", "row_header": ""}


class ReportTableImporter(Importer):
    kind = "report-tables"
    title = "report tables"
    description = (
        "Supporting tables of the Quarterly Performance Report, one row per cell. The rows of a "
        "table_slug and quarter make up the whole table: its rows and columns appear in the "
        "order of the file, and cells not in the file are removed from the table."
    )
    columns = [
        Column("table_slug", help="Names the table, e.g. calls-by-service", example="calls"),
        Column("quarter", help="e.g. Q2 2019/20", example="Q2 2019/20"),
        Column("title", required=False, help="Table title (first row of the table)", example=""),
        Column(
            "directorate",
            required=False,
            help="Directorate slug or short name; empty for a council-wide table",
            example="customer-services",
        ),
        Column("row_group", required=False, help="Optional heading over rows", example=""),
        Column("row_label", help="Row label", example="Adult Social Care"),
        Column("column_group", required=False, help="Optional heading over columns", example=""),
        Column("column_label", help="Column label", example="Jul–Sep 19"),
        Column(
            "value",
            required=False,
            help="A number (1,234 / 76% / £1.3) or empty for no value",
            example="31",
        ),
        Column("unit", required=False, help="%, £ or a word; read from value if empty"),
        Column("footnote", required=False, help="Shown under the table"),
        Column("row_header", required=False, help="Heading of the row labels' column"),
        Column("empty_text", required=False, help="What an empty cell shows (default –)"),
        Column("order", required=False, help="Position in the directorate's section"),
    ]

    def prepare(self, rows):
        self.directorates: dict[str, Directorate] = {}
        for directorate in Directorate.objects.all():
            self.directorates[directorate.slug] = directorate
            self.directorates[directorate.short_name] = directorate

    def parse_row(self, row: RowReader) -> ParsedRow | None:
        slug = row.text("table_slug", max_length=80)
        if slug and not all(ch.isalnum() or ch in "-_" for ch in slug):
            row.add("table_slug", "use letters, digits and hyphens only")
        quarter = row.quarter("quarter")
        directorate = row.lookup(
            "directorate", self.directorates, "unknown directorate", required=False
        )
        row_label = row.text("row_label", max_length=300)
        column_label = row.text("column_label", max_length=200)
        raw = row.cells.get("value", "").strip()
        try:
            value, places, unit = parse_cell(raw)
        except ValueError as exc:
            row.add("value", str(exc))
            value, places, unit = None, 0, ""
        unit = row.text("unit", required=False, max_length=10) or unit
        order = row.integer("order", required=False, minimum=0, maximum=999)
        if row.has_errors:
            return None
        values: dict[str, Any] = {
            "value": value,
            "unit": unit,
            "title": row.text("title", required=False, max_length=250),
            "directorate": directorate.slug if directorate else "",
            "footnote": row.text(
                "footnote", required=False, max_length=limit(ReportTable, "footnote")
            ),
            "row_header": row.text("row_header", required=False, max_length=120),
            "empty_text": row.text("empty_text", required=False, max_length=20),
            "order": order,
        }
        parsed = ParsedRow(
            row.number,
            key=(
                slug,
                quarter.slug,
                row.text("row_group", required=False),
                row_label,
                row.text("column_group", required=False),
                column_label,
            ),
            values=values,
            label=f"{slug} {quarter.label}: {row_label} / {column_label}",
        )
        parsed.places = places
        return parsed

    def check_rows(self, parsed: list[ParsedRow]) -> list[ImportIssue]:
        """Table-level values must agree within a table; the first given applies to all."""
        issues = []
        for rows in _by_table(parsed).values():
            for name in TABLE_FIELDS:
                given = [(r.row, r.values[name]) for r in rows if r.values[name] not in ("", None)]
                distinct = {value for _, value in given}
                if len(distinct) > 1:
                    first = given[0][0]
                    for number, value in given:
                        if value != given[0][1]:
                            issues.append(
                                ImportIssue(
                                    number, name, f"differs from row {first} of the same table"
                                )
                            )
                chosen = given[0][1] if given else DEFAULTS.get(name, "")
                if name == "title" and not given:
                    issues.append(ImportIssue(rows[0].row, "title", "the table needs a title"))
                for r in rows:
                    r.values[name] = chosen
        return issues

    def existing(self, parsed: list[ParsedRow]) -> dict[Hashable, dict[str, Any]]:
        tables = {(key[0], key[1]) for key in (r.key for r in parsed)}
        condition = Q(pk__in=[])
        for slug, quarter_slug in tables:
            condition |= Q(slug=slug, period__start=Quarter.parse(quarter_slug).start)
        stored = {}
        for table in ReportTable.objects.filter(condition).with_cells():
            base = {
                "title": table.title,
                "directorate": table.directorate.slug if table.directorate else "",
                "footnote": table.footnote,
                "row_header": table.row_header,
                "empty_text": table.empty_text,
                "order": table.order,
            }
            grid = table.grid()
            for r, row in enumerate(table.rows):
                for c, column in enumerate(table.columns):
                    cell = grid[r][c]
                    key = (
                        table.slug,
                        table.period.slug,
                        row.get("group", ""),
                        row["label"],
                        column.get("group", ""),
                        column["label"],
                    )
                    stored[key] = {
                        **base,
                        "value": cell.value if cell else None,
                        "unit": cell.unit if cell else "",
                    }
        return stored

    def apply(self, plan: ImportPlan, user) -> None:
        every = plan.new + [c.row for c in plan.changed] + plan.unchanged
        touched = {r.key[:2] for r in plan.new + [c.row for c in plan.changed]}
        directorates = {d.slug: d for d in Directorate.objects.all()}
        for table_key, rows in _by_table(every).items():
            if table_key in touched:
                save_table(table_from_rows(table_key, rows, directorates), user)


def _by_table(parsed: list[ParsedRow]) -> dict[tuple, list[ParsedRow]]:
    tables: dict[tuple, list[ParsedRow]] = defaultdict(list)
    for row in sorted(parsed, key=lambda r: r.row):
        tables[row.key[:2]].append(row)
    return tables


def table_from_rows(table_key: tuple, rows: list[ParsedRow], directorates) -> TableData:
    first = rows[0].values
    data = TableData(
        slug=table_key[0],
        quarter=Quarter.parse(table_key[1]),
        title=first["title"],
        directorate=directorates.get(first["directorate"]),
        footnote=first["footnote"],
        row_header=first["row_header"],
        empty_text=first["empty_text"] or "–",
        order=first["order"] or 0,
    )
    row_index: dict[tuple, int] = {}
    column_index: dict[tuple, int] = {}
    for parsed in rows:
        _, _, row_group, row_label, column_group, column_label = parsed.key
        r = row_index.setdefault((row_group, row_label), len(row_index))
        c = column_index.setdefault((column_group, column_label), len(column_index))
        value: Decimal | None = parsed.values["value"]
        if value is not None:
            data.cells[(r, c)] = CellValue(
                value, getattr(parsed, "places", 0), parsed.values["unit"]
            )
    data.rows = [{"label": label, "group": group} for group, label in row_index]
    data.columns = [{"label": label, "group": group} for group, label in column_index]
    return data
