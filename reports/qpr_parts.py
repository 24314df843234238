"""The QPR on screen, in parts: the front (contents, key, executive summary), one part per
directorate (paged), the council-wide tables and the risk overview.

The whole report grows with the council (14 MB of HTML at 50 times its size); a part does
not: a directorate's KPIs, activity indicators and supporting tables are one list shown
:data:`PAGE_SIZE` at a time. Each function here takes the report's plain data (a published
snapshot or a draft: :mod:`reports.builders`) and makes only what its part shows: the charts
of the items of one page, never the whole report's. The exports (Word, PDF) still hold the
whole report (``reports/_qpr_body.html``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from reports.layout import table_layout
from reports.rendering import decorate_indicator, decorate_kpi

# Items (KPIs, activity indicators, supporting tables) on a page of a directorate: a 10×
# page is ~100 kB of HTML with its charts' figures, whatever the council's size.
PAGE_SIZE = 25
FRONT = ""  # the front part has no ``?part=``
COUNCIL_TABLES = "council-tables"
RISKS = "risks"
# A directorate's items in the order they are shown, with the heading of each group.
GROUPS = (
    ("kpis", "Key performance indicators"),
    ("indicators", "Activity indicators"),
    ("tables", "Supporting tables"),
)
# What the page around the body shows of the report's data (its title, the outcome's name).
HEAD_FIELDS = ("title", "outcome")


def outline(data: dict) -> dict:
    """The report's parts with their sizes, and its heading fields: small (a few lines a
    directorate), kept per version and read by every part's request (the contents, the
    pager's count, whether a part exists)."""
    parts = [{"slug": FRONT, "label": "Key and executive summary", "kind": "front"}]
    for section in data["directorates"]:
        counts = {group: len(section[group]) for group, _ in GROUPS}
        parts.append(
            {
                "slug": section["slug"],
                "label": section["name"],
                "kind": "directorate",
                **counts,
                "items": sum(counts.values()),
            }
        )
    if data.get("council_tables"):
        parts.append({"slug": COUNCIL_TABLES, "label": "Council-wide tables", "kind": "council"})
    if data.get("risks"):
        parts.append({"slug": RISKS, "label": "Corporate risk register: overview", "kind": "risks"})
    return {"head": {k: data.get(k) for k in HEAD_FIELDS}, "parts": parts}


def find_part(parts: list[dict], slug: str) -> dict | None:
    return next((p for p in parts if p["slug"] == slug), None)


def page_of(part: dict, number: str | int | None) -> Page:
    """The page asked for of a directorate's items (a bad number: the nearest page; not a
    number: the first), from the outline's count alone: the items themselves are read only
    to render it."""
    try:
        number = max(int(str(number)), 1)
    except ValueError:
        number = 1
    return Paginator(range(part.get("items", 0)), PAGE_SIZE).get_page(number)


@dataclass(frozen=True)
class Links:
    """Addresses of the parts, keeping what the reader's address chose (``version=N`` or
    ``draft=1``; nothing for the latest version)."""

    path: str
    kept: tuple[tuple[str, str], ...] = ()

    def part(self, slug: str, page: int | None = None) -> str:
        query = [*self.kept]
        if slug:
            query.append(("part", slug))
        if page is not None and page > 1:
            query.append(("page", str(page)))
        return f"{self.path}?{urlencode(query)}" if query else self.path


def directorate_entries(section: dict, page: Page) -> list[dict]:
    """The items of ``page`` of a directorate, each made ready for the template (charts and
    table layouts of these items only), with a group's heading where the group starts on
    the page, marked continued when the group started on an earlier page."""
    if not page.paginator.count:
        return []
    start, end = page.start_index() - 1, page.end_index()
    entries = []
    offset = 0
    for group, heading in GROUPS:
        items = section[group]
        first, last = max(start - offset, 0), min(end - offset, len(items))
        for index in range(first, last):
            entries.append(
                {
                    "kind": group,
                    "item": _decorated(group, items[index]),
                    "heading": heading if index == first else "",
                    "continued": index == first and index > 0,
                }
            )
        offset += len(items)
    return entries


def _decorated(group: str, item: dict):
    if group == "kpis":
        return decorate_kpi(item)
    if group == "indicators":
        return decorate_indicator(item)
    return table_layout(item)


def pager(part: dict, page: Page, links: Links) -> dict | None:
    """The counts and links of a paged directorate (None when it fits on one page)."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None
    numbers = [
        {"number": n, "url": links.part(part["slug"], n) if isinstance(n, int) else ""}
        for n in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return {
        "page": page,
        "numbers": numbers,
        "previous": links.part(part["slug"], page.previous_page_number())
        if page.has_previous()
        else "",
        "next": links.part(part["slug"], page.next_page_number()) if page.has_next() else "",
    }


def render_part(
    data: dict,
    outline: dict,
    part: dict,
    page: Page,
    links: Links,
    *,
    is_draft: bool,
    can_publish: bool,
) -> SafeString:
    """The HTML of one part (one page of a directorate) with the contents and the links to
    the parts before and after it."""
    parts = outline["parts"]
    index = parts.index(part)
    context: dict = {
        "data": data,
        "part": part,
        "contents": [{**p, "url": links.part(p["slug"]), "current": p is part} for p in parts],
        "previous_part": {**parts[index - 1], "url": links.part(parts[index - 1]["slug"])}
        if index > 0
        else None,
        "next_part": {**parts[index + 1], "url": links.part(parts[index + 1]["slug"])}
        if index + 1 < len(parts)
        else None,
        "is_draft": is_draft,
        "can_publish": can_publish,
    }
    if part["kind"] == "directorate":
        section = next(s for s in data["directorates"] if s["slug"] == part["slug"])
        context |= {
            "section": section,
            "first_page": page.number == 1,
            "entries": directorate_entries(section, page),
            "pager": pager(part, page, links),
        }
    elif part["kind"] == "council":
        context["data"] = {
            **data,
            "council_table_layouts": [table_layout(t) for t in data["council_tables"]],
        }
    # A template's output, kept as SafeString (noqa: S308).
    return mark_safe(render_to_string("reports/_qpr_part.html", context))  # noqa: S308
