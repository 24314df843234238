"""The risk detail page's score history: one figure and one table from the same series."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from kccperf.charts import HOUSE_LAYOUT, HOUSE_LEGEND, chart_context


@dataclass(frozen=True)
class ScorePoint:
    label: str
    current_score: int
    current_level: str | None
    target_score: int
    target_level: str | None
    reason: str = ""


def score_history_figure(series: list[ScorePoint], bands) -> go.Figure:
    labels = [p.label for p in series]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=[p.current_score for p in series],
            name="Current score",
            mode="lines+markers",
            line={"color": "#0b0c0c", "width": 3},
            marker={"size": 10, "symbol": "circle"},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=[p.target_score for p in series],
            name="Target score",
            mode="lines+markers",
            line={"color": "#1d70b8", "width": 2, "dash": "dash"},
            marker={"size": 9, "symbol": "square"},
        )
    )
    fills = {"green": "rgba(0,112,60,0.10)", "amber": "rgba(138,75,0,0.10)"}
    fills["red"] = "rgba(148,37,20,0.10)"
    for band in bands:
        figure.add_hrect(
            y0=band.min_score - 0.5,
            y1=band.max_score + 0.5,
            fillcolor=fills.get(band.colour, "rgba(0,0,0,0.05)"),
            line_width=0,
            annotation_text=band.level,
            annotation_position="right",
        )
    figure.update_layout(
        **HOUSE_LAYOUT,
        yaxis={"title": {"text": "Score (likelihood × impact)"}, "range": [0, 26]},
        xaxis={"title": {"text": "Refresh"}, "type": "category"},
        margin={"l": 60, "r": 80, "t": 20, "b": 60},
        height=340,
        legend=HOUSE_LEGEND,
    )
    return figure


def score_history_chart(series: list[ScorePoint], bands, *, chart_id: str) -> dict:
    """The context for includes/_chart.html.

    The plot is static (no mode bar or hover): the shared include gives the plot role="img",
    and plotly's controls inside an image fail axe's nested-interactive rule. The same data
    is in the table under the chart.
    """
    return chart_context(
        chart_id,
        "Current and target score at each refresh",
        score_history_figure(series, bands),
        {
            "caption": "Score history across refreshes",
            "headers": ["Refresh", "Current score", "Target score", "Reason for change"],
            "rows": [
                [
                    p.label,
                    f"{p.current_score} ({p.current_level or 'no level'})",
                    f"{p.target_score} ({p.target_level or 'no level'})",
                    p.reason or "–",
                ]
                for p in series
            ],
        },
    )
