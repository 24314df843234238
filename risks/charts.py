"""The risk detail page's score history: one figure and one table from the same series (the
figure as plotly.js JSON, a plain dict like every chart of the portal: see kpis.charts)."""

from __future__ import annotations

from dataclasses import dataclass

from kccperf.charts import HOUSE_LAYOUT, HOUSE_LEGEND, chart_context


@dataclass(frozen=True)
class ScorePoint:
    label: str
    current_score: int
    current_level: str | None
    target_score: int
    target_level: str | None
    reason: str = ""


BAND_FILLS = {
    "green": "rgba(0,112,60,0.10)",
    "amber": "rgba(138,75,0,0.10)",
    "red": "rgba(148,37,20,0.10)",
}


def score_history_figure(series: list[ScorePoint], bands) -> dict:
    labels = [p.label for p in series]
    data = [
        {
            "type": "scatter",
            "x": labels,
            "y": [p.current_score for p in series],
            "name": "Current score",
            "mode": "lines+markers",
            "line": {"color": "#0b0c0c", "width": 3},
            "marker": {"size": 10, "symbol": "circle"},
        },
        {
            "type": "scatter",
            "x": labels,
            "y": [p.target_score for p in series],
            "name": "Target score",
            "mode": "lines+markers",
            "line": {"color": "#1d70b8", "width": 2, "dash": "dash"},
            "marker": {"size": 9, "symbol": "square"},
        },
    ]
    # Each level's band of scores, shaded across the plot and named at its right edge.
    shapes, annotations = [], []
    for band in bands:
        y0, y1 = band.min_score - 0.5, band.max_score + 0.5
        shapes.append(
            {
                "type": "rect",
                "xref": "x domain",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": y0,
                "y1": y1,
                "fillcolor": BAND_FILLS.get(band.colour, "rgba(0,0,0,0.05)"),
                "line": {"width": 0},
            }
        )
        annotations.append(
            {
                "text": band.level,
                "showarrow": False,
                "xref": "x domain",
                "x": 1,
                "xanchor": "right",
                "yref": "y",
                "y": (y0 + y1) / 2,
                "yanchor": "middle",
            }
        )
    layout = {
        **HOUSE_LAYOUT,
        "yaxis": {"title": {"text": "Score (likelihood × impact)"}, "range": [0, 26]},
        "xaxis": {"title": {"text": "Refresh"}, "type": "category"},
        "margin": {"l": 60, "r": 80, "t": 20, "b": 60},
        "height": 340,
        "legend": HOUSE_LEGEND,
        "shapes": shapes,
        "annotations": annotations,
    }
    return {"data": data, "layout": layout}


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
