"""Turn a report's plain data (a draft or a published snapshot) into what the templates
and the Word file need: charts (built by the KPI app's pure chart builders from the
stored series) and table layouts."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from kccperf.periods import Quarter
from kpis import charts
from kpis.formatting import format_value
from kpis.models import Unit
from reports import charts as report_charts
from reports.layout import table_layout


def _decimal(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def unit_label(unit: str) -> str:
    try:
        return Unit(unit).label
    except ValueError:
        return unit


def kpi_points(kpi: dict) -> list[charts.KpiPoint]:
    quarters = [Quarter.parse(p["quarter"]) for p in kpi["series"]]
    values = {
        q: (_decimal(p["value"]), False)
        for q, p in zip(quarters, kpi["series"], strict=True)
        if p["value"] is not None
    }
    targets = {
        q: (_decimal(p["target"]), _decimal(p["floor"])) if p["target"] is not None else None
        for q, p in zip(quarters, kpi["series"], strict=True)
    }
    return charts.kpi_series(
        quarters, values, targets, kpi["higher_is_better"], kpi["decimal_places"]
    )


def kpi_chart(kpi: dict) -> dict:
    points = kpi_points(kpi)

    def fmt(value):
        return format_value(value, kpi["unit"], kpi["decimal_places"])

    return report_charts.chart(
        f"kpi-{kpi['code'].lower()}",
        f"{kpi['code']}: {kpi['title']}",
        report_charts.kpi_figure(points, unit_label(kpi["unit"])),
        charts.kpi_table(points, fmt, f"{kpi['code']} results by quarter"),
    )


def kpi_table_only(kpi: dict) -> dict:
    points = kpi_points(kpi)
    return charts.kpi_table(
        points,
        lambda v: format_value(v, kpi["unit"], kpi["decimal_places"]),
        f"{kpi['code']} results by quarter",
    )


def indicator_points(indicator: dict) -> list[charts.IndicatorPoint]:
    return [
        charts.IndicatorPoint(
            p["label"],
            _decimal(p["value"]),
            _decimal(p["lower"]),
            _decimal(p["upper"]),
            _decimal(p["benchmark"]),
        )
        for p in indicator["points"]
    ]


def indicator_table_only(indicator: dict) -> dict:
    return charts.indicator_table(
        indicator_points(indicator),
        lambda v: format_value(v, indicator["unit"], indicator["places"]),
        f"{indicator['title']}: values and expected range",
    )


def indicator_chart(indicator: dict) -> dict:
    points = indicator_points(indicator)
    return report_charts.chart(
        f"indicator-{indicator['slug']}",
        indicator["title"],
        report_charts.indicator_figure(points, indicator["unit_label"]),
        indicator_table_only(indicator),
    )


def _with_html(chart: dict) -> dict:
    return {**chart, "table_html": table_html(chart["table"])}


def decorate_qpr(data: dict, *, with_charts: bool = True) -> dict:
    """A copy of the QPR data with charts and table layouts for the templates."""
    sections = []
    for section in data["directorates"]:
        sections.append(
            {
                **section,
                "kpis": [
                    {**k, "chart": _with_html(kpi_chart(k)) if with_charts else None}
                    for k in section["kpis"]
                ],
                "indicators": [
                    {**i, "chart": _with_html(indicator_chart(i)) if with_charts else None}
                    for i in section["indicators"]
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
