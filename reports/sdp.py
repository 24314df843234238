"""SDP monitoring report, per outcome and council-wide, in the order of the seed report:
introduction, overview figures, summary table, analysis sections 1–9.

The figures, tables and charts come from ``monitoring.reporting`` (the outcome dashboards'
computation and charts). The analysis text of each section is the analyst's
(kept in ``Report.texts``), else the paragraphs of the monitoring analysis for the section.
"""

from __future__ import annotations

from django.utils import timezone

from kccperf.models import Outcome
from kccperf.output.docx import SHADING, add_chart, add_table, chart_pictures, new_document
from monitoring.reporting import SdpSection, sdp_section, sign_off_record

ANALYSIS_SECTIONS: list[tuple[int, str]] = [
    (1, "Submissions"),
    (2, "Delivery"),
    (3, "Milestones and revised dates"),
    (4, "Issues"),
    (5, "Mitigating actions or escalations"),
    (6, "Governance"),
    (7, "Additional oversight and assurance"),
    (8, "Risk"),
    (9, "Activity scorecards"),
]
# Figure sections of the SDP figures (monitoring.reporting) shown in each analysis section.
SECTION_FIGURES = {
    1: ["responses"],
    2: ["delivery", "due_this_year", "not_on_track_type"],
    3: ["milestones", "revised_dates"],
    4: ["issues", "issue_count"],
    5: ["mitigation"],
    6: ["governance_reported", "governance_expected"],
    8: ["risk_register"],
}
# The tables and charts of monitoring.reporting.SdpSection shown in each analysis section.
SECTION_TABLES = {2: ["not_on_track"], 3: ["revised_dates"], 8: ["unrecorded"]}
SECTION_CHARTS = {2: ["delivery", "trend"], 4: ["issue_themes"]}
# Which paragraphs of the drafted analysis text belong to which section (by first words).
PARAGRAPH_SECTION = {
    "Submissions": 1,
    "Delivery": 2,
    "Due to complete": 2,
    "Milestones": 3,
    "Revised dates": 3,
    "Issues": 4,
    "Mitigating actions": 5,
    "Governance": 6,
    "Risk": 8,
}
DEFAULT_TEXTS = {
    "introduction": (
        "The Strategic Delivery Plan (SDP) lists the council's most significant change "
        "activities, each linked to an outcome of the Strategic Statement and led by a named "
        "lead officer. Every quarter the lead officers report whether their activity is on "
        "track, the milestones and dates it is working to, the issues it faces and what is "
        "being done about them, and the governance it reports to.\n\n"
        "This report brings those returns together for {scope} in {quarter}: the headline "
        "figures first, then a summary of each activity, then the analysis section by "
        "section with the previous quarter for comparison. It is written for the Corporate "
        "Management Team and Corporate Board to see where delivery is at risk, what action "
        "may be needed and which trends run across activities."
    ),
    "analysis-7": (
        "Corporate Risk and Assurance and Internal Audit review the most significant and "
        "complex change activities independently. Their findings on activities in this "
        "report are added here when they are available."
    ),
    "analysis-9": (
        "Each activity's return is available as a scorecard (see the activity scorecards in "
        "the outcome dashboards); the table below lists each activity with its delivery "
        "status."
    ),
}


def _analysis_paragraphs(text: str) -> dict[int, str]:
    by_section: dict[int, list[str]] = {}
    for paragraph in filter(None, (p.strip() for p in text.replace("\r", "").split("\n\n"))):
        number = next(
            (n for prefix, n in PARAGRAPH_SECTION.items() if paragraph.startswith(prefix)), 2
        )
        by_section.setdefault(number, []).append(paragraph)
    return {n: "\n\n".join(parts) for n, parts in by_section.items()}


def _section(n: int, title: str, sdp: SdpSection, texts: dict, paragraphs: dict) -> dict:
    key = f"analysis-{n}"
    default = DEFAULT_TEXTS.get(key) or paragraphs.get(n, "")
    return {
        "number": n,
        "title": title,
        "text": texts.get(key) or default,
        "figures": [f for name in SECTION_FIGURES.get(n, []) for f in sdp.figures.get(name, [])],
        "tables": [sdp.tables[name] for name in SECTION_TABLES.get(n, []) if name in sdp.tables],
        "charts": [sdp.charts[name] for name in SECTION_CHARTS.get(n, []) if name in sdp.charts],
    }


