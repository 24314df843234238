"""Pure builders of the outcome dashboard's charts, each with a table of the same data.

Every ``*_chart`` function reads the figures once into plain series and draws both the plotly
figure and the table from those series, so the chart and its table cannot disagree. Figures
are plotly.js JSON as plain dicts, like every chart of the portal (see kpis.charts).
"""

from __future__ import annotations

from kccperf.charts import HOUSE_LAYOUT, HOUSE_LEGEND, SEPARATOR, chart_context
from monitoring.figures import DELIVERIES, DELIVERY_SHORT, Dashboard, TrendPoint

# The portal's status colours, plus a pattern per status so colour is never the only cue.
DELIVERY_STYLE = {
    "on_track": ("#00703c", ""),
    "remedial": ("#b25e00", "/"),
    "unlikely": ("#942514", "x"),
}
QUARTER_STYLE = (("#1d70b8", ""), ("#505a5f", "."))  # this quarter, previous quarter
LAYOUT = {
    **HOUSE_LAYOUT,
    "margin": {"l": 60, "r": 20, "t": 30, "b": 60},
    "height": 380,
    "legend": HOUSE_LEGEND,
    "barmode": "group",
}


def _pct(count: int | None, base: int | None) -> str:
    if count is None:
        return "No returns"
    if not base:
        return str(count)
    return f"{(200 * count + base) // (2 * base)}% ({count})"


def issue_theme_series(d: Dashboard) -> list[tuple[str, int, int | None]]:
    """(theme label, count this quarter, count previous quarter) for themes used in either."""
    series = []
    for key, label in d.theme_labels.items():
        figure = d.get(f"issues.{key}")
        if figure is None:
            continue
        if figure.count or figure.previous:
            series.append((label, figure.count, figure.previous))
    return series


def _bar(name: str, labels: list[str], values: list[int], style: tuple[str, str]) -> dict:
    colour, pattern = style
    return {
        "type": "bar",
        "name": name,
        "x": labels,
        "y": values,
        "marker": {"color": colour, "pattern": {"shape": pattern}, "line": SEPARATOR},
        "text": [str(v) for v in values],
    }


def _quarter_bars(
    labels: list[str], quarters: list[tuple[str, list[int]]], value_title: str, **axis
) -> dict:
    """One bar series per quarter (this one, then the previous), in the quarters' styles."""
    data = [
        {**_bar(name, labels, values, style), "textposition": "outside"}
        for (name, values), style in zip(quarters, QUARTER_STYLE, strict=False)
    ]
    yaxis = {"title": {"text": value_title}, "rangemode": "tozero", **axis}
    return {"data": data, "layout": {**LAYOUT, "yaxis": yaxis}}


def _previous_label(d: Dashboard) -> str:
    """The previous quarter's series name: "Q2 2019/20", or, compared like for like while
    the quarter is collecting, "Q2 2019/20 (like for like)"."""
    label = d.previous_quarter.label
    return f"{label} (like for like)" if d.like_for_like else label


def issue_themes_chart(d: Dashboard, chart_id: str = "chart-issue-themes") -> dict:
    series = issue_theme_series(d)
    labels = [s[0] for s in series]
    quarters = [(d.quarter.label, [s[1] for s in series])]
    if d.has_previous:
        quarters.append((_previous_label(d), [s[2] or 0 for s in series]))
    figure = _quarter_bars(labels, quarters, "Activities not on track", dtick=1)
    not_on_track = d["delivery.not_on_track"]
    headers = ["Issue theme", f"{d.quarter.label} (of {not_on_track.count} not on track)"]
    if d.has_previous:
        headers.append(f"{_previous_label(d)} (of {not_on_track.previous} not on track)")
    rows = []
    for label, now, before in series:
        row = [label, _pct(now, not_on_track.count)]
        if d.has_previous:
            row.append(_pct(before, not_on_track.previous))
        rows.append(row)
    title = "Issue themes of activities not on track, this quarter and the previous one"
    table = {"caption": title, "headers": headers, "rows": rows}
    return chart_context(chart_id, title, figure, table)


def delivery_chart(d: Dashboard, chart_id: str = "chart-delivery") -> dict:
    """Delivery split this quarter and the previous one."""
    figures = [d[f"delivery.{x}"] for x in DELIVERIES]
    labels = [DELIVERY_SHORT[x] for x in DELIVERIES]
    quarters = [(d.quarter.label, [f.count for f in figures])]
    if d.has_previous:
        quarters.append((_previous_label(d), [f.previous or 0 for f in figures]))
    figure = _quarter_bars(labels, quarters, "Activities")
    headers = ["Delivery", d.quarter.label]
    if d.has_previous:
        headers.append(_previous_label(d))
    rows = []
    for label, f in zip(labels, figures, strict=True):
        row = [label, f.display]
        if d.has_previous:
            row.append(_pct(f.previous, f.previous_base))
        rows.append(row)
    title = "Is the activity on track? This quarter and the previous one"
    table = {"caption": title, "headers": headers, "rows": rows}
    return chart_context(chart_id, title, figure, table)


def trend_chart(points: list[TrendPoint], chart_id: str = "chart-trend") -> dict:
    """Delivery split of every quarter on record (stacked, with the share as hover text)."""
    labels = [p.quarter.label for p in points]
    legend = {**LAYOUT["legend"], "traceorder": "normal"}
    data = [
        {
            **_bar(
                DELIVERY_SHORT[delivery],
                labels,
                [getattr(p, delivery) for p in points],
                DELIVERY_STYLE[delivery],
            ),
            "textposition": "inside",
            # Level, never turned on its side to fit a thin bar (a "1" was rotated and cut off).
            "textangle": 0,
            "insidetextanchor": "middle",
        }
        for delivery in DELIVERIES
    ]
    layout = {
        **LAYOUT,
        "barmode": "stack",
        "legend": legend,
        "yaxis": {"title": {"text": "Returns"}, "rangemode": "tozero"},
    }
    figure = {"data": data, "layout": layout}
    headers = ["Quarter", *(DELIVERY_SHORT[x] for x in DELIVERIES), "Returns"]
    rows = [
        [p.quarter.label, *(_pct(getattr(p, x), p.total) for x in DELIVERIES), p.total]
        for p in points
    ]
    title = "Delivery status in every quarter on record"
    table = {"caption": title, "headers": headers, "rows": rows}
    return chart_context(chart_id, title, figure, table)
