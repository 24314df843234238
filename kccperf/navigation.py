"""The header's role-aware navigation.

An item shows when its URL exists (apps add pages as they land) and the person holds one
of its permissions (``None``: everybody who is logged in).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    any_perm: tuple[str, ...] | None


NAV_ITEMS = (
    NavItem("Home", "home", None),
    NavItem(
        "SDP returns", "monitoring:my-returns", ("monitoring.submit_return", "kccperf.load_data")
    ),
    NavItem("Awaiting my sign-off", "monitoring:sign-off-list", ("monitoring.sign_off_return",)),
    NavItem("Outcome dashboards", "monitoring:dashboard-index", ("kccperf.view_all",)),
    NavItem("KPI scorecards", "kpis:scorecard", ("kccperf.view_all",)),
    NavItem("Risk register", "risks:register", ("kccperf.view_all", "risks.view_risk")),
    NavItem("Reports", "reports:index", ("kccperf.view_all",)),
    NavItem("Load data", "load-data", ("kccperf.load_data", "risks.change_risk")),
    NavItem("Change log", "audit:change-log", ("audit.view_change_log",)),
)


@lru_cache(maxsize=256)
def _reversed(url_name: str, urlconf: str, script_prefix: str) -> str | None:
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def page_url(url_name: str) -> str | None:
    """``reverse(url_name)`` of a URL without arguments (None if it does not exist), worked
    out once per URL configuration and script prefix: every page's header and breadcrumbs
    name the same dozen URLs."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(url_name, urlconf, get_script_prefix())


def nav_for(user: Any, path: str = "") -> list[dict[str, Any]]:
    """Visible items; ``current`` marks the one whose URL is the longest prefix of ``path``."""
    if not user.is_authenticated:
        return []
    items: list[dict[str, Any]] = []
    for item in NAV_ITEMS:
        if item.any_perm is not None and not any(user.has_perm(p) for p in item.any_perm):
            continue
        url = page_url(item.url_name)
        if url is None:
            continue
        items.append({"label": item.label, "url": url, "current": False})
    matches = [
        i for i in items if path == i["url"] or (i["url"] != "/" and path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["current"] = True
    return items


Crumb = tuple[str, str | None]


def breadcrumbs(*trail: Crumb | str) -> list[dict[str, str | None]]:
    """The base layout's breadcrumb trail: Home, then ``trail``; a ``(label, url)`` links, a
    bare label (or a ``None`` url) is the current page."""
    crumbs: list[dict[str, str | None]] = [{"label": "Home", "url": page_url("home")}]
    for item in trail:
        label, url = (item, None) if isinstance(item, str) else item
        crumbs.append({"label": label, "url": url})
    return crumbs
