"""Word (.docx) files of reports for committee papers, from the same data as the pages.

Headings in Word's built-in styles (navigation pane) and a table of contents, tables in the
"Table Grid" style with RAG ratings as words on a shaded cell, page numbers in the footer (a
PAGE field), DRAFT in the header of every page of an unpublished report. Each chart is a PNG
drawn on the server in the pages' encoding (``kccperf.chart_images``, cached), with alt text,
followed by its data table; without a renderer, the table alone.

Written with the one Word writer, ``kccperf.output.docx`` (which makes stored text safe for
Word and keeps python-docx's slow per-cell API out of the tables).
"""

from __future__ import annotations

from kccperf.output.docx import (
    SHADING,
    WordWriter,
    add_chart,
    add_table,
    chart_pictures,
    new_document,
)
from kpis.reporting import indicator_chart, kpi_chart
from reports.layout import table_layout
from reports.sdp import sdp_docx

DIRECTION_WORDS = {"improved": "Improved", "worsened": "Worsened", "same": "No change", None: "–"}
RAG_WORDS = {"GREEN": "Green", "AMBER": "Amber", "RED": "Red", None: "Not rated"}


def _report_table(document: WordWriter, data: dict) -> None:
    layout = table_layout(data)
    header_rows = [[(layout.row_header, 1)] + [(c.text, 1) for c in layout.header_rows[0][1:]]]
    if len(layout.header_rows) == 2:
        # Word tables here have no row spans: the groups' row, then every column's label.
        first = [("", 1)] + [
            (cell.text if cell.scope == "colgroup" else "", cell.colspan)
            for cell in layout.header_rows[0][1:]
        ]
        second = [(layout.row_header, 1)]
        labels = iter(c.text for c in layout.header_rows[1])
        for cell in layout.header_rows[0][1:]:
            if cell.scope == "colgroup":
                second.extend((next(labels), 1) for _ in range(cell.colspan))
            else:
                second.append((cell.text, 1))
        header_rows = [first, second]
    rows = []
    for group in layout.groups:
        if group.label:
            rows.append([(group.label, layout.width)])
        for row in group.rows:
            rows.append([row["label"], *(cell["text"] for cell in row["cells"])])
    add_table(document, [], rows, caption=data["title"], header_rows=header_rows)
    if data.get("footnote"):
        document.paragraph(data["footnote"], "Caption")


