"""Pure builders of the KPI and activity-indicator charts and the tables of the same data.

Each ``*_series`` function turns model rows into plain points; ``*_figure`` draws a plotly
figure from the points and ``*_table`` makes the accessible table from the SAME points, so
the chart and its table cannot disagree.

The figures are plotly.js JSON as plain dicts, the one encoding of these charts for the KPI
pages and the reports (``kpis.reporting``): a QPR draws a chart for every KPI and activity
indicator (hundreds at ten times the council's size), and building each through plotly.py's
validated ``go.Figure`` costs tens of milliseconds against well under one for a dict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kccperf.charts import HOUSE_LAYOUT, SEPARATOR, STATIC_CONFIG, chart_context
from kccperf.periods import Quarter
from kpis.scoring import Flag, Rag, indicator_flag, rag_rating

# The portal's RAG colours (static/css/kccperf.css) and a distinct marker shape for each,
# so the rating never depends on colour alone.
RAG_STYLE: dict[Rag | None, tuple[str, str]] = {
    Rag.GREEN: ("#00703c", "circle"),
    Rag.AMBER: ("#b25e00", "diamond"),
    Rag.RED: ("#942514", "square"),
    None: ("#505a5f", "x"),
}
FLAG_STYLE: dict[Flag, tuple[str, str]] = {
    # Indicators have no target: above the expected range is not "bad", so not red.
    Flag.ABOVE: ("#4c2c92", "triangle-up"),
    Flag.BELOW: ("#1d70b8", "triangle-down"),
}
LAYOUT = {
    **HOUSE_LAYOUT,
    "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
    "height": 360,
    "legend": {"orientation": "h", "y": -0.2},
    "hovermode": "x unified",
}

Formatter = Callable[[Decimal | None], str]


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class KpiPoint:
    quarter: Quarter
    value: Decimal | None
    target: Decimal | None
    floor: Decimal | None
    rag: Rag | None
    provisional: bool = False

    @property
    def label(self) -> str:
        return self.quarter.label


def kpi_series(
    quarters: Iterable[Quarter],
    values: dict[Quarter, tuple[Decimal, bool]],
    targets: dict[Quarter, tuple[Decimal, Decimal | None] | None],
    higher_is_better: bool,
    decimal_places: int,
) -> list[KpiPoint]:
    """One point per quarter: its value (and provisional flag), the target and floor in
    force, and the RAG they give."""
    points = []
    for quarter in quarters:
        value, provisional = values.get(quarter, (None, False))
        target, floor = targets.get(quarter) or (None, None)
        rag = rag_rating(value, target, floor, higher_is_better, decimal_places)
        points.append(KpiPoint(quarter, value, target, floor, rag, provisional))
    return points


def _layout(value_title: str) -> dict:
    layout = dict(LAYOUT)
    layout["yaxis"] = {
        "title": {"text": value_title},
        "gridcolor": "#e8e8e8",
        "zeroline": False,
    }
    layout["xaxis"] = {"type": "category", "showgrid": False}
    return layout


def _line(
    name: str, labels: list[str], values: list[Decimal | None], line: dict, **extra: Any
) -> dict:
    """A line trace over the quarters' ``labels`` (None: a gap); ``extra``: other plotly keys."""
    trace = {
        "type": "scatter",
        "x": labels,
        "y": [_float(v) for v in values],
        "mode": "lines",
        "name": name,
        "line": line,
    }
    return {**trace, **extra}


def _markers(
    name: str, points: list[KpiPoint] | list[IndicatorPoint], style: tuple[str, str], *, size: int
) -> dict:
    """A legend entry of coloured, shaped markers (a RAG rating or an indicator flag): colour
    and shape, never colour alone; outlined in white to stand apart from the result line."""
    colour, symbol = style
    return {
        "type": "scatter",
        "x": [p.label for p in points],
        "y": [_float(p.value) for p in points],
        "mode": "markers",
        "name": name,
        "marker": {"color": colour, "symbol": symbol, "size": size, "line": SEPARATOR},
    }


