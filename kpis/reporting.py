"""What the KPI app gives the reports app (its front door): the QPR's KPI and activity
indicator figures of a quarter as plain, JSON-ready data, their charts drawn from that
data (a draft's or a published snapshot's), and the KPI sheets of the analyst workbook.

Numbers are kept twice where a chart or a diff needs them: the raw value as a string
(``"97.5"``) and the text the report prints (``"97.5%"``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from kccperf.comparison import LOOKUP, Completeness, Lookup
from kccperf.models import Directorate, Stage
from kccperf.periods import Quarter
from kccperf.reporting import Sheet
from kpis import charts
from kpis.formatting import format_value, indicator_places
from kpis.models import (
    ActivityIndicator,
    DirectorateCommentary,
    IndicatorValue,
    Kpi,
    KpiResult,
    KpiTarget,
    Unit,
)
from kpis.scorecards import Scorecard, Summary, target_in_force
from kpis.scoring import Rag, indicator_flag

TREND_QUARTERS = 8


def _str(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _decimal(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


# How complete a collecting quarter is ------------------------------------------------------


def completeness(quarter: Quarter, user) -> Completeness | None:
    """How many of the KPIs of ``quarter`` have a value (one query); ``None`` for people
    who do not read the KPI scorecards."""
    if not user.has_perm("kccperf.view_all"):
        return None
    kpis = Kpi.objects.visible_to(user).active_in(quarter)
    valued = KpiResult.objects.filter(
        kpi=OuterRef("pk"), period__start=quarter.start, value__isnull=False
    )
    counts = kpis.aggregate(total=Count("pk"), done=Count("pk", filter=Q(Exists(valued))))
    return Completeness(counts["done"], counts["total"], "KPI values entered")


# The QPR's KPI section ------------------------------------------------------------------


def summary_counts(summary: Summary) -> dict:
    return {
        "total": summary.total,
        "green": summary.green,
        "amber": summary.amber,
        "red": summary.red,
        "not_rated": summary.not_rated,
        "previous_green": summary.previous_rag[Rag.GREEN],
        "previous_amber": summary.previous_rag[Rag.AMBER],
        "previous_red": summary.previous_rag[Rag.RED],
        "green_change": summary.green_change,
        "improved": summary.improved,
        "worsened": summary.worsened,
        "same": summary.same,
        "no_direction": summary.no_direction,
        # Only while the quarter is collecting and KPIs are still missing (so the figures
        # of closed and published quarters keep their exact shape):
        **(
            {"like_for_like": True, "withheld": summary.withheld, "note": summary.comparison_note}
            if summary.like_for_like
            else {}
        ),
    }


def kpi_items(
    quarter: Quarter, stage: Stage | None | Lookup = LOOKUP
) -> tuple[list[dict], Scorecard]:
    """Scorecard rows with an 8-quarter series (values, targets, floors) for each KPI."""
    card = Kpi.objects.all().scorecard(quarter, trend_quarters=TREND_QUARTERS, stage=stage)
    window = quarter.window(TREND_QUARTERS)
    ids = [row.kpi.pk for row in card.rows]
    targets: dict[int, list[KpiTarget]] = defaultdict(list)
    years = {q.start_year for q in window}
    for target in KpiTarget.objects.filter(kpi_id__in=ids, financial_year__in=years):
        targets[target.kpi_id].append(target)
    items = []
    for row in card.rows:
        kpi = row.kpi
        series = []
        for q, value in row.trend:
            target = target_in_force(targets[kpi.pk], q)
            series.append(
                {
                    "quarter": q.label,
                    "value": _str(value),
                    "target": _str(target.target) if target else None,
                    "floor": _str(target.floor) if target and target.floor is not None else None,
                }
            )
        items.append(
            {
                "code": kpi.code,
                "title": kpi.title,
                "directorate": kpi.directorate.slug,
                "unit": kpi.unit,
                "decimal_places": kpi.decimal_places,
                "higher_is_better": kpi.higher_is_better,
                "value": row.value_display,
                "previous": row.previous_display,
                "target": row.target_display,
                "floor": row.floor_display,
                "rag": row.rag.value if row.rag else None,
                "previous_rag": row.previous_rag.value if row.previous_rag else None,
                "direction": row.direction.value if row.direction else None,
                "no_direction": row.no_direction,
                "provisional": row.provisional,
                "data_period": row.current.data_period if row.current else "",
                "series": series,
            }
        )
    return items, card


def _indicator_item(indicator: dict, values: list[tuple], units: dict[str, str]) -> dict:
    places = indicator_places([v[1] for v in values] + [v[4] for v in values])
    latest = values[-1] if values else None
    flag = indicator_flag(latest[1], latest[2], latest[3]) if latest else None
    unit = indicator["unit"]
    return {
        "slug": indicator["slug"],
        "title": indicator["title"],
        "unit": unit,
        "unit_label": units.get(unit, unit),
        "places": places,
        "latest": format_value(latest[1], unit, places) if latest else "–",
        "latest_label": latest[0] if latest else "",
        "latest_flag": flag.label if flag else "",
        "points": [
            {
                "label": label,
                "value": _str(value),
                "lower": _str(lower),
                "upper": _str(upper),
                "benchmark": _str(benchmark),
            }
            for label, value, lower, upper, benchmark in values
        ],
    }


def indicator_items(quarter: Quarter) -> dict[int, list[dict]]:
    """Activity indicators by directorate id, each with its points in the trend window
    (two queries, plain values: a 10× council has thousands of points)."""
    first = quarter.window(TREND_QUARTERS)[0]
    indicators = list(
        ActivityIndicator.objects.order_by("directorate__order", "title").values(
            "pk", "slug", "title", "unit", "directorate_id"
        )
    )
    units = dict(Unit.choices)
    points: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        IndicatorValue.objects.filter(period_start__gte=first.start, period_start__lte=quarter.end)
        .order_by("indicator_id", "period_start")
        .values_list("indicator_id", "label", "value", "lower", "upper", "benchmark")
    ):
        points[row[0]].append(row[1:])
    by_directorate: dict[int, list[dict]] = defaultdict(list)
    for indicator in indicators:
        item = _indicator_item(indicator, points.get(indicator["pk"], []), units)
        by_directorate[indicator["directorate_id"]].append(item)
    return by_directorate


@dataclass(frozen=True)
class DirectorateKpis:
    """A directorate's part of the QPR: its KPIs, activity indicators, counts and the
    analysts' commentary."""

    kpis: list[dict]
    indicators: list[dict]
    summary: dict | None
    commentary: str


