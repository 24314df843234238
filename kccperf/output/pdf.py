"""The one PDF writer: a page's own HTML printed by Chromium (Debian's ``chromium``, driven
by Playwright) on A4, with the page's print stylesheet (static/css/print.css: running
header, page numbers, landscape sections), tagged and with an outline from the headings.

Why Chromium and not WeasyPrint: the charts are drawn by plotly.js, so only a browser prints
them from the same HTML (WeasyPrint runs no JavaScript: every chart would need a server-drawn
picture first); Chromium also prints the page exactly as a person's own browser does (the
same print stylesheet, checked by the same browser tests), tags the PDF (``tagged=True``)
and makes the outline from the headings (``outline=True``); WeasyPrint needs pango system
libraries and took minutes for a report of this size where Chromium takes seconds.

The page is loaded from an address that does not exist (``ORIGIN``): every request the
browser makes is answered here, the page itself from memory, ``/static/`` files from the
static files storage (or the finders, in development), everything else refused. So
printing needs no web server, no sign-in and no network, and cannot reach anything else.
The browser is started for each file (about half a second) and closed: a PDF is asked for
rarely, and published versions' files are cached (``reports.views``).
"""

from __future__ import annotations

import logging
import mimetypes
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/pdf"
ORIGIN = "http://kccperf.print"
# The printed text width (A4, 210 mm, less print.css's 15 mm margins) in CSS pixels: the
# window is this wide, so the page is laid out (and its charts drawn) as it prints.
PRINT_WIDTH_PX = round((210 - 2 * 15) / 25.4 * 96)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Every chart drawn (static/js/charts.js marks each with data-drawn once plotly has drawn it).
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('.chart-plot'))
    .every((el) => el.querySelector('.main-svg'))"""
# Generous: the 10x QPR has 760 charts.
TIMEOUT_MS = 300_000


class PdfUnavailable(RuntimeError):
    """No browser to print with (``chromium`` is not installed)."""


def chromium_path() -> str | None:
    return getattr(settings, "KCCPERF_CHROMIUM", None) or shutil.which("chromium")


def html_to_pdf(html: str) -> bytes:
    """The page printed to an A4 PDF. Runs in a thread of its own: Playwright's synchronous
    API refuses to start inside a thread that runs an event loop (ASGI, Playwright tests)."""
    executable = chromium_path()
    if not executable:
        raise PdfUnavailable("Chromium is not installed (apt-get install -y chromium)")
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, html, executable).result()


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


def _answer(html: str, route) -> None:
    from urllib.parse import urlsplit

    url = urlsplit(route.request.url)
    if f"{url.scheme}://{url.netloc}" != ORIGIN:
        route.abort()
        return
    if url.path == "/":
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        return
    file = _static_file(url.path)
    if file is None or not file.is_file():
        logger.warning("Printing to PDF: no file for %s", url.path)
        route.fulfill(status=404, body="")
        return
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    route.fulfill(status=200, content_type=content_type, body=file.read_bytes())


def _print(html: str, executable: str) -> bytes:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": PRINT_WIDTH_PX, "height": 1100})
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.route("**/*", lambda route: _answer(html, route))
            page.emulate_media(media="print")
            page.goto(f"{ORIGIN}/", wait_until="load")
            # Draw every chart now (on screen they are drawn as they are scrolled to).
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
            browser.close()


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
