"""A chart's figure in the page (kccperf.charts.figure_script): compact JSON that cannot close
its <script>, with the same numbers and text as the figure."""

from __future__ import annotations

import json
import re

from django.template import Context, Template

from kccperf.charts import figure_script


def test_the_figure_is_compact_json_with_whole_numbers_as_integers():
    figure = {"data": [{"y": [14760.0, 61.5, 0.0, None], "name": "Value"}], "layout": {}}
    html = figure_script(figure, "c1-data")
    match = re.fullmatch(r'<script id="c1-data" type="application/json">(.*)</script>', html)
    assert match is not None
    assert ", " not in match[1] and ": " not in match[1]
    assert '"y":[14760,61.5,0,null]' in match[1]
    assert json.loads(match[1]) == figure


def test_text_cannot_close_the_script_and_comes_back_as_written():
    name = "</script><script>alert(1)</script> & Café"
    figure = {"data": [{"name": name}], "layout": {"title": {"text": "<b>x</b>"}}}
    html = str(figure_script(figure, "c2-data"))
    body = html.removeprefix('<script id="c2-data" type="application/json">')
    body = body.removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body)["data"][0]["name"] == name


def test_the_element_id_is_escaped_and_the_filter_matches_the_function():
    html = str(figure_script({}, 'a"b'))
    assert 'id="a&quot;b"' in html
    template = Template("{% load kccperf_charts %}{{ figure|figure_script:'c3-data' }}")
    rendered = template.render(Context({"figure": {"data": [{"y": [1.0]}]}}))
    assert rendered == str(figure_script({"data": [{"y": [1.0]}]}, "c3-data"))
