"""The analyst workbook of a quarter (.xlsx): one sheet each for the KPI scorecard, activity
indicator values, SDP returns (every field), outcome figures, risk register, mitigating
actions and supporting tables.

Numbers and dates are written as Excel numbers and dates (not text); header rows are frozen;
text is made safe by the one XLSX writer, ``kccperf.output.xlsx`` (formulas escaped,
characters an .xlsx cannot hold dropped, long text truncated, times in Europe/London); each
sheet comes from a fixed number of queries. The apps' sheets come from their reporting modules
(``kpis.reporting``, ``monitoring.reporting``, ``risks.reporting``) as plain rows.
"""

from __future__ import annotations

from collections import defaultdict

from kccperf import figure_cache
from kccperf.output.conventions import About
from kccperf.output.xlsx import XlsxSheet, XlsxWriter
from kccperf.periods import Quarter
from kccperf.reporting import Sheet
from kpis import reporting as kpis_reporting
from monitoring import reporting as monitoring_reporting
from reports.models import ReportTable, ReportTableCell
from risks import reporting as risks_reporting


class _Sheet:
    """A sheet of the workbook with a bold, frozen header row (the writer makes text safe)."""

    def __init__(self, workbook: XlsxWriter, title: str, headers: list[str]):
        self.sheet = workbook.create_sheet(title, headers)

    def add(self, values: list) -> None:
        self.sheet.append(values)


def _add_sheet(workbook: XlsxWriter, data: Sheet) -> None:
    sheet = _Sheet(workbook, data.title, data.headers)
    for row in data.rows:
        sheet.add(row)


def _tables_sheet(workbook: XlsxWriter, quarter: Quarter) -> None:
    """In the import format, so the sheet can be corrected and loaded back."""
    sheet = _Sheet(
        workbook,
        "Supporting tables",
        [
            "table_slug",
            "quarter",
            "title",
            "directorate",
            "row_group",
            "row_label",
            "column_group",
            "column_label",
            "value",
            "unit",
            "footnote",
            "row_header",
            "empty_text",
            "order",
        ],
    )
    tables = list(ReportTable.objects.for_quarter(quarter).select_related("directorate"))
    # The cells as plain rows in one query (prefetching builds a queryset per table).
    cells: dict[int, dict[tuple[int, int], tuple]] = defaultdict(dict)
    for table_id, r, c, value, unit in ReportTableCell.objects.filter(
        table__period__start=quarter.start
    ).values_list("table_id", "row", "column", "value", "unit"):
        cells[table_id][(r, c)] = (value, unit)
    for table in tables:
        grid = cells.get(table.pk, {})
        first = True
        for r, row in enumerate(table.rows):
            for c, column in enumerate(table.columns):
                value, unit = grid.get((r, c), (None, ""))
                sheet.add(
                    [
                        table.slug,
                        quarter.label,
                        table.title if first else None,
                        (table.directorate.slug if table.directorate else None) if first else None,
                        row.get("group") or None,
                        row["label"],
                        column.get("group") or None,
                        column["label"],
                        value,
                        unit or None,
                        (table.footnote or None) if first else None,
                        (table.row_header or None) if first else None,
                        table.empty_text if first else None,
                        table.order if first else None,
                    ]
                )
                first = False


def _data_sheets(quarter: Quarter, about: About) -> list[XlsxSheet]:
    workbook = XlsxWriter(about)
    app_sheets = [
        kpis_reporting.kpi_sheet(quarter),
        kpis_reporting.indicator_sheet(quarter),
        monitoring_reporting.returns_sheet(quarter),
        monitoring_reporting.figures_sheet(quarter),
        *risks_reporting.workbook_sheets(quarter),
    ]
    for sheet in app_sheets:
        _add_sheet(workbook, sheet)
    _tables_sheet(workbook, quarter)
    return workbook.sheets


def analyst_workbook(quarter: Quarter, about: About) -> bytes:
    """The workbook's data sheets are written once per version of the data of every app
    they read (the figure cache): the next download, until something is written, only adds
    the "About" sheet (its extraction time) and zips them."""
    workbook = XlsxWriter(about)
    workbook.sheets = figure_cache.value(
        "analyst-workbook",
        (quarter.slug,),
        figure_cache.SCOPES,
        lambda: _data_sheets(quarter, about),
    )
    return workbook.save()