def kpi_figure(points: list[KpiPoint], value_title: str) -> dict:
    """Values with RAG colour-and-shape markers, the target as a line and the floor dotted."""
    labels = [p.label for p in points]
    data: list[dict] = [
        _line(
            "Result",
            labels,
            [p.value for p in points],
            {"color": "#0b0c0c", "width": 2},
            hoverinfo="skip",
            showlegend=False,
        )
    ]
    for rag in (Rag.GREEN, Rag.AMBER, Rag.RED):
        chosen = [p for p in points if p.rag == rag and p.value is not None]
        if chosen:
            data.append(_markers(f"Result: {rag.label}", chosen, RAG_STYLE[rag], size=12))
    data.append(
        _line(
            "Target",
            labels,
            [p.target for p in points],
            {"color": "#00703c", "dash": "dash", "shape": "hv"},
        )
    )
    if any(p.floor is not None for p in points):
        data.append(
            _line(
                "Floor standard",
                labels,
                [p.floor for p in points],
                {"color": "#942514", "dash": "dot", "shape": "hv"},
            )
        )
    return {"data": data, "layout": _layout(value_title), "config": STATIC_CONFIG}


def kpi_table(points: list[KpiPoint], fmt: Formatter, caption: str) -> dict:
    return {
        "caption": caption,
        "headers": ["Quarter", "Result", "Target", "Floor standard", "RAG"],
        "rows": [
            [
                p.label + (" (provisional)" if p.provisional else ""),
                fmt(p.value),
                fmt(p.target),
                fmt(p.floor) if p.floor is not None else "–",  # no floor standard
                p.rag.label if p.rag else "No data",
            ]
            for p in points
        ],
    }


@dataclass(frozen=True)
class IndicatorPoint:
    label: str
    value: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    benchmark: Decimal | None

    @property
    def flag(self) -> Flag | None:
        return indicator_flag(self.value, self.lower, self.upper)


def indicator_figure(points: list[IndicatorPoint], value_title: str) -> dict:
    """Values as a line; the expected range as a shaded band; the benchmark as a dashed
    line; values outside the range marked with an up or down triangle."""
    labels = [p.label for p in points]
    data: list[dict] = []
    if any(p.upper is not None or p.lower is not None for p in points):
        data.append(
            _line(
                "Upper expected",
                labels,
                [p.upper for p in points],
                {"color": "#b1b4b6", "width": 1},
                showlegend=False,
            )
        )
        data.append(
            _line(
                "Expected range",
                labels,
                [p.lower for p in points],
                {"color": "#b1b4b6", "width": 1},
                fill="tonexty",
                fillcolor="rgba(29, 112, 184, 0.15)",
            )
        )
    if any(p.benchmark is not None for p in points):
        data.append(
            _line(
                "National benchmark",
                labels,
                [p.benchmark for p in points],
                {"color": "#4c2c92", "dash": "dash"},
            )
        )
    data.append(
        _line(
            "Value",
            labels,
            [p.value for p in points],
            {"color": "#0b0c0c", "width": 2},
            mode="lines+markers",
            marker={"size": 7},
        )
    )
    for flag in (Flag.ABOVE, Flag.BELOW):
        chosen = [p for p in points if p.flag == flag]
        if chosen:
            data.append(_markers(flag.label, chosen, FLAG_STYLE[flag], size=14))
    return {"data": data, "layout": _layout(value_title), "config": STATIC_CONFIG}


def indicator_table(points: list[IndicatorPoint], fmt: Formatter, caption: str) -> dict:
    has_range = any(p.upper is not None or p.lower is not None for p in points)
    has_benchmark = any(p.benchmark is not None for p in points)
    headers = ["Period", "Value"]
    if has_range:
        headers += ["Lower expected", "Upper expected", "Against range"]
    if has_benchmark:
        headers += ["National benchmark"]
    rows = []
    for p in points:
        row = [p.label, fmt(p.value)]
        if has_range:
            row += [fmt(p.lower), fmt(p.upper), p.flag.label if p.flag else "Within range"]
        if has_benchmark:
            row += [fmt(p.benchmark)]
        rows.append(row)
    return {"caption": caption, "headers": headers, "rows": rows}


def chart(chart_id: str, title: str, figure, table: dict) -> dict:
    """The context ``includes/_chart.html`` expects (see kccperf.charts)."""
    return chart_context(chart_id, title, figure, table)
