"""Turn a report's plain data (a draft or a published snapshot) into what the templates
and the Word file need: charts (drawn by ``kpis.reporting`` from the stored series, in the
KPI pages' encoding) and table layouts."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from kpis.reporting import indicator_chart, kpi_chart
from reports.layout import table_layout


def _with_html(chart: dict) -> dict:
    return {**chart, "table_html": table_html(chart["table"])}


def decorate_kpi(kpi: dict, *, with_chart: bool = True) -> dict:
    """A copy of a KPI of the QPR data with its chart (one item of a page of the report)."""
    return {**kpi, "chart": _with_html(kpi_chart(kpi)) if with_chart else None}


def decorate_indicator(indicator: dict, *, with_chart: bool = True) -> dict:
    """A copy of an activity indicator of the QPR data with its chart."""
    return {**indicator, "chart": _with_html(indicator_chart(indicator)) if with_chart else None}


def decorate_qpr(data: dict, *, with_charts: bool = True) -> dict:
    """A copy of the whole QPR data with charts and table layouts for the templates (the
    exports; the screen shows it in parts, :mod:`reports.qpr_parts`)."""
    sections = []
    for section in data["directorates"]:
        sections.append(
            {
                **section,
                "kpis": [decorate_kpi(k, with_chart=with_charts) for k in section["kpis"]],
                "indicators": [
                    decorate_indicator(i, with_chart=with_charts) for i in section["indicators"]
                ],
                "table_layouts": [table_layout(t) for t in section["tables"]],
            }
        )
    return {
        **data,
        "directorates": sections,
        "council_table_layouts": [table_layout(t) for t in data.get("council_tables", [])],
    }


def table_html(table: dict) -> SafeString:
    """A chart's data table as HTML, built in Python: a 10× QPR has hundreds of these and
    the template engine spends seconds on their cells (same markup as includes/_chart.html).
    """
    head = "".join(f'<th scope="col">{escape(str(h))}</th>' for h in table["headers"])
    body = []
    for row in table["rows"]:
        cells = [f'<th scope="row">{escape(str(row[0]))}</th>'] if row else []
        cells += [f"<td>{escape(str(cell))}</td>" for cell in row[1:]]
        body.append(f"<tr>{''.join(cells)}</tr>")
    caption = escape(str(table.get("caption", "")))
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<table class="table"><caption class="visually-hidden">{caption}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
