"""Whole pages kept per person, with holes for what must be new on every response.

A page whose figures come from the figure cache still spent two thirds of its time on the
layout around them: the navigation, the period switcher, the account bar, the breadcrumbs
(four times the trivial signed-in view's time for an outcome dashboard). For the pages read
most (dashboards, KPI scorecards) :func:`per_person` keeps the page as rendered for one
person, URL and quarter, under the versions of every app's data (the layout reads the
quarters, the person's roles, the collecting quarter's counts), today's date and the
counting basis (:func:`kccperf.figure_cache.cache_key`): a write anywhere is on the very next
request, as with the cached figures.

What must differ on every response is rendered as a hole and filled per request: the
CSRF token (masked afresh on every response, Django's BREACH mitigation) and the
Content-Security-Policy nonce (``{{ csp_nonce }}``, :func:`context`). A request with a
message waiting (rendered once, then gone) is not served from nor kept in the cache.

Each process keeps its own pages, the most recently used first, up to :data:`MAX_CHARACTERS`
in all: pages are per person, and a miss costs only the layout (the figures stay in the
shared figure cache).
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from kccperf import figure_cache
from kccperf.page_period import page_quarter

# Per process, so nothing typed into a page can be made to match them in advance.
CSRF_HOLE = f"kccperf-csrf-{secrets.token_hex(12)}"
NONCE_HOLE = f"kccperf-nonce-{secrets.token_hex(12)}"
_RENDERING_WITH_HOLES = "_kccperf_page_holes"

MAX_CHARACTERS = 48 * 1024 * 1024
MAX_PAGE_CHARACTERS = 2 * 1024 * 1024
_pages: OrderedDict[str, str] = OrderedDict()
_size = 0
_lock = threading.Lock()

View = Callable[..., HttpResponse]


def context(request: HttpRequest) -> dict[str, Any]:
    """The CSP nonce for the layout's ``<style>`` elements and, while a page is rendered for
    the cache, the holes in place of the nonce and the CSRF token (this context processor
    comes after Django's own ``csrf``, so its ``csrf_token`` wins)."""
    if getattr(request, _RENDERING_WITH_HOLES, False):
        return {"csrf_token": CSRF_HOLE, "csp_nonce": NONCE_HOLE}
    return {"csp_nonce": getattr(request, "csp_nonce", "")}


def per_person(view: View) -> View:
    """Serve ``view``'s page from the cache when the same person asked for the same URL and
    quarter with the same data. Only for GET pages whose response is their HTML alone (no
    headers of their own); an export, an error or a redirect passes through, not kept."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = _key(request, view)
        if key is None:
            return view(request, *args, **kwargs)
        page = _get(key)
        if page is not None:
            return HttpResponse(_filled(request, page))
        setattr(request, _RENDERING_WITH_HOLES, True)
        try:
            response = view(request, *args, **kwargs)
        finally:
            delattr(request, _RENDERING_WITH_HOLES)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        page = response.content.decode(response.charset)
        if response.status_code == 200 and not response.has_header("Content-Disposition"):
            _put(key, page)
        response.content = _filled(request, page)
        return response

    return wrapper


def _key(request: HttpRequest, view: View) -> str | None:
    user = getattr(request, "user", None)
    if (
        request.method != "GET"
        or not figure_cache.read_once()
        or user is None
        or not user.is_authenticated
        or len(get_messages(request))
    ):
        return None
    parts = (
        view.__module__,
        view.__qualname__,
        request.get_full_path(),
        user.pk,
        page_quarter(request).slug,
    )
    return figure_cache.cache_key("page", parts, figure_cache.SCOPES)


def _filled(request: HttpRequest, page: str) -> str:
    """The page with this response's nonce and masked CSRF token in its holes."""
    page = page.replace(NONCE_HOLE, str(getattr(request, "csp_nonce", "")))
    if CSRF_HOLE in page:
        page = page.replace(CSRF_HOLE, get_token(request))
    return page


def _get(key: str) -> str | None:
    with _lock:
        page = _pages.get(key)
        if page is not None:
            _pages.move_to_end(key)
        return page


def _put(key: str, page: str) -> None:
    global _size
    if len(page) > MAX_PAGE_CHARACTERS:
        return
    with _lock:
        old = _pages.pop(key, None)
        _size -= len(old) if old is not None else 0
        _pages[key] = page
        _size += len(page)
        while _size > MAX_CHARACTERS and _pages:
            _size -= len(_pages.popitem(last=False)[1])


def clear() -> None:
    """Forget every kept page (tests)."""
    global _size
    with _lock:
        _pages.clear()
        _size = 0
