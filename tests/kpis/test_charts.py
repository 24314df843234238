"""The pure chart builders, tested on the figures' data, and the sparkline."""

from __future__ import annotations

import json
from decimal import Decimal as D

from kccperf.charts import HOUSE_AXIS
from kccperf.periods import Quarter
from kpis import charts
from kpis.scoring import Flag, Rag
from kpis.sparkline import sparkline_points, sparkline_svg

Q = [Quarter(2019, 1), Quarter(2019, 2), Quarter(2019, 3)]


def _fmt(value):
    return "–" if value is None else f"{value}%"


def _points():
    return charts.kpi_series(
        Q,
        {Q[0]: (D(85), False), Q[1]: (D(95), True)},
        {Q[0]: (D(90), D(80)), Q[1]: (D(90), D(80)), Q[2]: (D(40), None)},
        True,
        0,
    )


def test_kpi_series_rates_each_quarter_against_the_target_in_force():
    points = _points()
    assert [p.rag for p in points] == [Rag.AMBER, Rag.GREEN, None]
    assert [p.target for p in points] == [D(90), D(90), D(40)]
    assert points[1].provisional and not points[0].provisional


def _traces(figure: dict) -> dict[str, dict]:
    return {trace["name"]: trace for trace in figure["data"]}


def test_the_kpi_figure_has_rag_markers_with_shapes_and_target_and_floor_lines():
    figure = charts.kpi_figure(_points(), "Percentage")
    traces = _traces(figure)
    assert list(traces) == [
        "Result",
        "Result: Green",
        "Result: Amber",
        "Target",
        "Floor standard",
    ]
    assert traces["Result"]["y"] == [85.0, 95.0, None]
    assert traces["Result: Green"]["x"] == ["Q2 2019/20"]
    assert traces["Result: Green"]["marker"]["symbol"] == "circle"
    assert traces["Result: Green"]["marker"]["color"] == "#00703c"
    assert traces["Result: Amber"]["y"] == [85.0]
    assert traces["Result: Amber"]["marker"]["symbol"] == "diamond"
    assert traces["Result: Amber"]["marker"]["color"] == "#b25e00"
    assert traces["Target"]["y"] == [90.0, 90.0, 40.0]
    assert traces["Target"]["line"] == {"color": "#00703c", "dash": "dash", "shape": "hv"}
    assert traces["Floor standard"]["y"] == [80.0, 80.0, None]
    assert traces["Floor standard"]["line"] == {"color": "#942514", "dash": "dot", "shape": "hv"}


def test_a_red_result_has_its_own_colour_and_shape_and_no_floor_means_no_floor_line():
    points = charts.kpi_series(Q[:1], {Q[0]: (D(10), False)}, {Q[0]: (D(90), None)}, True, 0)
    traces = _traces(charts.kpi_figure(points, "Percentage"))
    assert traces["Result: Red"]["marker"]["symbol"] == "square"
    assert traces["Result: Red"]["marker"]["color"] == "#942514"
    assert "Floor standard" not in traces


def test_the_figures_label_their_axes_and_are_static():
    for figure in (
        charts.kpi_figure(_points(), "Percentage"),
        charts.indicator_figure(_indicator_points(), "Number"),
    ):
        assert figure["layout"]["xaxis"] == {"type": "category", "showgrid": False}
        assert figure["layout"]["yaxis"]["title"] == {
            "text": "Percentage" if "Target" in _traces(figure) else "Number"
        }
        assert figure["config"]["staticPlot"] is True


def test_the_kpi_table_holds_the_same_points_as_the_chart():
    table = charts.kpi_table(_points(), _fmt, "caption")
    assert table["headers"] == ["Quarter", "Result", "Target", "Floor standard", "RAG"]
    assert table["rows"] == [
        ["Q1 2019/20", "85%", "90%", "80%", "Amber"],
        ["Q2 2019/20 (provisional)", "95%", "90%", "80%", "Green"],
        ["Q3 2019/20", "–", "40%", "–", "No data"],
    ]


