"""A long document printed in pieces and joined into one PDF.

Chromium's time to lay out and print one document grows faster than its length: measured on
the 2-core machine with 680 px chart pictures, 1,000 pictures took 22 s to load and print,
2,000 took 70 s, and the 50x QPR (3,800 pictures, ~2,100 A4 pages) did not finish in five
minutes. Printed in pieces of a bounded size, the time grows with the length, no faster.

Templates mark where a document may be cut with :data:`MARK` (between the QPR's KPIs,
indicators, tables and sections; between the SDP's activities; between scorecards). ``split``
cuts at the marks into pieces of at most :data:`PIECE_PICTURES` chart pictures and
:data:`PIECE_CHARS` characters, each a whole page: the same head, and the elements open at
the cut (a section, say) opened again. ``join`` puts the printed pieces together as one PDF:

- the pages in order, with "Page N of M" across the whole file (each piece's own page
  counter starts at 1, so the footer's page number is written here, not by the browser);
- one outline, nested by the headings' levels across the pieces;
- one structure tree (the tags Chromium writes for screen readers), so the file stays tagged.

A document without marks, or short enough, is one piece; it goes through ``join`` too, so
every PDF gets its page numbers the same way.
"""

from __future__ import annotations

import html as html_lib
import io
import re
from dataclasses import dataclass, field
from typing import Any, cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    Fit,
    IndirectObject,
    NameObject,
    NumberObject,
)

MARK = "<!--print-piece-->"
# A piece's size: well inside the range where Chromium's time grows with the length.
PIECE_PICTURES = 150
PIECE_CHARS = 1_500_000
PICTURE = 'class="chart-plot chart-picture"'
# What the browser must not print in a piece: the page number, written by ``join``.
NO_PAGE_NUMBER = "<style>@page { @bottom-right { content: none; } }</style>"

# Scanning the body's elements: comments, raw text (script, style) and tags.
_TOKEN = re.compile(
    r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>",
    re.S | re.I,
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_BODY = re.compile(r"<body\b[^>]*>", re.I)
_HEADINGS = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.S | re.I)


@dataclass
class Piece:
    """One piece's whole page, and its headings (level, text) in order: they name the
    levels of the outline Chromium makes for it."""

    html: str
    headings: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Segment:
    text: str
    opened: list[str]  # the opening tags of the elements open where the segment starts
    closing: list[str]  # the names of the elements still open where it ends, innermost last
    pictures: int


def split(page: str) -> list[Piece]:
    """The page cut at its marks into pieces of a bounded size (one piece without marks)."""
    body = _BODY.search(page)
    end = page.rfind("</body>")
    segments = page[body.end() : end].split(MARK) if body and end > body.end() else []
    if len(segments) < 2:
        return [Piece(page, _headings(page))]
    assert body is not None
    head, tail = page[: body.end()], page[end:]
    scanned = _scan(segments)
    pieces: list[Piece] = []
    group: list[_Segment] = []
    pictures = chars = 0
    for segment in scanned:
        pictures += segment.pictures
        chars += len(segment.text)
        if group and (pictures > PIECE_PICTURES or chars > PIECE_CHARS):
            pieces.append(_piece(head, group, tail))
            group, pictures, chars = [], segment.pictures, len(segment.text)
        group.append(segment)
    pieces.append(_piece(head, group, tail))
    return pieces


def _piece(head: str, group: list[_Segment], tail: str) -> Piece:
    opened = "".join(group[0].opened)
    closed = "".join(f"</{name}>" for name in reversed(group[-1].closing))
    text = "".join(s.text for s in group)
    return Piece(head + opened + text + closed + tail, _headings(text))


def _scan(segments: list[str]) -> list[_Segment]:
    """Each segment with the elements open around it."""
    stack: list[tuple[str, str]] = []  # (name, opening tag)
    scanned = []
    for text in segments:
        opened = [tag for _, tag in stack]
        for token in _TOKEN.finditer(text):
            name = (token[3] or "").lower()
            if not name:
                continue  # a comment, a script or a style
            if token[2]:
                for depth in range(len(stack) - 1, -1, -1):
                    if stack[depth][0] == name:
                        del stack[depth:]
                        break
            elif name not in _VOID and not token[0].endswith("/>"):
                stack.append((name, token[0]))
        scanned.append(_Segment(text, opened, [n for n, _ in stack], text.count(PICTURE)))
    return scanned


