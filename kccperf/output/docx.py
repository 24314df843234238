"""The one Word (.docx) writer: python-docx for the document's frame (styles, header, page
number footer, A4 pages) and WordprocessingML text for the body, parsed once when saved.

python-docx's add_paragraph/add_table look styles up and search the body on every call and
cost milliseconds per table cell: the demo QPR's 101 tables (4,206 cells) took 13.5 s through
python-docx's cell API and 134 ms as WordprocessingML text (the whole QPR file: 217 ms).
Every piece of text goes through ``kccperf.output.text.clean_text``: a vertical tab pasted
from Word would otherwise make the file unwritable. Word has no length limit: long text is
kept whole.

House conventions (what a Word user's accessibility check looks for): A4 with the council's
2.54 cm margins (Word's "Normal" margins), Arial 11, language en-GB; built-in Heading 1/2/3
styles (the navigation pane) and a table of contents field, filled in when the file is made
(links to the headings; Word adds page numbers when it updates the field on opening); charts
as PNG pictures with alt text; tables with a repeating header row; a missing value is "–",
never "None"; an unpublished report says DRAFT in the header of every page and in its
properties.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Protocol
from xml.sax.saxutils import escape, quoteattr

from django.http import HttpResponse
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor

from kccperf.output.text import clean_text

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Fill colours behind RAG and delivery words (the words carry the meaning; colours help).
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
STYLE_NAMES = ("Title", "Heading 1", "Heading 2", "Heading 3", "Caption", "List Bullet")
# The document's core properties (title) hold at most 255 characters.
CORE_PROPERTY_LIMIT = 255
MISSING = "–"  # a value that is not there (never "None")
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_CM = 2.54
TEXT_WIDTH_MM = PAGE_WIDTH_MM - 2 * MARGIN_CM * 10  # 159.2 mm: the widest a picture may be
EMU_PER_MM = 36_000
DRAFT_BANNER = "DRAFT: not published. Figures and text may change."
DRAFT_FILL = "FFDD00"
TOC_LEVELS = 2
BODY_NAMESPACES = nsdecls("w", "wp", "a", "pic", "r")


class Picture(Protocol):
    """What ``WordWriter.picture`` draws: a PNG and its size (kccperf.chart_images.ChartImage)."""

    data: bytes

    @property
    def width_mm(self) -> float: ...

    @property
    def height_mm(self) -> float: ...


# A table cell: text, or (text, column span) for a group heading across the table.
CellValue = str | int | float | None | tuple[str, int]


def _run(text: str, run_props: str = "") -> str:
    return f'<w:r>{run_props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def cell_text(value: object) -> str:
    """A value as table text: a missing value (None) is "–"."""
    return MISSING if value is None else clean_text(str(value))


class WordWriter:
    """A document: its body written as WordprocessingML text, parsed once in ``save``."""

    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        self.parts: list[str] = []
        self.style_ids = {name: document.styles[name].style_id for name in STYLE_NAMES}
        # (level, text, bookmark) of every heading, for the table of contents.
        self.headings: list[tuple[int, str, str]] = []
        self._contents_at: int | None = None
        self._drawing_ids = 0

    def paragraph(
        self,
        text: str = "",
        style: str | None = None,
        *,
        keep_next: bool = False,
        page_break: bool = False,
        bookmark: str = "",
    ) -> None:
        props = []
        if style:
            props.append(f'<w:pStyle w:val="{self.style_ids[style]}"/>')
        if keep_next:
            props.append("<w:keepNext/>")
        if page_break:
            props.append("<w:pageBreakBefore/>")
        p_pr = f"<w:pPr>{''.join(props)}</w:pPr>" if props else ""
        text = clean_text(text)
        run = _run(text) if text else ""
        if bookmark:
            number = len(self.headings)
            run = (
                f'<w:bookmarkStart w:id="{number}" w:name="{bookmark}"/>{run}'
                f'<w:bookmarkEnd w:id="{number}"/>'
            )
        self.parts.append(f"<w:p>{p_pr}{run}</w:p>")

    def heading(self, text: str, level: int, *, page_break: bool = False) -> None:
        """A heading in Word's built-in style (0: the title, not a heading)."""
        if level == 0:
            self.paragraph(text, "Title", keep_next=True, page_break=page_break)
            return
        bookmark = f"_Toc{len(self.headings) + 1:08d}"
        self.paragraph(
            text, f"Heading {level}", keep_next=True, page_break=page_break, bookmark=bookmark
        )
        self.headings.append((level, clean_text(text), bookmark))

    def table_of_contents(self) -> None:
        """A table of contents field here (headings of levels 1 and 2), filled in on save."""
        self._contents_at = len(self.parts)
        self.parts.append("")

    def _contents_xml(self) -> str:
        entries = [
            (level, text, mark) for level, text, mark in self.headings if level <= TOC_LEVELS
        ]
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u '
            '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        xml = [
            f'<w:p><w:pPr><w:pStyle w:val="{self.document.styles["TOC Heading"].style_id}"/>'
            f"</w:pPr>{_run('Contents')}</w:p>"
        ]
        if not entries:
            entries = [(1, "Update this field to list the headings.", "")]
        last = len(entries) - 1
        for n, (level, text, mark) in enumerate(entries):
            style = self.document.styles[f"TOC {level}"].style_id
            link = (
                f'<w:hyperlink w:anchor="{mark}" w:history="1">{_run(text)}</w:hyperlink>'
                if mark
                else _run(text)
            )
            end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if n == last else ""
            xml.append(
                f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
                f"{begin if n == 0 else ''}{link}{end}</w:p>"
            )
        return "".join(xml)

    def picture(self, picture: Picture, alt_text: str, *, name: str = "Chart") -> None:
        """A PNG in its own paragraph, as wide as the text at most, with its alt text (the
        drawing's description, which Word's accessibility check reads)."""
        width_mm = min(picture.width_mm, TEXT_WIDTH_MM)
        height_mm = picture.height_mm * width_mm / picture.width_mm
        cx, cy = round(width_mm * EMU_PER_MM), round(height_mm * EMU_PER_MM)
        r_id, _ = self.document.part.get_or_add_image(io.BytesIO(picture.data))
        self._drawing_ids += 1
        number = self._drawing_ids
        alt = quoteattr(clean_text(alt_text))
        label = quoteattr(clean_text(f"{name} {number}"))
        self.parts.append(
            "<w:p><w:pPr><w:keepNext/></w:pPr><w:r><w:drawing>"
            '<wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{number}" name={label} descr={alt}/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/>'
            "</wp:cNvGraphicFramePr>"
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
            'picture"><pic:pic><pic:nvPicPr>'
            f'<pic:cNvPr id="{number}" name={label} descr={alt}/><pic:cNvPicPr/>'
            f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{r_id}"/>'
            "<a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
            '<pic:spPr><a:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
            "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        )

    def section_heading(self, text: str) -> None:
        """A level-1 heading starting a new page."""
        self.heading(text, 1, page_break=True)

    def paragraphs(self, text: str) -> None:
        """Text with blank lines between paragraphs, one Word paragraph each."""
        text = clean_text(text).replace("\r", "")
        for block in filter(None, (b.strip() for b in text.split("\n\n"))):
            self.paragraph(block)

    def save(self) -> bytes:
        body = self.document.element.body
        if self._contents_at is not None:
            self.parts[self._contents_at] = self._contents_xml()
            # Word updates the field (page numbers) when the file is opened.
            update = OxmlElement("w:updateFields")
            update.set(qn("w:val"), "true")
            self.document.settings.element.append(update)
        fragment = parse_xml(f"<w:body {BODY_NAMESPACES}>{''.join(self.parts)}</w:body>")
        # The body ends with the section properties: take them off, append the new body in
        # one pass and put them back. (Inserting each child at an index walks the children
        # every time: the save grew with the square of the document, 26 s for 32,000
        # paragraphs; appended it stays linear.)
        section = body[-1] if len(body) and body[-1].tag == qn("w:sectPr") else None
        if section is not None:
            body.remove(section)
        body.extend(list(fragment))
        if section is not None:
            body.append(section)
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _cell_xml(text: object, *, header: bool = False, fill: str | None = None, span: int = 1) -> str:
    props = []
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if fill or header:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill or HEADER_FILL}"/>')
    tc_pr = f"<w:tcPr>{''.join(props)}</w:tcPr>" if props else ""
    run_props = "<w:rPr><w:b/></w:rPr>" if header else ""
    lines = cell_text(text).split("\n")
    paragraphs = "".join(f"<w:p>{_run(line, run_props)}</w:p>" for line in lines)
    return f"<w:tc>{tc_pr}{paragraphs}</w:tc>"


