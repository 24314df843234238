"""Factories for KPI data: make_<thing>(**overrides)."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.utils import timezone

from kccperf.models import ReportingPeriod
from kccperf.periods import Quarter
from kpis.models import (
    ActivityIndicator,
    DirectorateCommentary,
    IndicatorValue,
    Kpi,
    KpiResult,
    KpiTarget,
)
from tests.factories import make_directorate

_seq = itertools.count(1)


def make_kpi(**overrides) -> Kpi:
    n = next(_seq)
    fields = {
        "code": f"T{n:03d}",
        "title": f"Test KPI {n}",
        "unit": "percentage",
        "higher_is_better": True,
        "decimal_places": 0,
    }
    fields.update(overrides)
    if "directorate" not in fields:
        fields["directorate"] = make_directorate()
    return Kpi.objects.create(**fields)


def make_target(kpi: Kpi, **overrides) -> KpiTarget:
    fields = {
        "financial_year": 2019,
        "from_quarter": 1,
        "target": Decimal(90),
        "floor": Decimal(80),
    }
    fields.update(overrides)
    return KpiTarget.objects.create(kpi=kpi, **fields)


def make_result(kpi: Kpi, quarter: str | Quarter = "Q2 2019/20", value=90, **overrides):
    if isinstance(quarter, str):
        quarter = Quarter.parse(quarter)
    period = ReportingPeriod.objects.ensure(quarter)
    # Verified unless asked otherwise (kpis.models.KpiResult: provisional until verified).
    provisional = overrides.pop("provisional", False)
    fields = {"provisional": provisional, "verified_at": None if provisional else timezone.now()}
    fields.update(overrides)
    return KpiResult.objects.create(kpi=kpi, period=period, value=Decimal(str(value)), **fields)


def make_indicator(**overrides) -> ActivityIndicator:
    n = next(_seq)
    fields = {"slug": f"indicator-{n}", "title": f"Indicator {n}", "unit": "number"}
    fields.update(overrides)
    if "directorate" not in fields:
        fields["directorate"] = make_directorate()
    return ActivityIndicator.objects.create(**fields)


def make_indicator_value(indicator, quarter: str = "Q2 2019/20", value=100, **overrides):
    q = Quarter.parse(quarter)
    fields = {"upper": Decimal(120), "lower": Decimal(80), "benchmark": None}
    fields.update(overrides)
    return IndicatorValue.objects.create(
        indicator=indicator,
        period_start=q.start,
        label=q.label,
        value=None if value is None else Decimal(str(value)),
        **fields,
    )


def make_commentary(directorate, quarter: str = "Q2 2019/20", text="Commentary", **overrides):
    period = ReportingPeriod.objects.ensure(Quarter.parse(quarter))
    return DirectorateCommentary.objects.create(
        directorate=directorate, period=period, text=text, **overrides
    )


def make_scored_kpis(count: int, *, quarters=("Q1 2019/20", "Q2 2019/20"), directorate=None):
    """``count`` KPIs, each with a 2019/20 target and a result in every one of ``quarters``."""
    directorate = directorate or make_directorate()
    kpis = []
    for i in range(count):
        kpi = make_kpi(directorate=directorate)
        make_target(kpi)
        for j, quarter in enumerate(quarters):
            make_result(kpi, quarter, 75 + (i + j) % 20)
        kpis.append(kpi)
    return kpis