@dataclass(frozen=True)
class QprKpis:
    """The QPR's KPI figures of a quarter, council-wide and by directorate."""

    summary: dict
    kpis: dict[str, list[dict]] = field(default_factory=dict)  # by directorate slug
    summaries: dict[str, dict] = field(default_factory=dict)  # by directorate slug
    indicators: dict[int, list[dict]] = field(default_factory=dict)  # by directorate id
    commentary: dict[int, str] = field(default_factory=dict)  # by directorate id

    def for_directorate(self, directorate: Directorate) -> DirectorateKpis:
        return DirectorateKpis(
            kpis=self.kpis.get(directorate.slug, []),
            indicators=self.indicators.get(directorate.pk, []),
            summary=self.summaries.get(directorate.slug),
            commentary=self.commentary.get(directorate.pk, ""),
        )


def qpr_kpis(quarter: Quarter, stage: Stage | None | Lookup = LOOKUP) -> QprKpis:
    """Every KPI and activity indicator of ``quarter`` for the QPR (a fixed number of
    queries whatever the number of KPIs, indicators or quarters on record). Compared with
    the previous quarter as :mod:`kccperf.comparison` says for the quarter's ``stage``."""
    items, card = kpi_items(quarter, stage)
    by_directorate: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        by_directorate[item["directorate"]].append(item)
    commentary = {
        c.directorate_id: c.text
        for c in DirectorateCommentary.objects.filter(period__start=quarter.start)
    }
    return QprKpis(
        summary=summary_counts(card.summary()),
        kpis=dict(by_directorate),
        summaries={d.slug: summary_counts(s) for d, _, s in card.by_directorate()},
        indicators=dict(indicator_items(quarter)),
        commentary=commentary,
    )


# Charts of the stored data --------------------------------------------------------------


def unit_label(unit: str) -> str:
    try:
        return Unit(unit).label
    except ValueError:
        return unit


def kpi_points(kpi: dict) -> list[charts.KpiPoint]:
    quarters = [Quarter.parse(p["quarter"]) for p in kpi["series"]]
    values = {
        q: (_decimal(p["value"]), False)
        for q, p in zip(quarters, kpi["series"], strict=True)
        if p["value"] is not None
    }
    targets = {
        q: (_decimal(p["target"]), _decimal(p["floor"])) if p["target"] is not None else None
        for q, p in zip(quarters, kpi["series"], strict=True)
    }
    return charts.kpi_series(
        quarters, values, targets, kpi["higher_is_better"], kpi["decimal_places"]
    )