def add_table(
    document: WordWriter,
    headers: Sequence[str],
    rows: Sequence[Sequence[CellValue]],
    *,
    caption: str = "",
    fills: Sequence[Sequence[str | None]] | None = None,
    header_rows: Sequence[Sequence[tuple[str, int]]] | None = None,
    row_header: bool = True,
) -> None:
    """A table with a repeating, shaded header row; ``fills`` shades body cells (a colour
    or a key of ``SHADING``). ``header_rows`` replaces ``headers`` with several rows of
    (text, column span)."""
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


def _page_number_footer(document: DocxDocument) -> None:
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


def _header(document: DocxDocument, title: str, subject: str, status: str, draft: bool) -> None:
    """The running header of every page: the report, its quarter and its state; a draft's
    says DRAFT in words on a yellow band (the word carries the meaning, not the colour)."""
    header = document.sections[0].header
    first = header.paragraphs[0]
    if draft:
        first.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = first.add_run(DRAFT_BANNER)
        run.bold = True
        run.font.size = Pt(12)
        run.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        shading = parse_xml(
            f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{DRAFT_FILL}"/>'
        )
        first.paragraph_format.element.get_or_add_pPr().append(shading)
        line = header.add_paragraph()
    else:
        line = first
    line.add_run(" · ".join(part for part in (title, subject, status) if part))
    line.runs[0].font.size = Pt(9)


