"""Synthetic KPI data for benchmarks: ``scale`` × the council's 35 KPIs and 41 activity
indicators over the given quarters, with a target and floor per financial year, a result
every quarter (a few revised), indicator values with expected ranges, and directorate
commentary every quarter. Deterministic from ``rng``; written with bulk_create."""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils import timezone

from kccperf.models import Directorate, ReportingPeriod
from kccperf.periods import Quarter
from kpis.models import (
    ActivityIndicator,
    DirectorateCommentary,
    IndicatorValue,
    Kpi,
    KpiResult,
    KpiResultRevision,
    KpiTarget,
    Unit,
)

KPIS_PER_SCALE = 35
INDICATORS_PER_SCALE = 41


def _d(value: float, places: int = 1) -> Decimal:
    return Decimal(str(round(value, places)))


def generate(scale: int, rng: random.Random, quarters: list[Quarter]) -> None:
    directorates = list(Directorate.objects.order_by("order", "name"))
    periods = {q: ReportingPeriod.objects.ensure(q) for q in quarters}
    years = sorted({q.start_year for q in quarters})
    now = timezone.now()
    start = Kpi.objects.filter(code__startswith="SYN").count()

    kpis = []
    for n in range(KPIS_PER_SCALE * scale):
        higher = rng.random() < 0.7
        kpis.append(
            Kpi(
                code=f"SYN{start + n + 1:05d}",
                title=f"Synthetic KPI {start + n + 1}",
                directorate=directorates[n % len(directorates)],
                unit=rng.choice([Unit.PERCENTAGE, Unit.PERCENTAGE, Unit.NUMBER, Unit.DAYS]),
                higher_is_better=higher,
                decimal_places=rng.choice([0, 0, 1]),
            )
        )
    kpis = Kpi.objects.bulk_create(kpis)

    targets, results = [], []
    for kpi in kpis:
        level = rng.uniform(40, 95)
        spread = rng.uniform(3, 10)
        for year in years:
            target = level + rng.uniform(-2, 2)
            floor = (
                None
                if rng.random() < 0.1
                else target - spread
                if kpi.higher_is_better
                else (target + spread)
            )
            targets.append(
                KpiTarget(
                    kpi=kpi,
                    financial_year=year,
                    from_quarter=1,
                    target=_d(target),
                    floor=None if floor is None else _d(floor),
                )
            )
        value = level
        for quarter in quarters:
            value = min(max(value + rng.uniform(-4, 4), 0), 100)
            # Earlier years' values are verified, the latest year's provisional.
            verified = quarter.start_year != years[-1]
            results.append(
                KpiResult(
                    kpi=kpi,
                    period=periods[quarter],
                    value=_d(value),
                    provisional=not verified,
                    verified_at=now if verified else None,
                    commentary=f"Synthetic commentary for {quarter.label}."
                    if rng.random() < 0.3
                    else "",
                    entered_at=now,
                    version=1,
                )
            )
    KpiTarget.objects.bulk_create(targets)
    results = KpiResult.objects.bulk_create(results)
    revisions = [
        KpiResultRevision(
            result=result,
            old_value=result.value + 1,
            new_value=result.value,
            old_provisional=True,
            new_provisional=result.provisional,
            revised_at=now,
        )
        for result in results
        if rng.random() < 0.05
    ]
    KpiResultRevision.objects.bulk_create(revisions)

    start = ActivityIndicator.objects.filter(slug__startswith="syn-").count()
    indicators = ActivityIndicator.objects.bulk_create(
        ActivityIndicator(
            slug=f"syn-{start + n + 1:05d}",
            title=f"Synthetic activity indicator {start + n + 1}",
            directorate=directorates[n % len(directorates)],
            unit=Unit.NUMBER,
        )
        for n in range(INDICATORS_PER_SCALE * scale)
    )
    values = []
    for indicator in indicators:
        level = rng.uniform(100, 20000)
        has_range = rng.random() < 0.8
        for quarter in quarters:
            level *= rng.uniform(0.97, 1.03)
            value = level * rng.uniform(0.85, 1.15)
            values.append(
                IndicatorValue(
                    indicator=indicator,
                    period_start=quarter.start,
                    label=quarter.label,
                    value=_d(value, 0),
                    upper=_d(level * 1.1, 0) if has_range else None,
                    lower=_d(level * 0.9, 0) if has_range else None,
                    benchmark=None if has_range else _d(level * 1.05, 0),
                )
            )
    IndicatorValue.objects.bulk_create(values, batch_size=5000)

    existing = set(DirectorateCommentary.objects.values_list("directorate_id", "period_id"))
    DirectorateCommentary.objects.bulk_create(
        DirectorateCommentary(
            directorate=directorate,
            period=periods[quarter],
            text=f"Synthetic commentary for {directorate.name}, {quarter.label}.",
            written_at=now,
        )
        for directorate in directorates
        for quarter in quarters
        if (directorate.pk, periods[quarter].pk) not in existing
    )
