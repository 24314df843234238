"""Chart text is text: a stored label holding markup (an issue theme, a risk refresh, an
activity indicator's period) shows as literal text in every chart, on the pages and in the
reports, drafts and published versions alike (kccperf.charts.escape_figure)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command

from kccperf.charts import chart_context, chart_text, escape_figure
from kccperf.models import ReportingPeriod
from kccperf.periods import Quarter
from kpis.models import IndicatorValue
from monitoring.models import IssueTheme, Return
from reports.models import Report, ReportVersion
from risks.models import Risk, RiskRefresh
from tests.factories import PASSWORD
from tests.reports.factories import make_published

Q2 = Quarter(2019, 2)
# Fits the shortest of the fields (an indicator value's label, 40 characters); the "&amp;"
# must show as the five characters "&amp;", not as "&".
MARKUP = '<a href="//x.test">Sep</a> <b>&amp;</b>'
ESCAPED = '&lt;a href="//x.test"&gt;Sep&lt;/a&gt; &lt;b&gt;&amp;amp;&lt;/b&gt;'
FIGURES = re.compile(
    r'<script id="(?P<id>[^"]+)-data" type="application/json">(?P<json>.*?)</script>', re.S
)
FORMAT_KEYS = ("template", "format", "fallback")


def test_chart_text_escapes_the_three_characters_plotly_reads_as_markup():
    assert chart_text(MARKUP) == ESCAPED
    assert chart_text("Q2 2019/20") == "Q2 2019/20"


def test_every_shown_text_of_a_figure_is_escaped_and_templates_keep_their_placeholders():
    figure = {
        "data": [
            {
                "type": "bar",
                "name": MARKUP,
                "x": (MARKUP, "Plain"),
                "y": [1, 2.5],
                "text": [MARKUP, None],
                "hovertext": MARKUP,
                "hovertemplate": "%{x}<br>%{y:.1f}<extra></extra>",
                "texttemplate": "<b>%{y}</b>",
                "marker": {"color": "#00703c"},
            }
        ],
        "layout": {
            "title": {"text": MARKUP},
            "xaxis": {"title": {"text": MARKUP}, "ticktext": [MARKUP], "tickformat": "%d<b>"},
            "annotations": [{"text": MARKUP, "x": 1}],
        },
        "config": {"staticPlot": True},
    }
    escaped = escape_figure(figure)
    trace = escaped["data"][0]
    assert trace["name"] == trace["hovertext"] == ESCAPED
    assert trace["x"] == [ESCAPED, "Plain"] and trace["y"] == [1, 2.5]
    assert trace["text"] == [ESCAPED, None]
    assert trace["hovertemplate"] == "%{x}<br>%{y:.1f}<extra></extra>"
    assert trace["texttemplate"] == "<b>%{y}</b>"
    assert trace["marker"] == {"color": "#00703c"}
    layout = escaped["layout"]
    assert layout["title"]["text"] == layout["xaxis"]["title"]["text"] == ESCAPED
    assert layout["xaxis"]["ticktext"] == [ESCAPED] and layout["xaxis"]["tickformat"] == "%d<b>"
    assert layout["annotations"] == [{"text": ESCAPED, "x": 1}]
    assert figure["data"][0]["name"] == MARKUP  # the builder's figure is left alone


def test_chart_context_escapes_once():
    context = chart_context("c", "Title", {"data": [{"name": MARKUP}]}, {})
    assert context["figure_json"]["data"][0]["name"] == ESCAPED


def _strings(value, key=""):
    if isinstance(value, str):
        if not key.endswith(FORMAT_KEYS):
            yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)


def figures_on(html: str) -> dict[str, dict]:
    """The figures a page embeds for plotly.js (includes/_chart.html), by chart id."""
    return {m["id"]: json.loads(m["json"]) for m in FIGURES.finditer(html)}


def assert_markup_is_literal(html: str, where: str) -> None:
    """The page's charts hold the stored markup only escaped, and somewhere they hold it."""
    figures = figures_on(html)
    assert figures, f"{where}: no charts"
    shown = [s for f in figures.values() for s in _strings({"d": f["data"], "l": f["layout"]})]
    raw = [s for s in shown if "<" in s or ">" in s]
    assert raw == [], f"{where}: chart text read as markup: {raw[:3]}"
    assert any(ESCAPED in s for s in shown), f"{where}: the label is not in any chart"


@pytest.fixture
def hostile_labels(db) -> dict:
    """The demo with markup in an issue theme of an activity not on track, in every risk
    refresh's label and in the latest Q2 value of an activity indicator."""
    call_command("load_demo", "--no-migrate", password=PASSWORD, verbosity=0)
    period = ReportingPeriod.objects.get(start=Q2.start)
    late = Return.objects.filter(period=period, delivery="unlikely").order_by("activity__number")
    late = late.select_related("activity__outcome").first()
    IssueTheme.objects.filter(pk=late.issues.first().pk).update(label=MARKUP)
    RiskRefresh.objects.update(label=MARKUP)
    value = (
        IndicatorValue.objects.filter(period_start__lte=Q2.start)
        .select_related("indicator__directorate")
        .order_by("-period_start")
        .first()
    )
    IndicatorValue.objects.filter(pk=value.pk).update(label=MARKUP)
    return {
        "outcome": late.activity.outcome.number,
        "risk": Risk.objects.filter(refresh_entries__isnull=False).order_by("ref").first(),
        "directorate": value.indicator.directorate.slug,
        "indicator": value.indicator.slug,
    }


def test_markup_in_labels_is_literal_in_every_chart_on_the_pages(client, dan, hostile_labels):
    client.force_login(dan)
    outcome = hostile_labels["outcome"]
    pages = {
        "outcome dashboard": f"/monitoring/dashboards/outcome/{outcome}/{Q2.slug}/",
        "council dashboard": f"/monitoring/dashboards/council/{Q2.slug}/",
        "risk": f"/risks/{hostile_labels['risk'].ref}/",
        "directorate": f"/kpis/directorates/{hostile_labels['directorate']}/{Q2.slug}/",
        "indicator": f"/kpis/indicators/{hostile_labels['indicator']}/{Q2.slug}/",
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (where, url)
        assert_markup_is_literal(response.content.decode(), where)


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        (Report.Kind.QPR, f"/reports/qpr/{Q2.slug}/"),
        (Report.Kind.SDP_COUNCIL, f"/reports/sdp/{Q2.slug}/"),
    ],
)
def test_markup_in_labels_is_literal_in_report_charts_draft_and_published(
    client, dan, hostile_labels, kind, url
):
    client.force_login(dan)
    assert_markup_is_literal(_report_html(client, kind, f"{url}?draft=1"), f"{kind} draft")
    report = make_published(kind, Q2, user=dan)
    version = ReportVersion.objects.filter(report=report).order_by("-number").first()
    published = _report_html(client, kind, f"{url}?version={version.number}")
    assert_markup_is_literal(published, f"{kind} published")


def _report_html(client, kind: str, url: str) -> str:
    """A report's page; the QPR's every part and page (on screen it is shown in parts)."""
    if kind == Report.Kind.QPR:
        from tests.reports.factories import whole_qpr_html

        return whole_qpr_html(client, url)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()
