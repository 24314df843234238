"""Find every page a person can reach, by following links from home with the test client.

Discovery is generic (no list of URLs to keep up to date): a page another engineer adds is
walked as soon as something links to it. Pages are grouped by the view they resolve to and
the first URL of each view is kept (whatever its query), so that
sorting links or 100 risk pages do not make the browser walk slow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# Links that are not pages: signing out, downloads and exports.
SKIP_QUERY_KEYS = {"_export", "format", "download"}
SKIP_SUFFIXES = (".csv", ".xlsx", ".docx", ".pdf", ".json", ".zip")
SKIP_VIEW_NAMES = {"logout", "switch-period"}
ADMIN_PREFIX = "/admin/"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


@dataclass
class Walk:
    pages: list[str] = field(default_factory=list)
    groups: dict[tuple[str, tuple[str, ...]], int] = field(default_factory=dict)


def _normalise(href: str, base_path: str) -> str | None:
    href, _ = urldefrag(href)
    if not href:
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None  # other sites (and mailto:)
    path = parts.path
    if not path.startswith("/"):
        path = base_path.rsplit("/", 1)[0] + "/" + path if path else base_path
    if path.endswith(SKIP_SUFFIXES) or path.startswith("/static/"):
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    if path.startswith(ADMIN_PREFIX):
        # Django's own admin: each of its pages once, not every filter and sort order.
        query = []
    if any(k in SKIP_QUERY_KEYS for k, _ in query):
        return None
    return f"{path}?{urlencode(query)}" if query else path


def download_target(href: str, base_path: str) -> str | None:
    """The URL of a link to a download (an ``?_export=`` or a file name ending .csv, .xlsx,
    ...), made absolute against the page's path; None for any other link."""
    href, _ = urldefrag(href)
    parts = urlsplit(href)
    if not href or parts.scheme or parts.netloc:
        return None
    path = parts.path
    if not path.startswith("/"):
        path = base_path.rsplit("/", 1)[0] + "/" + path if path else base_path
    keys = {k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if not (path.endswith(SKIP_SUFFIXES) or keys & SKIP_QUERY_KEYS):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def discover(
    client: Client,
    start: Iterable[str] = ("/",),
    *,
    per_group: int = 1,
    limit: int = 400,
    skip_prefixes: tuple[str, ...] = (),
    downloads: set[str] | None = None,
) -> list[str]:
    """The HTML pages reachable from ``start`` for the client's signed-in user; with
    ``downloads``, the download links found on those pages are added to it."""
    seen: set[str] = set()
    queue = list(start)
    walk = Walk()
    while queue and len(walk.pages) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith(skip_prefixes):
            continue
        seen.add(url)
        path, _, query = url.partition("?")
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.url_name in SKIP_VIEW_NAMES:
            continue
        # Sorting and filtering a page re-render the same template: its first URL stands for all.
        key = (match.view_name, ())
        if walk.groups.get(key, 0) >= per_group:
            continue
        response = client.get(url)
        if response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
            queue.insert(0, response["Location"])
            continue
        if downloads is not None and response.get("Content-Disposition", "").startswith(
            "attachment"
        ):
            downloads.add(url)  # a download at an address that does not look like one
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        walk.groups[key] = walk.groups.get(key, 0) + 1
        walk.pages.append(url)
        for href in links_in(response.content.decode()):
            if downloads is not None and (download := download_target(href, path)):
                downloads.add(download)
            target = _normalise(href, path)
            if target and target not in seen:
                queue.append(target)
    return walk.pages
