"""Plotly figures of the report's KPI and indicator charts as plain dicts.

The same encoding as ``kpis.charts.kpi_figure`` / ``indicator_figure`` (and their colours,
marker shapes and layout), without plotly.py's figure validation: a QPR draws a chart for
every KPI and activity indicator (hundreds at ten times the council's size), and building
each through ``go.Figure`` costs tens of milliseconds. The tables beside the charts still
come from ``kpis.charts`` and the same points.
"""

from __future__ import annotations

from decimal import Decimal

from kccperf.charts import STATIC_CONFIG, chart_context
from kpis.charts import FLAG_STYLE, LAYOUT, RAG_STYLE, IndicatorPoint, KpiPoint
from kpis.scoring import Flag, Rag

# The chart sits in a role="img" element, which must not hold controls (axe
# nested-interactive): no hover, no mode bar; the table beside it has the exact numbers.


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _layout(value_title: str) -> dict:
    layout = {key: value for key, value in LAYOUT.items() if key != "template"}
    layout["yaxis"] = {
        "title": {"text": value_title},
        "gridcolor": "#e8e8e8",
        "zeroline": False,
    }
    layout["xaxis"] = {"type": "category", "showgrid": False}
    return layout


def kpi_figure(points: list[KpiPoint], value_title: str) -> dict:
    labels = [p.label for p in points]
    data: list[dict] = [
        {
            "type": "scatter",
            "x": labels,
            "y": [_float(p.value) for p in points],
            "mode": "lines",
            "name": "Result",
            "line": {"color": "#0b0c0c", "width": 2},
            "hoverinfo": "skip",
            "showlegend": False,
        }
    ]
    for rag in (Rag.GREEN, Rag.AMBER, Rag.RED):
        chosen = [p for p in points if p.rag == rag and p.value is not None]
        if chosen:
            colour, symbol = RAG_STYLE[rag]
            data.append(
                {
                    "type": "scatter",
                    "x": [p.label for p in chosen],
                    "y": [_float(p.value) for p in chosen],
                    "mode": "markers",
                    "name": f"Result: {rag.label}",
                    "marker": {"color": colour, "symbol": symbol, "size": 12, "line": {"width": 1}},
                }
            )
    data.append(
        {
            "type": "scatter",
            "x": labels,
            "y": [_float(p.target) for p in points],
            "mode": "lines",
            "name": "Target",
            "line": {"color": "#00703c", "dash": "dash", "shape": "hv"},
        }
    )
    if any(p.floor is not None for p in points):
        data.append(
            {
                "type": "scatter",
                "x": labels,
                "y": [_float(p.floor) for p in points],
                "mode": "lines",
                "name": "Floor standard",
                "line": {"color": "#942514", "dash": "dot", "shape": "hv"},
            }
        )
    return {"data": data, "layout": _layout(value_title), "config": STATIC_CONFIG}


def indicator_figure(points: list[IndicatorPoint], value_title: str) -> dict:
    labels = [p.label for p in points]
    data: list[dict] = []
    if any(p.upper is not None or p.lower is not None for p in points):
        data.append(
            {
                "type": "scatter",
                "x": labels,
                "y": [_float(p.upper) for p in points],
                "mode": "lines",
                "name": "Upper expected",
                "line": {"color": "#b1b4b6", "width": 1},
                "showlegend": False,
            }
        )
        data.append(
            {
                "type": "scatter",
                "x": labels,
                "y": [_float(p.lower) for p in points],
                "mode": "lines",
                "name": "Expected range",
                "line": {"color": "#b1b4b6", "width": 1},
                "fill": "tonexty",
                "fillcolor": "rgba(29, 112, 184, 0.15)",
            }
        )
    if any(p.benchmark is not None for p in points):
        data.append(
            {
                "type": "scatter",
                "x": labels,
                "y": [_float(p.benchmark) for p in points],
                "mode": "lines",
                "name": "National benchmark",
                "line": {"color": "#4c2c92", "dash": "dash"},
            }
        )
    data.append(
        {
            "type": "scatter",
            "x": labels,
            "y": [_float(p.value) for p in points],
            "mode": "lines+markers",
            "name": "Value",
            "line": {"color": "#0b0c0c", "width": 2},
            "marker": {"size": 7},
        }
    )
    for flag in (Flag.ABOVE, Flag.BELOW):
        chosen = [p for p in points if p.flag == flag]
        if chosen:
            colour, symbol = FLAG_STYLE[flag]
            data.append(
                {
                    "type": "scatter",
                    "x": [p.label for p in chosen],
                    "y": [_float(p.value) for p in chosen],
                    "mode": "markers",
                    "name": flag.label,
                    "marker": {"color": colour, "symbol": symbol, "size": 14, "line": {"width": 1}},
                }
            )
    return {"data": data, "layout": _layout(value_title), "config": STATIC_CONFIG}


def chart(chart_id: str, title: str, figure, table: dict) -> dict:
    """The context ``includes/_chart.html`` expects (see kccperf.charts)."""
    return chart_context(chart_id, title, figure, table)
