"""The context ``templates/includes/_chart.html`` expects, shared by every app's charts."""

from __future__ import annotations

from typing import Any

# The include gives the plot role="img", which must hold no controls (axe nested-interactive):
# no mode bar and no hover or zoom layers. The table under the chart carries the numbers.
STATIC_CONFIG = {"staticPlot": True, "displayModeBar": False}

# WCAG 1.4.11: the portal's status colours are all dark and fail 3:1 against each other (green
# against amber is 1.3:1), but each passes against white. So marks that can touch (stacked or
# grouped bar segments, RAG markers on the result line) are outlined in white: the separator is
# what people see between two colours (tests/test_colour_contrast.py checks every pair).
SEPARATOR = {"color": "#ffffff", "width": 2}

# The portal's chart look (type, ink and paper), which every app's layout starts from.
HOUSE_FONT = {"family": "Helvetica Neue, Arial, sans-serif", "size": 14, "color": "#0b0c0c"}
# Axis numbers with thousands separators (12,500, never 12500 or 12.5k), on every axis of every
# chart, through plotly's template (defaults that a chart's own axis settings add to). Margins
# grow to hold the tick labels: on a narrow chart (a phone, an A4 page, a Word picture) the
# quarter labels turn and were cut off at the foot and the last quarter at the right.
HOUSE_AXIS = {"separatethousands": True, "exponentformat": "none", "automargin": True}
HOUSE_LAYOUT: dict[str, Any] = {
    "font": HOUSE_FONT,
    "plot_bgcolor": "#ffffff",
    "separators": ".,",
    "template": {"layout": {"xaxis": HOUSE_AXIS, "yaxis": HOUSE_AXIS}},
}


def chart_context(chart_id: str, title: str, figure: Any, table: dict) -> dict:
    """``figure``: a plotly ``go.Figure`` or its JSON dict; ``table``: {caption, headers, rows}."""
    figure_json = figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else dict(figure)
    figure_json["config"] = {**figure_json.get("config", {}), **STATIC_CONFIG}
    return {
        "id": chart_id,
        "json_id": f"{chart_id}-data",
        "title": title,
        "figure_json": figure_json,
        "table": table,
        # The box keeps the chart's height before it is drawn (charts draw as they come into
        # view), so drawing one does not move the page under the reader's pointer.
        "height": (figure_json.get("layout") or {}).get("height"),
    }