def build_sdp(report) -> dict:
    quarter = report.quarter
    outcome: Outcome | None = report.outcome
    number = outcome.number if outcome else None
    scope = f"Strategic Outcome {number}" if outcome else "the council"
    sdp = sdp_section(quarter, outcome, scope, report.period.stage)
    paragraphs = _analysis_paragraphs(sdp.analysis)
    texts = report.texts or {}
    sections = [_section(n, title, sdp, texts, paragraphs) for n, title in ANALYSIS_SECTIONS]
    intro = texts.get("introduction") or DEFAULT_TEXTS["introduction"].format(
        scope=scope, quarter=f"{quarter.label} ({quarter.start:%B} to {quarter.end:%B %Y})"
    )
    title = (
        f"SDP monitoring report: Strategic Outcome {number}, {quarter.label}"
        if outcome
        else f"SDP monitoring report: council-wide, {quarter.label}"
    )
    return {
        "kind": report.kind,
        "title": title,
        "quarter": quarter.label,
        "quarter_slug": quarter.slug,
        "previous_quarter": sdp.previous_label,
        "scope": scope,
        "outcome": {"number": outcome.number, "title": outcome.title} if outcome else None,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "texts": {"introduction": intro},
        "overview": sdp.overview,
        "board_labels": sdp.board_labels,
        "summary": sdp.summary,
        "sections": sections,
        # Which returns were signed off when it was built (published versions keep it).
        "sign_off": sign_off_record(quarter, outcome),
        # Only while the quarter is collecting (published figures keep their exact shape).
        **({"comparison_note": sdp.comparison_note} if sdp.comparison_note else {}),
    }


def decorate_sdp(data: dict) -> dict:
    return data


def sdp_docx(data: dict, *, draft: bool, status: str = "") -> bytes:
    document = new_document(
        data["title"],
        "Kent County Council",
        subject=data["quarter"],
        status=status,
        draft=draft,
        keywords=f"SDP monitoring report; {data['scope']}; {data['quarter']}",
    )
    charts = [chart for section in data["sections"] for chart in section.get("charts", [])]
    pictures = dict(zip(map(id, charts), chart_pictures(charts), strict=True))
    document.table_of_contents()
    document.heading("Introduction", 1)
    document.paragraphs(data["texts"]["introduction"])
    document.section_heading(f"{data['quarter']} overview: {data['scope']}")
    add_table(
        document,
        ["Figure", data["quarter"], "Change"],
        [[f["label"], f["display"], f["change"]] for f in data["overview"]],
        caption="Overview figures"
        + (f". {data['comparison_note']}" if data.get("comparison_note") else ""),
    )
    document.section_heading("Summary of each activity")
    add_table(
        document,
        ["Activity", "Delivery", "Milestones", *data["board_labels"]],
        [
            [r["activity"], r["delivery_label"], str(r["milestones"]), *r["boards"]]
            for r in data["summary"]
        ],
        caption=f"Summary of each activity, {data['quarter']}",
        fills=[[None, SHADING.get(r["delivery"])] for r in data["summary"]],
    )
    for section in data["sections"]:
        document.section_heading(f"{section['number']}. {section['title']}")
        document.paragraphs(section["text"])
        if section["figures"]:
            add_table(
                document,
                ["Figure", data["quarter"], "Change"],
                [[f["label"], f["display"], f["change"]] for f in section["figures"]],
                caption=f"{section['title']}: figures",
            )
        for chart in section.get("charts", []):
            document.heading(chart["title"], 2)
            add_chart(document, chart, pictures[id(chart)])
        for table in section["tables"]:
            fills = None
            if "statuses" in table:
                column = table["status_column"]
                fills = [[None] * column + [SHADING.get(status)] for status in table["statuses"]]
            add_table(
                document, table["headers"], table["rows"], caption=table["caption"], fills=fills
            )
        if section["number"] == 9:
            add_table(
                document,
                ["Activity", "Delivery"],
                [[r["activity"], r["delivery_label"]] for r in data["summary"]],
                caption="Activity scorecards available",
                fills=[[None, SHADING.get(r["delivery"])] for r in data["summary"]],
            )
    return document.save()