def qpr_docx(data: dict, *, draft: bool, status: str = "") -> bytes:
    document = new_document(
        data["title"],
        "Kent County Council",
        subject=data["quarter"],
        status=status,
        draft=draft,
        keywords=f"Quarterly Performance Report; {data['quarter']}; Kent County Council",
    )
    # Every chart of the report drawn in one batch (from the cache where drawn before).
    charts = {
        id(item): (kpi_chart if kind == "kpis" else indicator_chart)(item)
        for section in data["directorates"]
        for kind in ("kpis", "indicators")
        for item in section[kind]
    }
    pictures = dict(zip(charts, chart_pictures(list(charts.values())), strict=True))
    document.table_of_contents()
    summary = data["summary"]
    document.heading("Key to KPI ratings", 1)
    document.paragraph(f"This report has {summary['total']} key performance indicators (KPIs).")
    document.paragraph(data["texts"]["key"])
    add_table(
        document,
        ["Rating", "Meaning"],
        [[item["label"], item["meaning"]] for item in data["rag_key"]],
        caption="RAG ratings",
        fills=[[SHADING[item["rag"]], None] for item in data["rag_key"]],
    )
    add_table(
        document,
        ["Direction of travel", "Meaning"],
        [[DIRECTION_WORDS[i["direction"]], i["meaning"]] for i in data["direction_key"]],
        caption="Direction of travel",
    )
    document.heading("Key to activity indicator graphs", 2)
    document.paragraph(data["texts"]["indicators"])
    document.heading("Data quality", 2)
    document.paragraph(data["texts"]["data_quality"])

    document.section_heading("Executive summary")
    add_table(
        document,
        ["KPIs", "Green", "Amber", "Red", "Improved", "Worsened", "No change"],
        [
            [
                str(summary["total"]),
                str(summary["green"]),
                str(summary["amber"]),
                str(summary["red"]),
                str(summary["improved"]),
                str(summary["worsened"]),
                str(summary["same"]),
            ],
            [
                data["previous_quarter"]
                + (" (like for like)" if summary.get("like_for_like") else ""),
                str(summary["previous_green"]),
                str(summary["previous_amber"]),
                str(summary["previous_red"]),
                "",
                "",
                "",
            ],
        ],
        caption=(
            f"KPIs by rating, {data['quarter']} (first row) and {data['previous_quarter']}"
            + (f". {summary['note']}" if summary.get("like_for_like") else "")
        ),
        fills=[[None, "GREEN", "AMBER", "RED", None, None, None]] * 2,
    )
    document.paragraph(data["summary_text"])
    for section in data["directorates"]:
        document.heading(section["name"], 2)
        document.paragraphs(section["commentary"] or section["draft"])

    for section in data["directorates"]:
        document.section_heading(section["name"])
        members = ", ".join(section["cabinet_members"]) or "Not recorded"
        label = "Cabinet members" if len(section["cabinet_members"]) > 1 else "Cabinet member"
        document.paragraph(f"{label}: {members}")
        document.paragraph(f"{section['director_title']}: {section['director'] or 'Not recorded'}")
        if section["summary"]:
            s = section["summary"]
            add_table(
                document,
                ["Green", "Amber", "Red", "Improved", "Worsened", "No change"],
                [[str(s[k]) for k in ("green", "amber", "red", "improved", "worsened", "same")]],
                caption="KPI summary",
                fills=[["GREEN", "AMBER", "RED", None, None, None]],
                row_header=False,
            )
        document.heading("Commentary", 2)
        document.paragraphs(section["commentary"] or "No commentary was written.")
        if section["kpis"]:
            document.heading("Key performance indicators", 2)
            add_table(
                document,
                ["KPI", "Current", "Target", "Floor", "Previous", "RAG", "Direction"],
                [
                    [
                        f"{k['code']}: {k['title']}",
                        k["value"] + (" (provisional)" if k["provisional"] else ""),
                        k["target"],
                        k["floor"],
                        k["previous"],
                        RAG_WORDS[k["rag"]],
                        DIRECTION_WORDS[k["direction"]],
                    ]
                    for k in section["kpis"]
                ],
                caption=f"{section['name']}: KPIs in {data['quarter']}",
                fills=[[None] * 5 + [SHADING.get(k["rag"]), None] for k in section["kpis"]],
            )
            for kpi in section["kpis"]:
                document.heading(f"{kpi['code']}: {kpi['title']}", 3)
                add_chart(document, charts[id(kpi)], pictures[id(kpi)])
        if section["indicators"]:
            document.heading("Activity indicators", 2)
            for indicator in section["indicators"]:
                document.heading(indicator["title"], 3)
                add_chart(document, charts[id(indicator)], pictures[id(indicator)])
        if section["tables"]:
            document.heading("Supporting tables", 2)
            for table in section["tables"]:
                _report_table(document, table)
    if data.get("council_tables"):
        document.section_heading("Council-wide tables")
        for table in data["council_tables"]:
            _report_table(document, table)
    risks = data.get("risks")
    if risks:
        document.section_heading("Corporate risk register: overview")
        document.paragraph(f"The register as reviewed for {risks['refresh']}.")
        add_table(
            document,
            ["Risk level", "Current risk level", "Target risk level"],
            [[lv["level"], str(lv["current"]), str(lv["target"])] for lv in risks["levels"]]
            + [["Total", str(risks["total_current"]), str(risks["total_target"])]],
            caption="Corporate risks by level: current and target",
            fills=[[SHADING.get(lv["colour"]), None, None] for lv in risks["levels"]]
            + [[None] * 3],
        )
        lists = [("New risks", "new"), ("Risks removed", "removed")]
        if risks.get("not_yet_refreshed"):  # the refresh's quarter is still collecting
            lists.append(("Open risks not yet refreshed (still collecting)", "not_yet_refreshed"))
        for title, key in lists:
            document.heading(title, 2)
            items = risks[key]
            if not items:
                document.paragraph(f"{title}: none.")
            for item in items:
                document.paragraph(f"{item['ref']}: {item['title']}", "List Bullet")
        document.heading("Risks whose score changed", 2)
        if risks["changed"]:
            add_table(
                document,
                ["Risk", "Before", "Now", "Reason"],
                [
                    [
                        f"{c['ref']}: {c['title']}",
                        f"{c['old_score']} ({c['old_level']})",
                        f"{c['new_score']} ({c['new_level']})",
                        c["reason"],
                    ]
                    for c in risks["changed"]
                ],
            )
        else:
            document.paragraph("No risk's score changed.")
        if risks["action_rows"]:
            document.heading("Mitigating actions", 2)
            add_table(
                document,
                ["Due", *risks["action_columns"], "Total"],
                [
                    [row["label"], *map(str, row["cells"]), str(row["total"])]
                    for row in risks["action_rows"]
                ],
                caption="Mitigating actions by status",
            )
    return document.save()


def report_docx(data: dict, *, draft: bool, status: str = "") -> bytes:
    """The Word file of a report's data; ``draft``: an unpublished report (DRAFT on every
    page); ``status``: the published version's name, in the header and properties."""
    if data["kind"] == "qpr":
        return qpr_docx(data, draft=draft, status=status)
    return sdp_docx(data, draft=draft, status=status)
