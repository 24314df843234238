"""The one PDF writer: a page's own HTML printed by Chromium (Debian's ``chromium``, driven
by Playwright) on A4, with the page's print stylesheet (static/css/print.css: running
header, page numbers, landscape sections), tagged and with an outline from the headings.

Why Chromium and not WeasyPrint: Chromium prints the page exactly as a person's own browser
does (the same print stylesheet, checked by the same browser tests: CSS grid, margin boxes
with page counters, named landscape pages), tags the PDF (``tagged=True``) and makes the
outline from the headings (``outline=True``), and is already installed for the chart
pictures and the browser tests; WeasyPrint needs pango system libraries, runs no JavaScript
and lays out a report of this size far more slowly.

Charts are printed as pictures drawn on the server (``kccperf/chart_images.py``: plotly's
own export through Kaleido, cached per figure), swapped in for the figures' JSON before the
page is printed (``with_chart_pictures``): drawing 760 live plotly charts inside the 420-page
10x QPR took minutes (each chart made the browser lay out the whole document again). A chart
that could not be drawn as a picture keeps its figure and is drawn by plotly.js in the
printing browser, at the printed width.

The page is loaded from an address that does not exist (``ORIGIN``): every request the
browser makes is answered here, the page itself from memory, ``/static/`` files from the
static files storage (or the finders, in development), everything else refused. So
printing needs no web server, no sign-in and no network, and cannot reach anything else.
The browser is started for each file (about half a second) and closed: a PDF is asked for
rarely, and published versions' files are cached (``reports.views``).

A long document is printed in pieces, each in a page of its own, and the pieces joined as one
file with its page numbers, outline and tags (``kccperf/output/pdf_pieces.py``): Chromium's
time grows faster than a document's length, and the 50x QPR printed whole did not finish in
five minutes; in pieces it takes a minute and a half.
"""

from __future__ import annotations

import html as html_lib
import json
import logging
import mimetypes
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string

