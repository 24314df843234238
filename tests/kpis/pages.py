"""Reading the rendered KPI pages in tests."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape

ROW = re.compile(
    r'<tr[^>]*data-code="(?P<code>[^"]+)"[^>]*data-rag="(?P<rag>[^"]+)"'
    r'[^>]*data-direction="(?P<direction>[^"]+)"'
)
BOX = re.compile(
    r'<article class="kpi-box[^"]*"[^>]*data-code="(?P<code>[^"]+)">(?P<body>.*?)</article>', re.S
)
BADGE = re.compile(r'<span class="badge rag-(?P<rag>green|amber|red|none)">(?P<word>[^<]+)</span>')
DIRECTION_WORD = re.compile(r'<span class="dot-word">(?P<word>[^<]+)</span>')


def scorecard_rows(html: str) -> dict[str, dict[str, str]]:
    return {m["code"]: {"rag": m["rag"], "direction": m["direction"]} for m in ROW.finditer(html)}


def badge_words(html: str) -> Counter:
    return Counter(m["word"] for m in BADGE.finditer(html))


def kpi_boxes(html: str) -> dict[str, dict[str, str]]:
    """code -> the RAG word and direction word printed in the KPI's box."""
    boxes = {}
    for m in BOX.finditer(html):
        badge = BADGE.search(m["body"])
        direction = DIRECTION_WORD.search(m["body"])
        boxes[m["code"]] = {
            "rag": badge["word"] if badge else "",
            "direction": direction["word"] if direction else "",
        }
    return boxes


def text(html: str) -> str:
    """The page's text with tags removed and whitespace collapsed."""
    html = re.sub(r"<script[^>]*>.*?</script>", " ", html, flags=re.S)
    html = re.sub(r"</(td|th|tr|dt|dd|li|p|h\d|caption|div|summary)>", " ", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))
