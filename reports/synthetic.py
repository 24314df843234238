"""Synthetic supporting tables for benchmarks, and a published QPR and SDP report for the
latest quarter (runs after the other apps' generators: reports is installed last)."""

from __future__ import annotations

import random
from decimal import Decimal

from kccperf.models import Directorate, Outcome, ReportingPeriod
from kccperf.periods import Quarter
from reports.builders import build
from reports.models import Report, ReportTable, ReportTableCell
from reports.services import publish

# The seed QPR has 7 supporting tables of about 10 rows by 5 columns.
TABLES = 7
ROWS = 10
COLUMNS = 5


def generate(scale: int, rng: random.Random, quarters: list[Quarter]) -> None:
    directorates = list(Directorate.objects.all())
    periods = {
        p.start: p for p in ReportingPeriod.objects.filter(start__in=[q.start for q in quarters])
    }
    tables = []
    for quarter in quarters[-4:]:
        period = periods[quarter.start]
        for n in range(TABLES * scale):
            tables.append(
                ReportTable(
                    slug=f"synthetic-{n + 1}",
                    period=period,
                    directorate=directorates[n % len(directorates)] if directorates else None,
                    title=f"Synthetic table {n + 1}",
                    footnote="Synthetic data for benchmarks.",
                    row_header="Service",
                    rows=[{"label": f"Service {r + 1}", "group": ""} for r in range(ROWS)],
                    columns=[{"label": f"Column {c + 1}", "group": ""} for c in range(COLUMNS)],
                    order=n,
                )
            )
    ReportTable.objects.bulk_create(tables, ignore_conflicts=True, batch_size=500)
    stored = ReportTable.objects.filter(slug__startswith="synthetic-", cells__isnull=True)
    cells = [
        ReportTableCell(
            table=table,
            row=r,
            column=c,
            value=Decimal(rng.randint(0, 5000)),
            places=0,
        )
        for table in stored
        for r in range(ROWS)
        for c in range(COLUMNS)
    ]
    ReportTableCell.objects.bulk_create(cells, ignore_conflicts=True, batch_size=2000)
    latest = (
        ReportingPeriod.objects.filter(start__in=[q.start for q in quarters])
        .order_by("-start")
        .first()
    )
    if latest is None:
        return
    outcome = Outcome.objects.order_by("number").first()
    for kind, for_outcome in (
        (Report.Kind.QPR, None),
        (Report.Kind.SDP_COUNCIL, None),
        (Report.Kind.SDP_OUTCOME, outcome),
    ):
        if kind == Report.Kind.SDP_OUTCOME and outcome is None:
            continue
        report, _ = Report.objects.get_or_create(kind=kind, period=latest, outcome=for_outcome)
        if not report.versions.exists():
            publish(report, build(report), None, "Synthetic data for benchmarks")