def _headings(page: str) -> list[tuple[int, str]]:
    """The headings (level, text) of the page's HTML, in order."""
    found = _HEADINGS.finditer(page)
    return [(int(m[1]), _text(m[2])) for m in found]


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


# Joining ------------------------------------------------------------------------------------

# The footer's page number as print.css draws it: 8 pt Helvetica, grey, right-aligned at the
# right margin, in the middle of the bottom margin.
FONT_SIZE = 8
MM = 72 / 25.4
RIGHT_MARGIN = 15 * MM
BASELINE = 7.9 * MM
GREY = (0x48 / 255, 0x49 / 255, 0x49 / 255)
# Helvetica's widths (thousandths of the font size) of the characters the footer uses.
_WIDTHS = {**dict.fromkeys("0123456789", 556), "P": 667, "a": 556, "g": 556, "e": 556}
_WIDTHS.update({" ": 278, "o": 556, "f": 278})
_FONT = "/KccperfPageNumber"


def join(pdfs: list[bytes], pieces: list[Piece]) -> bytes:
    """The printed pieces as one PDF: pages, page numbers, outline and tags."""
    readers = [PdfReader(io.BytesIO(pdf)) for pdf in pdfs]
    writer = PdfWriter(clone_from=readers[0])
    outline = [_outline_items(readers[0], pieces[0].headings, 0)]
    first_pages = [0]
    for reader, piece in zip(readers[1:], pieces[1:], strict=True):
        first_pages.append(len(writer.pages))
        _append(writer, reader)
        outline.append(_outline_items(reader, piece.headings, first_pages[-1]))
    _write_outline(writer, [item for items in outline for item in items])
    _number_pages(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _append(writer: PdfWriter, reader: PdfReader) -> None:
    """The reader's pages after the writer's, and its tags under the writer's document."""
    tree = _dict(writer.root_object.get("/StructTreeRoot"))
    theirs = _dict(reader.root_object.get("/StructTreeRoot"))
    offset = int(cast(int, tree.get("/ParentTreeNextKey", 0))) if tree else 0
    start = len(writer.pages)
    writer.append(reader, import_outline=False)
    if tree is None or theirs is None:
        return
    # pypdf leaves out each page's key into the parent tree: put it back, moved on; and the
    # links' keys (kept) move on too.
    for page, their_page in zip(writer.pages[start:], reader.pages, strict=True):
        if "/StructParents" in their_page:
            key = int(cast(int, their_page["/StructParents"])) + offset
            page[NameObject("/StructParents")] = NumberObject(key)
        for annotation in cast(list, page.get("/Annots") or []):
            link = _dict(annotation)
            if link is not None and "/StructParent" in link:
                key = int(cast(int, link["/StructParent"])) + offset
                link[NameObject("/StructParent")] = NumberObject(key)
    document = _document(tree)
    kids = _document(theirs).get("/K", [])
    mine = document.get("/K")
    if not isinstance(mine, ArrayObject):
        mine = ArrayObject([] if mine is None else [mine])
        document[NameObject("/K")] = mine
    for kid in kids if isinstance(kids, list) else [kids]:
        copy = kid.clone(writer)
        element = _dict(copy)
        if element is not None and "/P" in element:
            element[NameObject("/P")] = document.indirect_reference or document
        mine.append(copy)
    numbers = cast(ArrayObject, _dict(tree["/ParentTree"])["/Nums"])  # type: ignore[index]
    their_numbers = cast(list, _dict(theirs["/ParentTree"]).get("/Nums", []))  # type: ignore[union-attr]
    for key, value in zip(their_numbers[::2], their_numbers[1::2], strict=True):
        numbers.append(NumberObject(int(key) + offset))
        numbers.append(value.clone(writer))
    next_key = offset + int(cast(int, theirs.get("/ParentTreeNextKey", 0)))
    tree[NameObject("/ParentTreeNextKey")] = NumberObject(next_key)


def _dict(value: Any) -> DictionaryObject | None:
    """The dictionary ``value`` is or refers to, or None."""
    value = value.get_object() if value is not None else None
    return value if isinstance(value, DictionaryObject) else None


def _document(tree: DictionaryObject) -> DictionaryObject:
    """The structure tree's one Document element (Chromium writes one)."""
    kid = tree["/K"]
    if isinstance(kid, ArrayObject):
        kid = kid[0]
    document = _dict(kid)
    if document is None:
        raise ValueError("a structure tree without a document element")
    return document


def _outline_items(
    reader: PdfReader, headings: list[tuple[int, str]], first_page: int
) -> list[tuple[int, str, int, float | None]]:
    """The piece's outline as (heading level, title, page in the whole file, top), in order.
    The level is the heading's the title names (Chromium nests by level within a piece;
    across pieces the levels say where an item belongs)."""
    items: list[tuple[int, str, int, float | None]] = []
    # Compared without spaces: the browser's titles drop some (a line break in a heading).
    texts = ["".join(text.split()) for _, text in headings]
    at = 0

    def walk(nodes, parent_level: int) -> None:
        nonlocal at
        last_level = parent_level + 1
        for node in nodes:
            if isinstance(node, list):
                walk(node, last_level)
                continue
            title = str(node.title)
            wanted = "".join(title.split())
            if wanted in texts[at:]:
                at = texts.index(wanted, at) + 1
                level = headings[at - 1][0]
            else:  # not a heading of the page's (none such seen): the next heading's level
                level = headings[at][0] if at < len(headings) else parent_level + 1
            top = node.get("/Top")
            page = reader.get_destination_page_number(node)
            if page is None:  # an item pointing at no page of the piece: left out
                continue
            items.append((level, title, first_page + page, float(top) if top else None))
            last_level = level

    walk(reader.outline, 0)
    return items


def _write_outline(writer: PdfWriter, items: list[tuple[int, str, int, float | None]]) -> None:
    """One outline for the whole file: each item under the last one of a higher level."""
    if "/Outlines" in writer.root_object:
        del writer.root_object["/Outlines"]
    stack: list[tuple[int, IndirectObject]] = []
    for level, title, page, top in items:
        while stack and stack[-1][0] >= level:
            stack.pop()
        fit = Fit.xyz(top=top) if top is not None else Fit.fit()
        item = writer.add_outline_item(
            title=title, page_number=page, parent=stack[-1][1] if stack else None, fit=fit
        )
        stack.append((level, item))


def _number_pages(writer: PdfWriter) -> None:
    """ "Page N of M" in each page's footer, marked as a pagination artifact (not content)."""
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    total = len(writer.pages)
    save, restore = _stream(writer, b"q\n"), _stream(writer, b"Q\n")
    for number, page in enumerate(writer.pages, start=1):
        text = f"Page {number} of {total}"
        width = sum(_WIDTHS[c] for c in text) * FONT_SIZE / 1000
        box = page.mediabox
        x = float(box.right) - RIGHT_MARGIN - width
        y = float(box.bottom) + BASELINE
        r, g, b = GREY
        stamp = (
            f"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"
            f"BT {_FONT} {FONT_SIZE} Tf {r:.3f} {g:.3f} {b:.3f} rg "
            f"{x:.2f} {y:.2f} Td ({text}) Tj ET\nEMC\n"
        ).encode("latin-1")
        resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
        fonts = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
        fonts[NameObject(_FONT)] = font
        contents = page.get("/Contents")
        if contents is None:
            old = []
        elif isinstance(contents.get_object(), ArrayObject):
            old = list(contents.get_object())
        else:
            old = [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *old, restore, _stream(writer, stamp)])


def _stream(writer: PdfWriter, data: bytes):
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)
