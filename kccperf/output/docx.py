"""The one Word (.docx) writer: python-docx for the document's frame (styles, header, page
number footer, A4 pages) and WordprocessingML text for the body, parsed once when saved.

python-docx's add_paragraph/add_table look styles up and search the body on every call and
cost milliseconds per table cell: the demo QPR's 101 tables (4,206 cells) took 13.5 s through
python-docx's cell API and 134 ms as WordprocessingML text (the whole QPR file: 217 ms).
Every piece of text goes through ``kccperf.output.text.clean_text``: a vertical tab pasted
from Word would otherwise make the file unwritable. Word has no length limit: long text is
kept whole.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.http import HttpResponse
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

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

# A table cell: text, or (text, column span) for a group heading across the table.
CellValue = str | int | float | None | tuple[str, int]


def _run(text: str, run_props: str = "") -> str:
    return f'<w:r>{run_props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


class WordWriter:
    """A document: its body written as WordprocessingML text, parsed once in ``save``."""

    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        self.parts: list[str] = []
        self.style_ids = {name: document.styles[name].style_id for name in STYLE_NAMES}

    def paragraph(
        self,
        text: str = "",
        style: str | None = None,
        *,
        keep_next: bool = False,
        page_break: bool = False,
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
        self.parts.append(f"<w:p>{p_pr}{_run(text) if text else ''}</w:p>")

    def heading(self, text: str, level: int, *, page_break: bool = False) -> None:
        style = "Title" if level == 0 else f"Heading {level}"
        self.paragraph(text, style, keep_next=True, page_break=page_break)

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
        fragment = parse_xml(f"<w:body {nsdecls('w')}>{''.join(self.parts)}</w:body>")
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
    lines = clean_text(str(text)).split("\n")
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


def new_document(title: str, subtitle: str) -> WordWriter:
    """An A4 document in Arial 11 with the title in its header, page numbers in its footer
    and the title and subtitle as its first paragraphs."""
    title = clean_text(title)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    document.core_properties.title = title[:CORE_PROPERTY_LIMIT]
    document.core_properties.author = "Kent County Council (kccperf)"
    _page_number_footer(document)
    section.header.paragraphs[0].text = title
    writer = WordWriter(document)
    writer.heading(title, 0)
    writer.paragraph(subtitle)
    return writer


def docx_response(content: bytes, filename: str) -> HttpResponse:
    """The download of a .docx file."""
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
