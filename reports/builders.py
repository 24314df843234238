"""Build a report's data from the apps: plain JSON-ready dicts that pages, Word files and
published snapshots all use. Read-only queries, a fixed number whatever the data's size.

Numbers are kept twice where a chart or a diff needs them: the raw value as a string
(``"97.5"``) and the text the report prints (``"97.5%"``).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from kccperf.models import Directorate, Portfolio
from kccperf.periods import Quarter
from kpis.formatting import format_value, indicator_places
from kpis.models import (
    ActivityIndicator,
    DirectorateCommentary,
    IndicatorValue,
    Kpi,
    KpiTarget,
    Unit,
    target_in_force,
)
from kpis.scoring import Rag, indicator_flag
from reports.models import Report, ReportTable

TREND_QUARTERS = 8

# The portal's own words for the fixed parts of the QPR.
QPR_TEXTS = {
    "key": (
        "Each key performance indicator (KPI) has a target for the financial year and, for "
        "most, a floor standard: the lowest level of performance the council accepts before "
        "management action must follow. A KPI is rated on its latest result."
    ),
    "indicators": (
        "Activity indicators show demand for services and other context. They have no "
        "target: their charts show an expected range worked out from past trends (upper and "
        "lower thresholds) or a national benchmark. A value outside the expected range means "
        "demand is higher or lower than planned for, which may change the council's costs."
    ),
    "data_quality": (
        "Results for the current financial year are provisional management information that "
        "has not been audited. They may be revised in later reports."
    ),
}
RAG_KEY = [
    ("GREEN", "Green", "The target has been met."),
    ("AMBER", "Amber", "The floor standard has been met but the target has not."),
    ("RED", "Red", "The floor standard has not been met."),
]
DIRECTION_KEY = [
    ("improved", "Improved on the previous quarter"),
    ("worsened", "Worse than the previous quarter"),
    ("same", "The same as the previous quarter"),
]


def _str(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _summary(summary) -> dict:
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
    }


def summary_sentence(summary: dict, previous_label: str) -> str:
    """A factual sentence from the counts (the analyst's starting point)."""
    total = summary["total"]
    if not total:
        return "No KPIs were reported this quarter."
    change = summary["green_change"]
    if change > 0:
        versus = f"{change} more than in {previous_label}"
    elif change < 0:
        versus = f"{-change} fewer than in {previous_label}"
    else:
        versus = f"the same number as in {previous_label}"
    text = (
        f"{summary['green']} of the {total} KPIs are rated Green ({versus}), "
        f"{summary['amber']} Amber and {summary['red']} Red."
    )
    text += (
        f" Compared with the previous quarter, {summary['improved']} improved, "
        f"{summary['worsened']} worsened and {summary['same']} stayed the same."
    )
    return text


def directorate_draft(name: str, kpis: list[dict], indicators: list[dict]) -> str:
    """A factual paragraph from a directorate's figures for analysts to start from."""
    parts = []
    if kpis:
        counts = {rag: sum(1 for k in kpis if k["rag"] == rag) for rag in ("GREEN", "AMBER", "RED")}
        rated = ", ".join(f"{counts[key]} {label}" for key, label, _ in RAG_KEY if counts[key])
        parts.append(f"{name}: {_plural(len(kpis), 'KPI')} this quarter ({rated or 'none rated'}).")
        for key, label in (("RED", "below the floor standard"), ("AMBER", "below target")):
            named = [f"{k['title']} ({k['value']})" for k in kpis if k["rag"] == key]
            if named:
                parts.append(f"{label.capitalize()}: {'; '.join(named)}.")
        improved = sum(1 for k in kpis if k["direction"] == "improved")
        worsened = sum(1 for k in kpis if k["direction"] == "worsened")
        parts.append(f"{improved} improved and {worsened} worsened on the previous quarter.")
    else:
        parts.append(f"{name}: no KPIs this quarter.")
    outside = [f"{i['title']} ({i['latest_flag'].lower()})" for i in indicators if i["latest_flag"]]
    if outside:
        parts.append(f"Activity outside the expected range: {'; '.join(outside)}.")
    return " ".join(parts)


def kpi_rows(quarter: Quarter) -> tuple[list, object]:
    """Scorecard rows with an 8-quarter series (values, targets, floors) for each KPI."""
    card = Kpi.objects.all().scorecard(quarter, trend_quarters=TREND_QUARTERS)
    window = quarter.window(TREND_QUARTERS)
    ids = [row.kpi.pk for row in card.rows]
    targets: dict[int, list] = defaultdict(list)
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
                "provisional": row.provisional,
                "data_period": row.current.data_period if row.current else "",
                "series": series,
            }
        )
    return items, card


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
        values = points.get(indicator["pk"], [])
        places = indicator_places([v[1] for v in values] + [v[4] for v in values])
        latest = values[-1] if values else None
        flag = indicator_flag(latest[1], latest[2], latest[3]) if latest else None
        unit = indicator["unit"]
        by_directorate[indicator["directorate_id"]].append(
            {
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
        )
    return by_directorate


def tables_for(quarter: Quarter) -> list[dict]:
    tables = ReportTable.objects.for_quarter(quarter).with_cells()
    return [table.as_data() for table in tables]


def risk_overview(quarter: Quarter) -> dict | None:
    from risks.models import RiskRefresh
    from risks.overview import ACTION_COLUMNS, overview_for

    refresh = RiskRefresh.objects.for_quarter(quarter)
    if refresh is None:
        return None
    overview = overview_for(refresh)
    return {
        "refresh": refresh.label,
        "date": refresh.date.isoformat(),
        "previous": overview.previous.label if overview.previous else "",
        "levels": [
            {"level": c.level, "colour": c.colour, "current": c.current, "target": c.target}
            for c in overview.levels
        ],
        "total_current": overview.total_current,
        "total_target": overview.total_target,
        "new": [{"ref": e.risk.ref, "title": e.risk.title} for e in overview.new],
        "removed": [{"ref": r.ref, "title": r.title} for r in overview.removed],
        "changed": [
            {
                "ref": c.risk.ref,
                "title": c.risk.title,
                "old_score": c.old_score,
                "new_score": c.new_score,
                "old_level": c.old_level or "",
                "new_level": c.new_level or "",
                "reason": c.reason,
            }
            for c in overview.changed
        ],
        "action_columns": [label for _, label in ACTION_COLUMNS],
        "action_rows": [
            {"label": row.label, "cells": row.cells, "total": row.total}
            for row in overview.action_rows
        ],
    }


def build_qpr(report: Report) -> dict:
    """The Quarterly Performance Report of ``report.period`` in the seed's order."""
    quarter = report.quarter
    previous = quarter.previous()
    kpis, card = kpi_rows(quarter)
    indicators = indicator_items(quarter)
    tables = tables_for(quarter)
    commentary = {
        c.directorate_id: c.text
        for c in DirectorateCommentary.objects.filter(period__start=quarter.start)
    }
    members: dict[int, list[str]] = defaultdict(list)
    portfolios = (
        Portfolio.objects.active_on(quarter.end)
        .select_related("cabinet_member")
        .order_by("directorate_id", "order", "cabinet_member__name")
    )
    for portfolio in portfolios:
        name = portfolio.cabinet_member.name
        if name not in members[portfolio.directorate_id]:
            members[portfolio.directorate_id].append(name)
    kpis_by_directorate: dict[str, list[dict]] = defaultdict(list)
    for item in kpis:
        kpis_by_directorate[item["directorate"]].append(item)
    tables_by_directorate: dict[str | None, list[dict]] = defaultdict(list)
    for table in tables:
        tables_by_directorate[table["directorate"]].append(table)
    summaries = {d.slug: s for d, _, s in card.by_directorate()}
    sections = []
    for directorate in Directorate.objects.all():
        own_kpis = kpis_by_directorate.get(directorate.slug, [])
        own_tables = tables_by_directorate.get(directorate.slug, [])
        if not own_kpis and not own_tables:
            continue
        own_indicators = indicators.get(directorate.pk, [])
        draft = directorate_draft(directorate.name, own_kpis, own_indicators)
        sections.append(
            {
                "slug": directorate.slug,
                "name": directorate.name,
                "director": directorate.corporate_director,
                "director_title": directorate.director_title,
                "cabinet_members": members.get(directorate.pk, []),
                "summary": _summary(summaries[directorate.slug])
                if directorate.slug in summaries
                else None,
                "commentary": commentary.get(directorate.pk, ""),
                "draft": draft,
                "kpis": own_kpis,
                "indicators": own_indicators,
                "tables": own_tables,
            }
        )
    summary = _summary(card.summary())
    texts = {**QPR_TEXTS, **{k: v for k, v in report.texts.items() if v}}
    generated = summary_sentence(summary, previous.label)
    return {
        "kind": Report.Kind.QPR.value,
        "title": f"Quarterly Performance Report, {quarter.label}",
        "quarter": quarter.label,
        "quarter_slug": quarter.slug,
        "previous_quarter": previous.label,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "texts": texts,
        "rag_key": [{"rag": k, "label": label, "meaning": m} for k, label, m in RAG_KEY],
        "direction_key": [{"direction": k, "meaning": m} for k, m in DIRECTION_KEY],
        "summary": summary,
        "summary_text": report.texts.get("summary") or generated,
        "summary_draft": generated,
        "directorates": sections,
        "council_tables": tables_by_directorate.get(None, []),
        "risks": risk_overview(quarter),
    }


def build(report: Report) -> dict:
    if report.kind == Report.Kind.QPR:
        return build_qpr(report)
    from reports.sdp import build_sdp

    return build_sdp(report)
