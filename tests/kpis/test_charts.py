"""The pure chart builders, tested on the figures' data, and the sparkline."""

from __future__ import annotations

from decimal import Decimal as D

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


def test_the_kpi_figure_has_rag_markers_with_shapes_and_target_and_floor_lines():
    figure = charts.kpi_figure(_points(), "Percentage")
    traces = {trace.name: trace for trace in figure.data}
    assert traces["Result: Green"].x == ("Q2 2019/20",)
    assert traces["Result: Green"].marker.symbol == "circle"
    assert traces["Result: Amber"].y == (85.0,)
    assert traces["Result: Amber"].marker.symbol == "diamond"
    assert "Result: Red" not in traces
    assert traces["Target"].y == (90.0, 90.0, 40.0)
    assert traces["Floor standard"].y == (80.0, 80.0, None)
    assert traces["Target"].line.shape == "hv"


def test_the_kpi_table_holds_the_same_points_as_the_chart():
    table = charts.kpi_table(_points(), _fmt, "caption")
    assert table["headers"] == ["Quarter", "Result", "Target", "Floor standard", "RAG"]
    assert table["rows"] == [
        ["Q1 2019/20", "85%", "90%", "80%", "Amber"],
        ["Q2 2019/20 (provisional)", "95%", "90%", "80%", "Green"],
        ["Q3 2019/20", "–", "40%", "None", "No data"],
    ]


def _indicator_points():
    return [
        charts.IndicatorPoint("Q1", D(70), D(80), D(120), None),
        charts.IndicatorPoint("Q2", D(100), D(80), D(120), D(95)),
        charts.IndicatorPoint("Q3", D(121), D(80), D(120), D(96)),
    ]


def test_the_indicator_figure_draws_the_range_as_a_band_and_marks_outliers():
    figure = charts.indicator_figure(_indicator_points(), "Number")
    traces = {trace.name: trace for trace in figure.data}
    assert traces["Upper expected"].y == (120.0, 120.0, 120.0)
    assert traces["Expected range"].fill == "tonexty"
    assert traces["National benchmark"].y == (None, 95.0, 96.0)
    assert traces["Above expected"].x == ("Q3",)
    assert traces["Above expected"].marker.symbol == "triangle-up"
    assert traces["Below expected"].x == ("Q1",)
    assert [p.flag for p in _indicator_points()] == [Flag.BELOW, None, Flag.ABOVE]


def test_an_indicator_without_range_or_benchmark_has_only_its_values():
    points = [charts.IndicatorPoint("Q1", D(5), None, None, None)]
    assert [t.name for t in charts.indicator_figure(points, "Number").data] == ["Value"]
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
    context = charts.chart("c1", "Title", charts.kpi_figure(_points(), "%"), {"rows": []})
    assert context["json_id"] == "c1-data"
    assert context["figure_json"]["layout"]["template"] == {}


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
