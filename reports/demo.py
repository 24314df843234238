"""Demo supporting tables of the Q2 2019/20 QPR (fixtures/reports_demo.json)."""

from __future__ import annotations

from kccperf.demo import read_fixture
from kccperf.models import Directorate
from kccperf.periods import Quarter
from reports.formatting import parse_cell
from reports.services import CellValue, TableData, save_table


def table_data(item: dict, directorates: dict[str, Directorate]) -> TableData:
    data = TableData(
        slug=item["slug"],
        quarter=Quarter.parse(item["quarter"]),
        title=item["title"],
        directorate=directorates[item["directorate"]] if item.get("directorate") else None,
        footnote=item.get("footnote", ""),
        row_header=item.get("row_header", ""),
        empty_text=item.get("empty_text", "–"),
        order=item.get("order", 0),
        rows=[{"label": r["label"], "group": r.get("group", "")} for r in item["rows"]],
        columns=[{"label": c["label"], "group": c.get("group", "")} for c in item["columns"]],
    )
    for r, row in enumerate(item["rows"]):
        for c, text in enumerate(row["values"]):
            if text is not None:
                data.cells[(r, c)] = CellValue(*parse_cell(text))
    return data


def load(password: str) -> None:
    directorates = {d.slug: d for d in Directorate.objects.all()}
    for item in read_fixture("reports_demo.json")["tables"]:
        save_table(table_data(item, directorates))
