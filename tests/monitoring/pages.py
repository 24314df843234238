"""Reading the rendered dashboard pages in tests (lxml with XPath)."""

from __future__ import annotations

import lxml.html


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def figure_rows(html: str) -> dict[str, dict[str, str]]:
    """key -> its row in the section tables: label, value, base, previous, change."""
    doc = lxml.html.fromstring(html)
    rows = {}
    for tr in doc.xpath(f"//table[{_has_class('figure-table')}]//tr[@data-key]"):
        cells = [_text(c) for c in tr.xpath("./th|./td")]
        rows[tr.get("data-key")] = dict(
            zip(("label", "value", "base", "previous", "change"), cells, strict=True)
        )
    return rows


def overview_cards(html: str) -> dict[str, dict[str, str]]:
    """key -> the value, label and comparison printed on its overview card."""
    doc = lxml.html.fromstring(html)
    cards = {}
    for li in doc.xpath(f"//li[{_has_class('figure')}][@data-key]"):
        previous = li.xpath(f".//*[{_has_class('figure-previous')}]")
        cards.setdefault(
            li.get("data-key"),
            {
                "value": _text(li.xpath(f".//*[{_has_class('figure-value')}]")[0]),
                "label": _text(li.xpath(f".//*[{_has_class('figure-label')}]")[0]),
                "change": _text(previous[0]) if previous else "",
            },
        )
    return cards


def table_rows(html: str, table_id: str) -> list[list[str]]:
    doc = lxml.html.fromstring(html)
    return [
        [_text(c) for c in tr.xpath("./th|./td")]
        for tr in doc.xpath(f"//table[@id='{table_id}']/tbody/tr")
    ]


def summary_rows(html: str) -> dict[str, list[str]]:
    """Activity reference -> the cells of its row in the per-activity summary table."""
    doc = lxml.html.fromstring(html)
    return {
        tr.get("data-activity"): [_text(td) for td in tr.xpath("./td")]
        for tr in doc.xpath(f"//table[{_has_class('summary-table')}]/tbody/tr[@data-activity]")
    }


def text_of(html: str, xpath: str) -> str:
    doc = lxml.html.fromstring(html)
    return " ".join(_text(e) for e in doc.xpath(xpath))
