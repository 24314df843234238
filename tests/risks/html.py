"""Reading rendered pages in tests: tables as lists of row texts."""

from __future__ import annotations

import re

from lxml import html


def tree(response):
    return html.fromstring(response.content.decode())


def text(node) -> str:
    return re.sub(r"\s+", " ", node.text_content()).strip()


def table_rows(response, table_id: str) -> list[list[str]]:
    """Body rows of ``<table id=table_id>``: each a list of its cells' texts (th and td)."""
    doc = tree(response)
    tables = doc.xpath(f'//table[@id="{table_id}"]')
    assert tables, f"no table #{table_id}"
    return [
        [text(cell) for cell in row.xpath("./th|./td")] for row in tables[0].xpath("./tbody/tr")
    ]