def kpi_chart_table(kpi: dict, points: list[charts.KpiPoint] | None = None) -> dict:
    """The table of a QPR KPI's chart (the Word file prints it in place of the chart)."""
    return charts.kpi_table(
        kpi_points(kpi) if points is None else points,
        lambda v: format_value(v, kpi["unit"], kpi["decimal_places"]),
        f"{kpi['code']} results by quarter",
    )


def kpi_chart(kpi: dict) -> dict:
    """A QPR KPI's chart (the KPI pages' encoding) and its table, from the stored data."""
    points = kpi_points(kpi)
    return charts.chart(
        f"kpi-{kpi['code'].lower()}",
        f"{kpi['code']}: {kpi['title']}",
        charts.kpi_figure(points, unit_label(kpi["unit"])),
        kpi_chart_table(kpi, points),
    )


def indicator_points(indicator: dict) -> list[charts.IndicatorPoint]:
    return [
        charts.IndicatorPoint(
            p["label"],
            _decimal(p["value"]),
            _decimal(p["lower"]),
            _decimal(p["upper"]),
            _decimal(p["benchmark"]),
        )
        for p in indicator["points"]
    ]


def indicator_chart_table(
    indicator: dict, points: list[charts.IndicatorPoint] | None = None
) -> dict:
    return charts.indicator_table(
        indicator_points(indicator) if points is None else points,
        lambda v: format_value(v, indicator["unit"], indicator["places"]),
        f"{indicator['title']}: values and expected range",
    )


def indicator_chart(indicator: dict) -> dict:
    points = indicator_points(indicator)
    return charts.chart(
        f"indicator-{indicator['slug']}",
        indicator["title"],
        charts.indicator_figure(points, indicator["unit_label"]),
        indicator_chart_table(indicator, points),
    )


# The analyst workbook -------------------------------------------------------------------

KPI_SHEET_HEADERS = [
    "Code",
    "KPI",
    "Directorate",
    "Unit",
    "Higher is better",
    "Quarter",
    "Value",
    "Provisional",
    "Previous value",
    "Target",
    "Floor standard",
    "RAG",
    "Previous RAG",
    "Direction of travel",
    "Data period",
]
INDICATOR_SHEET_HEADERS = [
    "Indicator",
    "Title",
    "Directorate",
    "Unit",
    "Period start",
    "Period",
    "Value",
    "Lower expected",
    "Upper expected",
    "National benchmark",
    "Against range",
]


def kpi_sheet(quarter: Quarter) -> Sheet:
    """Every KPI of the quarter with its values, target, floor and ratings (three queries)."""
    card = Kpi.objects.all().scorecard(quarter, trend_quarters=2)
    rows = []
    for row in card.rows:
        kpi = row.kpi
        rows.append(
            [
                kpi.code,
                kpi.title,
                kpi.directorate.name,
                kpi.get_unit_display(),
                kpi.higher_is_better,
                quarter.label,
                row.value,
                row.provisional,
                row.previous_value,
                row.target_value,
                row.floor,
                row.rag.label if row.rag else None,
                row.previous_rag.label if row.previous_rag else None,
                row.direction.label if row.direction else row.no_direction,
                row.current.data_period if row.current else None,
            ]
        )
    return Sheet("KPI scorecard", KPI_SHEET_HEADERS, rows)


def indicator_sheet(quarter: Quarter) -> Sheet:
    """Activity indicator values in the QPR's trend window (one query)."""
    first = quarter.window(TREND_QUARTERS)[0]
    units = dict(Unit.choices)
    values = (
        IndicatorValue.objects.filter(period_start__gte=first.start, period_start__lte=quarter.end)
        .order_by("indicator__directorate__order", "indicator__title", "period_start")
        .values_list(
            "indicator__slug",
            "indicator__title",
            "indicator__directorate__name",
            "indicator__unit",
            "period_start",
            "label",
            "value",
            "lower",
            "upper",
            "benchmark",
        )
    )
    rows = []
    for slug, title, directorate, unit, start, label, value, lower, upper, benchmark in values:
        flag = indicator_flag(value, lower, upper)
        rows.append(
            [
                slug,
                title,
                directorate,
                units.get(unit, unit),
                start,
                label,
                value,
                lower,
                upper,
                benchmark,
                flag.label if flag else "Within range",
            ]
        )
    return Sheet("Activity indicators", INDICATOR_SHEET_HEADERS, rows)
