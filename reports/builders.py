"""Build a report's data from the apps' reporting modules (``kpis.reporting``,
``risks.reporting``, ``monitoring.reporting`` through ``reports.sdp``): plain JSON-ready dicts
that pages, Word files and published snapshots all use. Read-only queries, a fixed number
whatever the data's size.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from kccperf.models import Directorate, Portfolio
from kccperf.periods import Quarter
from kpis.reporting import qpr_kpis
from reports.models import Report, ReportTable
from risks.reporting import register_section

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
}


def data_quality_note(kpis: list[dict], quarter_label: str) -> str:
    """The seed's data-quality note, backed by the data: how many of the report's KPI
    results are provisional (not yet verified); empty when none is."""
    with_value = [k for k in kpis if k["value"] not in ("", "–", None)]
    provisional = sum(1 for k in with_value if k["provisional"])
    if not provisional:
        return ""
    were = "is" if provisional == 1 else "are"
    return (
        f"{provisional} of the {_plural(len(with_value), 'KPI result')} for {quarter_label} "
        f"{were} provisional: management information not yet verified by the performance "
        "team or the KPI's data owner, marked (provisional) below. They may be revised in "
        "later reports."
    )


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


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


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
    if summary.get("like_for_like"):  # a collecting quarter with KPIs still missing
        versus = "" if summary["withheld"] else f"{versus}, like for like"
    green = f"{summary['green']} of the {total} KPIs are rated Green"
    text = (
        f"{green}{f' ({versus})' if versus else ''}, "
        f"{summary['amber']} Amber and {summary['red']} Red."
    )
    if summary.get("like_for_like"):
        text += f" {summary['note']}"
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


def tables_for(quarter: Quarter) -> list[dict]:
    tables = ReportTable.objects.for_quarter(quarter).with_cells()
    return [table.as_data() for table in tables]


def cabinet_members(quarter: Quarter) -> dict[int, list[str]]:
    """The cabinet members of each directorate (by id) at the quarter's end (one query)."""
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
    return members


def build_qpr(report: Report) -> dict:
    """The Quarterly Performance Report of ``report.period`` in the seed's order."""
    quarter = report.quarter
    previous = quarter.previous()
    figures = qpr_kpis(quarter, report.period.stage)
    tables = tables_for(quarter)
    members = cabinet_members(quarter)
    tables_by_directorate: dict[str | None, list[dict]] = defaultdict(list)
    for table in tables:
        tables_by_directorate[table["directorate"]].append(table)
    sections = []
    for directorate in Directorate.objects.all():
        own = figures.for_directorate(directorate)
        own_tables = tables_by_directorate.get(directorate.slug, [])
        if not own.kpis and not own_tables:
            continue
        sections.append(
            {
                "slug": directorate.slug,
                "name": directorate.name,
                "director": directorate.corporate_director,
                "director_title": directorate.director_title,
                "cabinet_members": members.get(directorate.pk, []),
                "summary": own.summary,
                "commentary": own.commentary,
                "draft": directorate_draft(directorate.name, own.kpis, own.indicators),
                "kpis": own.kpis,
                "indicators": own.indicators,
                "tables": own_tables,
            }
        )
    summary = figures.summary
    note = data_quality_note([k for s in sections for k in s["kpis"]], quarter.label)
    texts = {**QPR_TEXTS, "data_quality": note, **{k: v for k, v in report.texts.items() if v}}
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
        "risks": register_section(quarter),
    }


def build(report: Report) -> dict:
    if report.kind == Report.Kind.QPR:
        return build_qpr(report)
    from reports.sdp import build_sdp

    return build_sdp(report)
