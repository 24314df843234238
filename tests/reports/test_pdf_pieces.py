"""A long document printed in pieces and joined (kccperf/output/pdf_pieces.py): the cut keeps
the page whole, and the joined file reads as one: every page once, in order, numbered across
the file, one outline nested by heading level, one structure tree whose tags point at its
own pages."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from kccperf.output import pdf_pieces
from kccperf.periods import Quarter
from reports.models import Report
from tests.reports.test_pdf import QPR, outline_titles, page_texts, read

MARK = pdf_pieces.MARK
PICTURE = f'<div {pdf_pieces.PICTURE} id="c"><img src="/x.svg" alt=""></div>'


def page(body: str) -> str:
    head = '<!doctype html><html lang="en"><head><title>T</title></head>'
    return f'{head}<body class="b">{body}</body></html>'


def test_a_page_without_marks_is_one_piece():
    html = page("<main><h1>Title</h1><p>Text</p></main>")
    pieces = pdf_pieces.split(html)
    assert [p.html for p in pieces] == [html]
    assert pieces[0].headings == [(1, "Title")]


def test_pieces_hold_at_most_the_pictures_allowed_and_reopen_the_elements_around_the_cut(
    monkeypatch,
):
    monkeypatch.setattr(pdf_pieces, "PIECE_PICTURES", 2)
    items = "".join(f"{MARK}<div class=item><h4>KPI {n}</h4>{PICTURE}</div>" for n in range(5))
    html = page(
        f"<main><h1>Report</h1><!-- a <section> in a comment --><script>if (a<b) {{}}</script>"
        f'<section id="s1" class="print-section"><h2>Adults &amp; children</h2>'
        f"<br><img src=x alt=''>{items}</section></main>"
    )
    pieces = pdf_pieces.split(html)
    assert [p.html.count(pdf_pieces.PICTURE) for p in pieces] == [2, 2, 1]
    first, second, last = (p.html for p in pieces)
    assert first.startswith(page("").split("</body>")[0])
    assert first.endswith("</div></section></main></body></html>")
    assert "<h1>Report</h1>" in first and "<h1>" not in second
    # The cut is inside <main> and the section: both opened again, with their attributes.
    assert second.startswith(
        page("").split("</body>")[0] + '<main><section id="s1" class="print-section">'
    )
    assert second.endswith("</section></main></body></html>")
    assert last.count("<div class=item>") == 1
    assert pieces[0].headings == [
        (1, "Report"),
        (2, "Adults & children"),
        (4, "KPI 0"),
        (4, "KPI 1"),
    ]
    assert pieces[2].headings == [(4, "KPI 4")]
    # Nothing lost, nothing twice.
    assert sum(p.html.count("<div class=item>") for p in pieces) == 5


def test_a_piece_is_cut_at_the_characters_allowed_too(monkeypatch):
    monkeypatch.setattr(pdf_pieces, "PIECE_CHARS", 100)
    html = page("".join(f"{MARK}<p>{'x' * 60}</p>" for _ in range(4)))
    assert len(pdf_pieces.split(html)) == 4


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed")
def test_the_qpr_printed_in_pieces_reads_as_one_file(client, dan, cast, qpr_demo, monkeypatch):
    from tests.reports.factories import make_published

    cache.clear()
    make_published(Report.Kind.QPR, Quarter(2019, 2), user=cast["dan"])
    client.force_login(dan)
    whole = read(client.get(f"{QPR}?version=1&_export=pdf"))
    cache.clear()
    monkeypatch.setattr(pdf_pieces, "PIECE_PICTURES", 8)
    printed: list[int] = []
    join = pdf_pieces.join
    monkeypatch.setattr(
        pdf_pieces, "join", lambda pdfs, pieces: printed.append(len(pdfs)) or join(pdfs, pieces)
    )
    response = client.get(f"{QPR}?version=1&_export=pdf")
    reader = read(response)
    assert printed and printed[0] >= 8  # 70 charts, at most 8 a piece
    texts = page_texts(reader)
    total = len(reader.pages)
    # Each piece starts a page: a few more pages than in one piece, never fewer.
    assert len(whole.pages) <= total <= len(whole.pages) + printed[0]
    for number, text in enumerate(texts, start=1):
        assert text.count(f"Page {number} of {total}") == 1, number
        assert "Quarterly Performance Report, Q2 2019/20 · Published: version 1" in text
    # Every KPI's heading is printed once, as in the whole file.
    whole_text = "\n".join(page_texts(whole))
    for code in ("CYPE1", "CS01", "ASC1"):
        assert ("\n".join(texts)).count(f"{code}:") == whole_text.count(f"{code}:")

    # One outline with the same items, nested the same way: the KPIs under their directorate.
    assert outline_tree(reader) == outline_tree(whole)

    # One structure tree: one document element, tags on every page, all of them this file's.
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    tree = root["/StructTreeRoot"]
    document = tree["/K"].get_object()
    assert document["/S"] == "/Document"
    pages = {page.indirect_reference.idnum for page in reader.pages}
    seen_pages: set[int] = set()
    elements = [kid.get_object() for kid in document["/K"]]
    headings = 0
    while elements:
        element = elements.pop()
        if "/Pg" in element:
            assert element.raw_get("/Pg").idnum in pages
            seen_pages.add(element.raw_get("/Pg").idnum)
        headings += element.get("/S") in ("/H1", "/H2", "/H3", "/H4")
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and kid.get("/Type", "/StructElem") == "/StructElem":
                elements.append(kid)
    assert seen_pages == pages
    assert headings == len(outline_titles(reader))
    parents = [int(page["/StructParents"]) for page in reader.pages]
    assert len(set(parents)) == len(parents)
    keys = set(tree["/ParentTree"]["/Nums"][::2])
    assert set(parents) <= keys
    assert int(tree["/ParentTreeNextKey"]) == max(keys) + 1


def outline_tree(reader: PdfReader) -> list:
    def walk(items) -> list:
        return [walk(item) if isinstance(item, list) else item.title for item in items]

    return walk(reader.outline)


def test_joined_pieces_are_numbered_across_the_file():
    """Without a browser: two tiny PDFs joined (pypdf's own blank pages)."""
    from pypdf import PdfWriter

    def blank(count: int) -> bytes:
        writer = PdfWriter()
        for _ in range(count):
            writer.add_blank_page(595, 842)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    pieces = [pdf_pieces.Piece("", []), pdf_pieces.Piece("", [])]
    joined = PdfReader(io.BytesIO(pdf_pieces.join([blank(2), blank(3)], pieces)))
    assert [page.extract_text() for page in joined.pages] == [f"Page {n} of 5" for n in range(1, 6)]