def _indicator_points():
    return [
        charts.IndicatorPoint("Q1", D(70), D(80), D(120), None),
        charts.IndicatorPoint("Q2", D(100), D(80), D(120), D(95)),
        charts.IndicatorPoint("Q3", D(121), D(80), D(120), D(96)),
    ]


def test_the_indicator_figure_draws_the_range_as_a_band_and_marks_outliers():
    figure = charts.indicator_figure(_indicator_points(), "Number")
    traces = _traces(figure)
    assert list(traces) == [
        "Upper expected",
        "Expected range",
        "National benchmark",
        "Value",
        "Above expected",
        "Below expected",
    ]
    assert traces["Upper expected"]["y"] == [120.0, 120.0, 120.0]
    assert traces["Expected range"]["y"] == [80.0, 80.0, 80.0]
    assert traces["Expected range"]["fill"] == "tonexty"
    assert traces["National benchmark"]["y"] == [None, 95.0, 96.0]
    assert traces["Value"]["y"] == [70.0, 100.0, 121.0]
    assert traces["Above expected"]["x"] == ["Q3"]
    assert traces["Above expected"]["marker"]["symbol"] == "triangle-up"
    assert traces["Above expected"]["marker"]["color"] == "#4c2c92"  # not the RAG red
    assert traces["Below expected"]["x"] == ["Q1"]
    assert traces["Below expected"]["marker"]["symbol"] == "triangle-down"
    assert [p.flag for p in _indicator_points()] == [Flag.BELOW, None, Flag.ABOVE]


def test_an_indicator_without_range_or_benchmark_has_only_its_values():
    points = [charts.IndicatorPoint("Q1", D(5), None, None, None)]
    assert [t["name"] for t in charts.indicator_figure(points, "Number")["data"]] == ["Value"]
    table = charts.indicator_table(points, str, "c")
    assert table["headers"] == ["Period", "Value"] and table["rows"] == [["Q1", "5"]]


def test_the_indicator_table_says_where_each_value_sits():
    table = charts.indicator_table(_indicator_points(), str, "c")
    assert [row[4] for row in table["rows"]] == [
        "Below expected",
        "Within range",
        "Above expected",
    ]


def test_chart_context_carries_a_small_plotly_json_for_the_template():
    figure = charts.kpi_figure(_points(), "%")
    context = charts.chart("c1", "Title", figure, {"rows": []})
    assert context["json_id"] == "c1-data"
    assert context["figure_json"] == {**figure, "config": {**figure["config"]}}
    # Only the house axes (thousands separators), not plotly.py's large default theme.
    assert context["figure_json"]["layout"]["template"] == {
        "layout": {"xaxis": HOUSE_AXIS, "yaxis": HOUSE_AXIS}
    }
    assert HOUSE_AXIS == {"separatethousands": True, "exponentformat": "none", "automargin": True}


def test_the_figures_are_plain_json():
    """Plain dicts, not plotly.py objects (which cost ~10 ms each against well under one):
    a QPR at ten times the council's size draws hundreds of these."""
    for figure in (charts.kpi_figure(_points(), "%"), charts.indicator_figure([], "%")):
        assert json.loads(json.dumps(figure)) == figure


def test_sparkline_puts_the_highest_value_at_the_top_and_skips_gaps():
    points = sparkline_points([D(1), None, D(3)], width=100, height=20, pad=0)
    assert points == [(0.0, 20.0), (100.0, 0.0)]
    assert sparkline_points([D(5), D(5)], 10, 20, pad=0) == [(0.0, 10.0), (10.0, 10.0)]
    assert sparkline_points([None, None], 10, 10) == []


def test_sparkline_svg_has_a_text_alternative_and_escapes_it():
    svg = sparkline_svg([D(1), D(2)], 'Trend <b>"x"</b>')
    assert svg.startswith('<svg class="sparkline"') and 'role="img"' in svg
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert "No trend" in sparkline_svg([None], "x")
