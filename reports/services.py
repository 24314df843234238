"""Multi-row writes: report tables (from the demo data, an import or the edit form) and
publishing a report's snapshot."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kccperf.models import Directorate, ReportingPeriod
from kccperf.periods import Quarter
from kccperf.versioning import bump, lock_version
from reports.models import Report, ReportTable, ReportTableCell, ReportVersion


@dataclass
class CellValue:
    value: Decimal | None
    places: int = 0
    unit: str = ""


@dataclass
class TableData:
    """A whole table as loaded: labels (each ``{"label", "group"}``) and a grid of cells."""

    slug: str
    quarter: Quarter
    title: str
    directorate: Directorate | None = None
    footnote: str = ""
    row_header: str = ""
    empty_text: str = "–"
    order: int = 0
    rows: list[dict] = field(default_factory=list)
    columns: list[dict] = field(default_factory=list)
    cells: dict[tuple[int, int], CellValue] = field(default_factory=dict)


def save_table(data: TableData, user=None, base_version: int | None = None) -> ReportTable:
    """Create or update the table ``data.slug`` of the quarter: its labels and every cell.

    Cells not in ``data`` are removed, so the loaded data is the whole table; saving the
    same data again writes nothing. ``base_version``: the version the edit form was read at; a
    save since then refuses with :class:`~kccperf.versioning.StaleEditError`."""
    with transaction.atomic():
        period = ReportingPeriod.objects.ensure(data.quarter)
        fields = {
            "title": data.title,
            "directorate": data.directorate,
            "footnote": data.footnote,
            "row_header": data.row_header,
            "empty_text": data.empty_text or "–",
            "order": data.order,
            "rows": data.rows,
            "columns": data.columns,
        }
        table = lock_version(
            ReportTable.objects.filter(slug=data.slug, period=period), base_version, what="table"
        )
        changed = table is None
        if table is None:
            table = ReportTable(slug=data.slug, period=period)
        for name, value in fields.items():
            if getattr(table, name) != value:
                setattr(table, name, value)
                changed = True
        stored = {} if table.pk is None else {(c.row, c.column): c for c in table.cells.all()}
        to_create, to_update = [], []
        for place, cell in data.cells.items():
            current = stored.pop(place, None)
            if current is None:
                to_create.append(
                    ReportTableCell(
                        row=place[0],
                        column=place[1],
                        value=cell.value,
                        places=cell.places,
                        unit=cell.unit,
                    )
                )
            elif (current.value, current.places, current.unit) != (
                cell.value,
                cell.places,
                cell.unit,
            ):
                current.value, current.places, current.unit = cell.value, cell.places, cell.unit
                to_update.append(current)
        if changed or to_create or to_update or stored:
            table.updated_at = timezone.now()
            table.updated_by = user
            bump(table)
            table.save()
        for cell in to_create:
            cell.table = table
        ReportTableCell.objects.bulk_create(to_create)
        ReportTableCell.objects.bulk_update(to_update, ["value", "places", "unit"])
        if stored:
            ReportTableCell.objects.filter(pk__in=[c.pk for c in stored.values()]).delete()
    return table


def save_texts(report: Report, texts: dict[str, str], by, base_version: int | None) -> Report:
    """Keep the analysts' words with ``report``; refuses with
    :class:`~kccperf.versioning.StaleEditError` when they were saved since the form was loaded
    at ``base_version``."""
    with transaction.atomic():
        stored = lock_version(
            Report.objects.filter(pk=report.pk), base_version, what="report's texts"
        )
        report.version = stored.version if stored else 0
        report.texts = texts
        report.updated_at = timezone.now()
        report.updated_by = by
        bump(report)
        report.save(update_fields=["texts", "updated_at", "updated_by", "version"])
    return report


def publish(report: Report, data: dict, user, note: str = "") -> ReportVersion:
    """Store ``data`` (the report as built now) as the next version, with what changed since
    the version before."""
    from reports.snapshots import diff

    with transaction.atomic():
        # Two analysts publishing at once must not both become version N.
        list(Report.objects.select_for_update().filter(pk=report.pk).order_by().values("pk"))
        latest = report.versions.order_by("-number").first()
        report.period.mark_published()
        return ReportVersion.objects.create(
            report=report,
            number=(latest.number + 1) if latest else 1,
            data=data,
            changes=diff(latest.data, data) if latest else [],
            note=note,
            published_by=user,
        )
