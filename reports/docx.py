"""Word (.docx) files of reports for committee papers, from the same data as the pages.

Headings, tables in the "Table Grid" style with RAG ratings as words on a shaded cell, page
numbers in the footer (a PAGE field). Charts appear as their data tables: there is no static
chart renderer on the servers (kaleido is not installed).

Tables are written as WordprocessingML directly: python-docx's cell-by-cell API costs
milliseconds per cell, which a quarter at ten times the council's size cannot afford.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from reports.layout import table_layout
from reports.rendering import indicator_table_only, kpi_table_only

# Fill colours behind the words (the words carry the meaning; the colours help).
SHADING = {
    "GREEN": "CCE2D8",
    "AMBER": "FFE7BF",
    "RED": "F6D7D2",
    "green": "CCE2D8",
    "amber": "FFE7BF",
    "red": "F6D7D2",
    "on_track": "CCE2D8",
    "remedial": "FFE7BF",
    "unlikely": "F6D7D2",
}
HEADER_FILL = "E8E8E8"
DIRECTION_WORDS = {"improved": "Improved", "worsened": "Worsened", "same": "No change", None: "–"}
RAG_WORDS = {"GREEN": "Green", "AMBER": "Amber", "RED": "Red", None: "Not rated"}


STYLE_IDS = {
    "Title": "Title",
    "Heading 1": "Heading1",
    "Heading 2": "Heading2",
    "Heading 3": "Heading3",
    "Caption": "Caption",
    "List Bullet": "ListBullet",
}


class WordWriter:
    """The document body written as WordprocessingML text and parsed once when saved:
    python-docx's add_paragraph/add_heading look styles up and search the body on every
    call, which costs seconds for a report with hundreds of tables."""

    def __init__(self, document):
        self.document = document
        self.parts: list[str] = []
        self.style_ids = {name: document.styles[name].style_id for name in STYLE_IDS}

    def paragraph(
        self, text: str = "", style: str | None = None, *, keep_next=False, page_break=False
    ) -> None:
        props = []
        if style:
            props.append(f'<w:pStyle w:val="{self.style_ids[style]}"/>')
        if keep_next:
            props.append("<w:keepNext/>")
        if page_break:
            props.append("<w:pageBreakBefore/>")
        p_pr = f"<w:pPr>{''.join(props)}</w:pPr>" if props else ""
        run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
        self.parts.append(f"<w:p>{p_pr}{run}</w:p>")

    def heading(self, text: str, level: int, *, page_break: bool = False) -> None:
        style = "Title" if level == 0 else f"Heading {level}"
        self.paragraph(text, style, keep_next=True, page_break=page_break)

    def save(self) -> bytes:
        body = self.document.element.body
        fragment = parse_xml(f"<w:body {nsdecls('w')}>{''.join(self.parts)}</w:body>")
        at = len(body) - 1  # before the section properties
        for offset, child in enumerate(list(fragment)):
            body.insert(at + offset, child)
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _cell_xml(text: str, *, header: bool = False, fill: str | None = None, span: int = 1) -> str:
    props = []
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if fill or header:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill or HEADER_FILL}"/>')
    tc_pr = f"<w:tcPr>{''.join(props)}</w:tcPr>" if props else ""
    run_pr = "<w:rPr><w:b/></w:rPr>" if header else ""
    paragraphs = "".join(
        f'<w:p><w:r>{run_pr}<w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
        for line in (str(text).split("\n") or [""])
    )
    return f"<w:tc>{tc_pr}{paragraphs}</w:tc>"


def add_table(
    document,
    headers: list,
    rows: list[list],
    *,
    caption: str = "",
    fills: list[list[str | None]] | None = None,
    header_rows: list[list[tuple[str, int]]] | None = None,
    row_header: bool = True,
) -> None:
    """A table with a repeating, shaded header row; ``fills`` shades body cells.

    ``header_rows`` replaces ``headers`` with several rows of (text, column span)."""
    if caption:
        document.paragraph(caption, "Caption", keep_next=True)
    width = sum(span for _, span in header_rows[0]) if header_rows else len(headers)
    grid = "".join("<w:gridCol/>" for _ in range(width))
    head_rows = header_rows or [[(h, 1) for h in headers]]
    xml = [
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        '<w:tblW w:w="5000" w:type="pct"/><w:tblLook w:val="04A0" w:firstRow="1" '
        'w:firstColumn="1"/></w:tblPr>',
        f"<w:tblGrid>{grid}</w:tblGrid>",
    ]
    for head in head_rows:
        xml.append("<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>")
        xml.extend(_cell_xml(text, header=True, span=span) for text, span in head)
        xml.append("</w:tr>")
    for r, row in enumerate(rows):
        xml.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for c, value in enumerate(row):
            fill = fills[r][c] if fills and c < len(fills[r]) else None
            fill = SHADING.get(fill, fill) if fill else None
            if isinstance(value, tuple):  # (text, span): a group heading across the table
                xml.append(_cell_xml(value[0], header=True, span=value[1]))
            else:
                xml.append(_cell_xml(value, header=row_header and c == 0, fill=fill))
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    document.parts.append("".join(xml))
    document.paragraph()


def _page_number_footer(document) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Page ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1")):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _new_document(title: str, subtitle: str):
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    document.core_properties.title = title
    document.core_properties.author = "Kent County Council (kccperf)"
    _page_number_footer(document)
    header = document.sections[0].header.paragraphs[0]
    header.text = title
    writer = WordWriter(document)
    writer.heading(title, 0)
    writer.paragraph(subtitle)
    return writer


def _section_heading(document, text: str) -> None:
    document.heading(text, 1, page_break=True)


def _paragraphs(document, text: str) -> None:
    for block in filter(None, (b.strip() for b in text.replace("\r", "").split("\n\n"))):
        document.paragraph(block)


def _report_table(document, data: dict) -> None:
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


def _chart_table(document, table: dict) -> None:
    add_table(document, table["headers"], table["rows"], caption=table["caption"])


def qpr_docx(data: dict) -> bytes:
    document = _new_document(data["title"], "Kent County Council")
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

    _section_heading(document, "Executive summary")
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
                data["previous_quarter"],
                str(summary["previous_green"]),
                str(summary["previous_amber"]),
                str(summary["previous_red"]),
                "",
                "",
                "",
            ],
        ],
        caption=f"KPIs by rating, {data['quarter']} (first row) and {data['previous_quarter']}",
        fills=[[None, "GREEN", "AMBER", "RED", None, None, None]] * 2,
    )
    document.paragraph(data["summary_text"])
    for section in data["directorates"]:
        document.heading(section["name"], 3)
        _paragraphs(document, section["commentary"] or section["draft"])

    for section in data["directorates"]:
        _section_heading(document, section["name"])
        members = ", ".join(section["cabinet_members"]) or "None recorded"
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
        _paragraphs(document, section["commentary"] or "No commentary was written.")
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
                _chart_table(document, kpi_table_only(kpi))
        if section["indicators"]:
            document.heading("Activity indicators", 2)
            for indicator in section["indicators"]:
                document.heading(indicator["title"], 3)
                _chart_table(document, indicator_table_only(indicator))
        if section["tables"]:
            document.heading("Supporting tables", 2)
            for table in section["tables"]:
                _report_table(document, table)
    if data.get("council_tables"):
        _section_heading(document, "Council-wide tables")
        for table in data["council_tables"]:
            _report_table(document, table)
    risks = data.get("risks")
    if risks:
        _section_heading(document, "Corporate risk register: overview")
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
        for title, key in (("New risks", "new"), ("Risks removed", "removed")):
            document.heading(title, 2)
            items = risks[key]
            if not items:
                document.paragraph("None.")
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
            document.paragraph("None.")
        if risks["action_rows"]:
            add_table(
                document,
                ["Due", *risks["action_columns"], "Total"],
                [
                    [row["label"], *map(str, row["cells"]), str(row["total"])]
                    for row in risks["action_rows"]
                ],
                caption="Mitigating actions by status",
            )
    return _save(document)


def _save(writer: WordWriter) -> bytes:
    return writer.save()
