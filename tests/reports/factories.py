from __future__ import annotations

from decimal import Decimal

from kccperf.models import Outcome, ReportingPeriod
from kccperf.periods import Quarter
from reports.builders import build
from reports.models import Report, ReportTable
from reports.services import CellValue, TableData, publish, save_table

Q2 = Quarter(2019, 2)


def make_table(**overrides) -> ReportTable:
    n = ReportTable.objects.count() + 1
    fields = {
        "slug": f"table-{n}",
        "quarter": Q2,
        "title": f"Table {n}",
        "rows": [{"label": "Row A", "group": ""}, {"label": "Row B", "group": ""}],
        "columns": [{"label": "Col 1", "group": ""}, {"label": "Col 2", "group": ""}],
        "cells": {
            (0, 0): CellValue(Decimal("1")),
            (0, 1): CellValue(Decimal("2")),
            (1, 0): CellValue(Decimal("3.5"), 1),
        },
    }
    fields.update(overrides)
    return save_table(TableData(**fields))


def make_report(kind: str = Report.Kind.QPR, quarter: Quarter = Q2, outcome: int | None = None):
    period = ReportingPeriod.objects.ensure(quarter)
    outcome_obj = None
    if outcome is not None:
        outcome_obj, _ = Outcome.objects.get_or_create(
            number=outcome, defaults={"title": f"Outcome {outcome}"}
        )
    report, _ = Report.objects.get_or_create(kind=kind, period=period, outcome=outcome_obj)
    return report


def make_published(kind: str = Report.Kind.QPR, quarter: Quarter = Q2, outcome=None, user=None):
    report = make_report(kind, quarter, outcome)
    publish(report, build(report), user)
    return report