from kccperf.output import pdf_pieces

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/pdf"
ORIGIN = "http://kccperf.print"
# The printed text width (A4, 210 mm, less print.css's 15 mm margins), and in CSS pixels: the
# window is this wide, so the page is laid out (and any chart left drawn) as it prints.
PRINT_TEXT_WIDTH_MM = 210 - 2 * 15
PRINT_WIDTH_PX = round(PRINT_TEXT_WIDTH_MM / 25.4 * 96)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Every chart drawn: a picture, or plotly's SVG (static/js/charts.js draws those left).
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('.chart-plot'))
    .every((el) => el.querySelector('.main-svg, img'))"""
PRINT_HEADER = re.compile(r'<body data-print-header="(?P<text>[^"]*)"')
# A chart as templates/includes/_chart.html writes it: the plot's box, then its figure.
CHART = re.compile(
    r'<div class="chart-plot" id="(?P<id>[^"]+)"(?P<attrs>[^>]*)></div>(?P<space>\s*)'
    r'<script id="(?P=id)-data" type="application/json">(?P<json>.*?)</script>',
    re.S,
)
# For a piece (kccperf.output.pdf_pieces bounds its size): generous for a busy machine.
TIMEOUT_MS = 300_000


class PdfUnavailable(RuntimeError):
    """No browser to print with (``chromium`` is not installed)."""


def chromium_path() -> str | None:
    """The browser that prints: the one that draws the chart pictures (KCCPERF_CHART_BROWSER,
    else chromium on PATH)."""
    from kccperf.chart_images import browser_path

    return browser_path()


def with_chart_pictures(html: str) -> tuple[str, dict[str, bytes]]:
    """The page with each chart's figure replaced by its picture (SVG, drawn on the server
    at the printed width), and the pictures by address (``/_charts/<n>.svg``, answered by
    ``_answer``: data: URIs made the 10x QPR's HTML 15 MB and slow to load). A chart with no
    picture keeps its figure."""
    from kccperf.chart_images import render_charts

    matches = list(CHART.finditer(html))
    if not matches:
        return html, {}
    figures = [json.loads(m["json"]) for m in matches]
    images = render_charts(figures, "svg", width_mm=PRINT_TEXT_WIDTH_MM)
    parts: list[str] = []
    pictures: dict[str, bytes] = {}
    end = 0
    for match, image in zip(matches, images, strict=True):
        if image is None:
            continue
        address = f"/_charts/{len(pictures)}.svg"
        pictures[address] = image.data
        parts.append(html[end : match.start()])
        parts.append(
            f'<div class="chart-plot chart-picture" id="{match["id"]}"{match["attrs"]}>'
            f'<img class="chart-image" src="{address}" alt=""'
            f' width="{image.width}" height="{image.height}"></div>'
        )
        end = match.end()
    parts.append(html[end:])
    return "".join(parts), pictures


def html_to_pdf(html: str) -> bytes:
    """The page printed to an A4 PDF, its charts as pictures. Printing runs in a thread of
    its own: Playwright's synchronous API refuses to start inside a thread that runs an
    event loop (ASGI, Playwright tests)."""
    executable = chromium_path()
    if not executable:
        raise PdfUnavailable("Chromium is not installed (apt-get install -y chromium)")
    html, pictures = with_chart_pictures(html)
    # With every chart a picture the page needs no script: the running header goes in as a
    # style (this browser applies no Content-Security-Policy) and JavaScript stays off, which
    # spares the 10x QPR's load the scripts' measuring of hundreds of tables.
    scripts = CHART.search(html) is not None
    if not scripts:
        html = _with_print_header(html)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, html, pictures, executable, scripts).result()


def _with_print_header(html: str) -> str:
    """The body's running header (data-print-header) as the --print-header CSS string that
    static/js/kccperf.js sets when scripts run."""
    found = PRINT_HEADER.search(html)
    if not found:
        return html
    text = " ".join(html_lib.unescape(found["text"]).split())
    quoted = '"' + re.sub(r'[\\"]', lambda m: "\\" + m[0], text).replace("<", "\\3c ") + '"'
    style = f"<style>:root {{ --print-header: {quoted}; }}</style>"
    return html.replace("</head>", f"{style}</head>", 1)


def _static_file(path: str) -> Path | None:
    """The file a ``/static/...`` address names, from the collected files or the finders."""
    name = path.removeprefix("/" + settings.STATIC_URL.lstrip("/"))
    if ".." in name.split("/"):
        return None
    try:
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except NotImplementedError:  # a storage without local files
        pass
    found = finders.find(name)
    return Path(found) if isinstance(found, str) else None


def _answer(html: str, pictures: dict[str, bytes], route) -> None:
    from urllib.parse import urlsplit

    url = urlsplit(route.request.url)
    if f"{url.scheme}://{url.netloc}" != ORIGIN:
        route.abort()
        return
    if url.path == "/":
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        return
    if url.path in pictures:
        route.fulfill(status=200, content_type="image/svg+xml", body=pictures[url.path])
        return
    file = _static_file(url.path)
    if file is None or not file.is_file():
        logger.warning("Printing to PDF: no file for %s", url.path)
        route.fulfill(status=404, body="")
        return
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    route.fulfill(status=200, content_type=content_type, body=file.read_bytes())


def _print(html: str, pictures: dict[str, bytes], executable: str, scripts: bool) -> bytes:
    from playwright.sync_api import TimeoutError as BrowserTimeout

    try:
        return _print_in_browser(html, pictures, executable, scripts)
    except BrowserTimeout as exc:
        # A piece not laid out within the limit (a machine far too busy, or a document with
        # no marks to cut it at): say so rather than fail with a server error.
        raise PdfUnavailable(
            f"the browser did not finish laying out this document within "
            f"{TIMEOUT_MS // 1000} seconds (it is too long to print)"
        ) from exc


def _print_in_browser(
    html: str, pictures: dict[str, bytes], executable: str, scripts: bool
) -> bytes:
    from playwright.sync_api import sync_playwright

    html = html.replace("</head>", f"{pdf_pieces.NO_PAGE_NUMBER}</head>", 1)
    pieces = pdf_pieces.split(html)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": PRINT_WIDTH_PX, "height": 1100}, java_script_enabled=scripts
            )
            printed = [_print_piece(context, piece.html, pictures, scripts) for piece in pieces]
        finally:
            browser.close()
    return pdf_pieces.join(printed, pieces)


def _print_piece(context, html: str, pictures: dict[str, bytes], scripts: bool) -> bytes:
    """One piece of the document printed, in a page of its own (closed after)."""
    page = context.new_page()
    try:
        page.set_default_timeout(TIMEOUT_MS)
        page.route("**/*", lambda route: _answer(html, pictures, route))
        page.emulate_media(media="print")
        page.goto(f"{ORIGIN}/", wait_until="load")
        if scripts:
            # Draw every chart left now (on screen, charts draw as they are scrolled to).
            page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
            page.wait_for_function(CHARTS_DRAWN, polling=100)
        return page.pdf(
            format="A4",
            prefer_css_page_size=True,
            print_background=True,
            tagged=True,
            outline=True,
        )
    finally:
        page.close()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def page_pdf(
    request, template: str, context: dict, filename: str, cache_key: str | None = None
) -> HttpResponse:
    """The page ``template`` renders, printed to PDF. ``cache_key``: the file is made once and
    kept (for what never changes, e.g. a published report version). Without Chromium: 503
    with a message saying to print the page instead."""

    def make() -> bytes:
        return html_to_pdf(render_to_string(template, context, request=request))

    try:
        content = make() if cache_key is None else cache.get_or_set(cache_key, make, None)
        assert isinstance(content, bytes)
    except PdfUnavailable as exc:
        return HttpResponse(
            f"The PDF cannot be made on this server: {exc}. Print the page instead.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    return pdf_response(content, filename)
