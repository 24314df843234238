"""templates/includes/_chart.html: one chart include, with the table built by the template or
pre-rendered by reports (reports.rendering.table_html) to the same markup."""

import re

from django.template.loader import render_to_string

from kccperf.charts import chart_context
from reports.rendering import table_html

TABLE = {
    "caption": "Satisfaction by quarter",
    "headers": ["Quarter", "Value <%>"],
    "rows": [["Q1 2019/20", "71"], ["Q2 2019/20", "<b>74</b>"]],
}


def _render(chart: dict) -> str:
    return render_to_string("includes/_chart.html", {"chart": chart})


def _squash(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_the_chart_has_its_data_as_an_escaped_table():
    html = _render(chart_context("sat", "Satisfaction", {"data": []}, TABLE))
    assert 'id="sat"' in html and 'id="sat-data"' in html
    assert '<th scope="col">Value &lt;%&gt;</th>' in html
    assert "<td>&lt;b&gt;74&lt;/b&gt;</td>" in html


def test_a_pre_rendered_table_gives_the_same_page():
    chart = chart_context("sat", "Satisfaction", {"data": []}, TABLE)
    built = _render(chart)
    pre_rendered = _render({**chart, "table_html": table_html(TABLE)})
    assert _squash(built) == _squash(pre_rendered)


def test_the_chart_box_carries_its_height_so_drawing_it_later_moves_nothing():
    """Charts draw as they come into view (static/js/charts.js), which first gives each box
    the height its figure will have."""
    tall = _render(
        chart_context("sat", "Satisfaction", {"data": [], "layout": {"height": 380}}, TABLE)
    )
    assert re.search(r'<div class="chart-plot" id="sat" data-height="380" role="img"', tall)
    unsized = _render(chart_context("sat", "Satisfaction", {"data": []}, TABLE))
    assert "data-height" not in unsized
