"""Demo KPI data from fixtures/kpis_demo.json: the seed QPR's 35 KPIs with targets, floor
standards (illustrative where the seed prints none), results since Q1 2018/19, activity
indicators with expected ranges and benchmarks, and directorate commentary for Q2 2019/20.

Idempotent: natural keys (KPI code, financial year + from quarter, KPI + quarter, indicator
slug + period) with update_or_create, and results through ``record_result``, which writes
nothing when the value is unchanged.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from kccperf.demo import quarter_moment, read_fixture
from kccperf.models import Directorate, ReportingPeriod, User
from kccperf.periods import FinancialYear, Quarter
from kpis.models import (
    ActivityIndicator,
    DirectorateCommentary,
    IndicatorValue,
    Kpi,
    KpiResult,
    KpiTarget,
)
from kpis.services import record_result, verify_results

FIXTURE = "kpis_demo.json"

# Why the demo revises a figure the seed prints as final (record_result asks for a reason).
REVISED_REASON = "The data owner sent a corrected figure"


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def period_start(label: str, frequency: str) -> date:
    """First day of a quarter ("Q2 2019/20") or month ("Sep 2019")."""
    if frequency == ActivityIndicator.Frequency.MONTH:
        return datetime.strptime(label, "%b %Y").date()
    return Quarter.parse(label).start


class _Periods(dict):
    """ReportingPeriod per quarter, created once (``ensure``) and then remembered."""

    def __missing__(self, quarter: Quarter) -> ReportingPeriod:
        self[quarter] = ReportingPeriod.objects.ensure(quarter)
        return self[quarter]


def load(password: str) -> None:
    data = read_fixture(FIXTURE)
    directorates = {d.slug: d for d in Directorate.objects.all()}
    periods = _Periods((p.quarter, p) for p in ReportingPeriod.objects.all())
    # The organisation's demo analyst (kccperf/demo.py) enters the results and commentary.
    analyst = User.objects.filter(username="analyst").first()
    for item in data["kpis"]:
        _load_kpi(item, directorates, analyst, periods)
    for item in data["activity_indicators"]:
        _load_indicator(item, directorates, periods)
    for item in data["directorate_commentary"]:
        period = periods[Quarter.parse(item["quarter"])]
        DirectorateCommentary.objects.update_or_create(
            directorate=directorates[item["directorate"]],
            period=period,
            defaults={
                "text": item["text"],
                "written_by": analyst,
                "written_at": quarter_moment(period.quarter),
            },
        )


def _load_kpi(item: dict, directorates: dict, analyst, periods: _Periods) -> None:
    kpi, _ = Kpi.objects.update_or_create(
        code=item["code"],
        defaults={
            "title": item["title"],
            "directorate": directorates[item["directorate"]],
            "unit": item["unit"],
            "higher_is_better": item["higher_is_better"],
            "decimal_places": item["decimal_places"],
            "rolling_12_months": item["rolling_12_months"],
            "frequency": item["frequency"],
            "data_source": item.get("data_source", ""),
            "owner": item.get("owner", ""),
            "data_period_note": item.get("data_period_note", ""),
        },
    )
    for target in item["targets"]:
        KpiTarget.objects.update_or_create(
            kpi=kpi,
            financial_year=FinancialYear.parse(target["financial_year"]).start_year,
            from_quarter=target["from_quarter"],
            defaults={
                "target": _decimal(target["target"]),
                "floor": _decimal(target["floor"]),
                "reason": target.get("reason", ""),
            },
        )
    existing = {
        r.period.start: r for r in KpiResult.objects.filter(kpi=kpi).select_related("period")
    }
    for result in item["results"]:
        quarter = Quarter.parse(result["quarter"])
        period = periods[quarter]
        fields = (
            _decimal(result["value"]),
            result.get("commentary", ""),
            result.get("data_period", ""),
        )
        provisional = result["provisional"]
        current = existing.get(quarter.start)
        if (
            current
            and (current.value, current.commentary, current.data_period) == fields
            and current.provisional == provisional
        ):
            continue  # unchanged: record_result would write nothing either
        if "revised_from" in result and current is None:
            # First published figure, later revised: loading it first leaves the revision.
            record_result(
                kpi,
                period,
                _decimal(result["revised_from"]),
                "",
                fields[2],
                analyst,
                at=quarter_moment(quarter),
            )
            revised_at = quarter_moment(quarter.next())
        else:
            revised_at = quarter_moment(quarter)
        stored, _ = record_result(
            kpi,
            period,
            *fields,
            analyst,
            reason=REVISED_REASON,
            mark_provisional=provisional,
            at=revised_at,
        )
        if not provisional and stored.provisional:
            # Figures the seed prints as final were checked after their quarter ended.
            verify_results({stored.pk: None}, analyst, at=quarter_moment(quarter.next()))


def _load_indicator(item: dict, directorates: dict, periods: _Periods) -> None:
    indicator, _ = ActivityIndicator.objects.update_or_create(
        slug=item["slug"],
        defaults={
            "title": item["title"],
            "directorate": directorates[item["directorate"]],
            "unit": item["unit"],
            "frequency": item["frequency"],
            "higher_is_better": item.get("higher_is_better"),
            "note": item.get("note", ""),
        },
    )
    existing = {v.period_start: v for v in indicator.values.all()}
    new = []
    for value in item["values"]:
        start = period_start(value["period"], indicator.frequency)
        if indicator.frequency == ActivityIndicator.Frequency.QUARTER:
            periods[Quarter.containing(start)]  # a quarter with data is on record
        fields = {
            "label": value["period"],
            "value": _decimal(value["value"]),
            "upper": _decimal(value["upper"]),
            "lower": _decimal(value["lower"]),
            "benchmark": _decimal(value["benchmark"]),
        }
        row = existing.get(start)
        if row is None:
            new.append(IndicatorValue(indicator=indicator, period_start=start, **fields))
        elif any(getattr(row, name) != wanted for name, wanted in fields.items()):
            for name, wanted in fields.items():
                setattr(row, name, wanted)
            row.save()
    IndicatorValue.objects.bulk_create(new)