def _styles(document: DocxDocument) -> None:
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    # The document's language (screen readers' pronunciation, Word's spelling check).
    r_pr = style.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-GB")
    r_pr.append(lang)
    for level in range(1, TOC_LEVELS + 1):
        toc = document.styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
        toc.base_style = style
        toc.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        toc.paragraph_format.space_after = Pt(3)


def new_document(
    title: str,
    subtitle: str,
    *,
    subject: str = "",
    status: str = "",
    draft: bool = False,
    keywords: str = "",
) -> WordWriter:
    """An A4 document with the council's 2.54 cm margins, in Arial 11 (en-GB), with the
    title, ``subject`` (the quarter) and ``status`` in the header of every page (and a
    DRAFT band when ``draft``), page numbers in the footer, the title and subtitle as its
    first paragraphs, and title, subject, keywords and status in its properties."""
    title, subject, status = clean_text(title), clean_text(subject), clean_text(status)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    margin = Cm(MARGIN_CM)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = margin
    section.header_distance = section.footer_distance = Cm(1.25)
    _styles(document)
    properties = document.core_properties
    properties.title = title[:CORE_PROPERTY_LIMIT]
    properties.subject = subject[:CORE_PROPERTY_LIMIT]
    properties.author = "Kent County Council (kccperf)"
    properties.keywords = clean_text(keywords)[:CORE_PROPERTY_LIMIT]
    properties.content_status = "Draft" if draft else (status[:CORE_PROPERTY_LIMIT] or "Final")
    properties.category = "DRAFT" if draft else ""
    _page_number_footer(document)
    _header(document, title, subject, "" if draft else status, draft)
    writer = WordWriter(document)
    writer.heading(title, 0)
    if draft:
        writer.paragraph(DRAFT_BANNER)
    writer.paragraph(subtitle)
    return writer


def docx_response(content: bytes, filename: str) -> HttpResponse:
    """The download of a .docx file."""
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def chart_alt_text(chart: dict) -> str:
    """A chart's alt text: what it shows and its latest row in words (the full data is in
    the table that follows it in the file)."""
    table = chart.get("table") or {}
    headers, rows = table.get("headers") or [], table.get("rows") or []
    text = f"Chart: {chart.get('title') or table.get('caption') or 'untitled'}."
    if rows:
        pairs = zip(headers, rows[-1], strict=False)
        latest = ", ".join(f"{header}: {cell_text(value)}" for header, value in pairs)
        text += f" Latest: {latest}."
    return f"{text} The data is in the table below the chart."


def chart_pictures(charts: Sequence[dict]) -> list:
    """PNGs of ``charts`` (``chart_context`` dicts) at the text width, in one batch (cached;
    None where no picture could be drawn)."""
    from kccperf.chart_images import render_charts

    return render_charts(
        [chart["figure_json"] for chart in charts], "png", width_mm=TEXT_WIDTH_MM, scale=2
    )


def add_chart(document: WordWriter, chart: dict, picture: Picture | None) -> None:
    """A chart as a picture with alt text, then its data table (the table alone, with a note,
    when the picture could not be drawn)."""
    if picture is not None:
        document.picture(picture, chart_alt_text(chart))
    else:
        document.paragraph("The chart could not be drawn here: its data is in this table.")
    table = chart["table"]
    add_table(
        document,
        table["headers"],
        table["rows"],
        caption=table.get("caption") or chart.get("title", ""),
        fills=_rag_fills(table),
    )


def _rag_fills(table: dict) -> list[list[str | None]] | None:
    """Shades a chart table's "RAG" column behind its words (Green, Amber, Red)."""
    headers = list(table.get("headers") or [])
    if "RAG" not in headers:
        return None
    column = headers.index("RAG")
    words = {"Green": "GREEN", "Amber": "AMBER", "Red": "RED"}
    fills: list[list[str | None]] = []
    for row in table.get("rows") or []:
        cells: list[str | None] = [None] * column
        cells.append(SHADING.get(words.get(str(row[column]), "")))
        fills.append(cells)
    return fills
