"""Header and body layout of a supporting table (groups over rows and columns), from the
table's plain data (``ReportTable.as_data()`` or a snapshot): used by pages and Word files."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class HeaderCell:
    text: str
    scope: str  # "col" or "colgroup"
    colspan: int = 1
    rowspan: int = 1


@dataclass
class BodyGroup:
    label: str
    rows: list[dict] = field(default_factory=list)


@dataclass
class TableLayout:
    title: str
    row_header: str
    header_rows: list[list[HeaderCell]]
    groups: list[BodyGroup]
    footnote: str
    width: int


def table_layout(data: dict) -> TableLayout:
    columns = data["columns"]
    grouped = any(c.get("group") for c in columns)
    depth = 2 if grouped else 1
    first = [HeaderCell(data.get("row_header") or "", "col", rowspan=depth)]
    second: list[HeaderCell] = []
    index = 0
    while index < len(columns):
        group = columns[index].get("group", "")
        if not group:
            first.append(HeaderCell(columns[index]["label"], "col", rowspan=depth))
            index += 1
            continue
        run = 0
        while index + run < len(columns) and columns[index + run].get("group", "") == group:
            second.append(HeaderCell(columns[index + run]["label"], "col"))
            run += 1
        first.append(HeaderCell(group, "colgroup", colspan=run))
        index += run
    groups: list[BodyGroup] = []
    for row in data["rows"]:
        label = row.get("group", "")
        if not groups or groups[-1].label != label:
            groups.append(BodyGroup(label))
        groups[-1].rows.append(row)
    return TableLayout(
        title=data["title"],
        row_header=data.get("row_header") or "",
        header_rows=[first, second] if grouped else [first],
        groups=groups,
        footnote=data.get("footnote", ""),
        width=len(columns) + 1,
    )
