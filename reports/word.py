"""The Word file of a report: the QPR's (``reports.docx.qpr_docx``) or the SDP report's, both
written with the table and paragraph helpers of ``reports.docx``."""

from __future__ import annotations

from reports.docx import (
    SHADING,
    _new_document,
    _paragraphs,
    _save,
    _section_heading,
    add_table,
    qpr_docx,
)


def report_docx(data: dict) -> bytes:
    if data["kind"] == "qpr":
        return qpr_docx(data)
    return sdp_docx(data)


def sdp_docx(data: dict) -> bytes:
    document = _new_document(data["title"], "Kent County Council")
    document.heading("Introduction", 1)
    _paragraphs(document, data["texts"]["introduction"])
    _section_heading(document, f"{data['quarter']} overview: {data['scope']}")
    add_table(
        document,
        ["Figure", data["quarter"], "Change"],
        [[f["label"], f["display"], f["change"]] for f in data["overview"]],
        caption="Overview figures",
    )
    _section_heading(document, "Summary of each activity")
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
        _section_heading(document, f"{section['number']}. {section['title']}")
        _paragraphs(document, section["text"])
        if section["figures"]:
            add_table(
                document,
                ["Figure", data["quarter"], "Change"],
                [[f["label"], f["display"], f["change"]] for f in section["figures"]],
                caption=f"{section['title']}: figures",
            )
        for chart in section.get("charts", []):
            table = chart["table"]
            add_table(document, table["headers"], table["rows"], caption=table["caption"])
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
    return _save(document)
