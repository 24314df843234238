"""The context ``templates/includes/_chart.html`` expects, shared by every app's charts."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# plotly.js draws a subset of HTML in every text it shows (titles, tick labels, trace names,
# bar text, annotations, hover text): <a href>, <b>, <i>, <br>, <span style>, <sub>, <sup>.
# So a stored label such as an issue theme "<a href=...>" would become a live link inside
# the chart. plotly.js turns the entities &amp; &lt; &gt; back into & < > as plain text,
# so escaping those three makes any text literal (tests/kccperf/test_chart_text.py).
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Keys whose strings are not text shown in the chart but plotly's own formats, written by
# the chart builders (never from stored data): left as they are. A builder that puts stored
# text into a template escapes that text with chart_text() itself.
_FORMAT_KEYS = ("template", "format", "fallback")

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
# The legend in a row at the top of the figure (in the figure's own coordinates; the plot moves
# down to make room): below the plot, a narrow chart's turned axis labels ran under it (on a
# phone, an A4 page, a Word picture).
HOUSE_LEGEND = {"orientation": "h", "yref": "container", "y": 1, "yanchor": "top", "x": 0}
HOUSE_LAYOUT: dict[str, Any] = {
    "font": HOUSE_FONT,
    "plot_bgcolor": "#ffffff",
    "separators": ".,",
    "template": {"layout": {"xaxis": HOUSE_AXIS, "yaxis": HOUSE_AXIS}},
}


def chart_text(text: str) -> str:
    """``text`` shown by plotly.js as written: ``&``, ``<`` and ``>`` as entities."""
    if "&" in text or "<" in text or ">" in text:
        return "".join(_ENTITIES.get(char, char) for char in text)
    return text


def _escaped(value: Any, key: str = "") -> Any:
    if isinstance(value, str):
        return value if key.endswith(_FORMAT_KEYS) else chart_text(value)
    if isinstance(value, dict):
        return {k: _escaped(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_escaped(v, key) for v in value]
    return value


def escape_figure(figure_json: dict) -> dict:
    """A copy of a figure (plotly JSON) whose every shown text (trace names, categories,
    bar text, hover text, titles, annotations, tick labels) is literal: the one place chart
    text is escaped. Templates (``hovertemplate``, ``texttemplate``) and formats are the
    builders' own and keep their ``%{...}`` placeholders and markup; the values they
    insert are escaped with the data."""
    return {
        **figure_json,
        "data": _escaped(figure_json.get("data") or []),
        "layout": _escaped(figure_json.get("layout") or {}),
    }


def chart_context(chart_id: str, title: str, figure: Any, table: dict) -> dict:
    """``figure``: a plotly ``go.Figure`` or its JSON dict; ``table``: {caption, headers, rows}.
    Every chart passes here, so every chart's text is escaped here (:func:`escape_figure`)."""
    figure_json = figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else dict(figure)
    figure_json = escape_figure(figure_json)
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


# What ``django.utils.html.json_script`` escapes: the JSON can never close its <script>.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _lean(value: Any) -> Any:
    """``value`` with whole-number floats as integers (``14760`` for ``14760.0``: the same
    number to JavaScript)."""
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, dict):
        return {k: _lean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_lean(v) for v in value]
    return value


def figure_script(figure_json: dict, element_id: str) -> SafeString:
    """A chart's figure as ``<script type="application/json">`` (what ``json_script`` makes),
    without the whitespace and the ``.0`` of whole numbers: a 10× QPR holds 760 of these, and
    compact they are a third smaller, which the browser downloads and parses faster."""
    text = json.dumps(
        _lean(figure_json), cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False
    ).translate(_SCRIPT_ESCAPES)
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        mark_safe(text),  # noqa: S308 - JSON with <, > and & escaped, as json_script does
    )
