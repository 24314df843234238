"""The QPR's charts, as CMT reads them on the published page: each KPI chart keeps its
target and floor standard lines and each activity indicator chart its expected range,
drawn from the stored snapshot in the KPI pages' encoding (kpis.charts)."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from kpis import charts
from reports.models import Report
from tests.factories import make_directorate
from tests.kpis.factories import (
    make_indicator,
    make_indicator_value,
    make_kpi,
    make_result,
    make_target,
)
from tests.reports.factories import make_published

pytestmark = pytest.mark.django_db

# The Growth directorate's part of the QPR on screen (reports.qpr_parts).
URL = "/reports/qpr/2019-20-q2/?part=growth"


@pytest.fixture
def published(dan):
    directorate = make_directorate(name="Growth", slug="growth", short_name="GR")
    kpi = make_kpi(code="GR01", title="Homes built", directorate=directorate)
    make_target(kpi, target=Decimal(90), floor=Decimal(80))
    make_result(kpi, "Q1 2019/20", 85)
    make_result(kpi, "Q2 2019/20", 75)
    indicator = make_indicator(
        slug="homeless", title="Homeless households", directorate=directorate
    )
    make_indicator_value(indicator, "Q1 2019/20", 70)
    make_indicator_value(indicator, "Q2 2019/20", 100, benchmark=Decimal(95))
    return make_published(Report.Kind.QPR, user=dan)


def _figure(html: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="{chart_id}-data" type="application/json">(.*?)</script>', html)
    assert match, f"no chart {chart_id}"
    return json.loads(match.group(1))


def _traces(figure: dict) -> dict[str, dict]:
    return {trace["name"]: trace for trace in figure["data"]}


def test_the_report_kpi_chart_has_the_target_and_floor_lines_and_rag_markers(
    client, carol, published
):
    client.force_login(carol)
    figure = _figure(client.get(URL).content.decode(), "kpi-gr01")
    traces = _traces(figure)
    window = traces["Target"]["x"]
    assert window[-2:] == ["Q1 2019/20", "Q2 2019/20"] and len(window) == 8
    assert traces["Target"]["y"][-2:] == [90.0, 90.0]
    assert traces["Floor standard"]["y"][-2:] == [80.0, 80.0]
    assert traces["Floor standard"]["line"]["dash"] == "dot"
    assert traces["Result: Amber"]["x"] == ["Q1 2019/20"]
    assert traces["Result: Red"]["x"] == ["Q2 2019/20"]
    assert figure["layout"]["yaxis"]["title"]["text"] == "Percentage"


def test_the_report_indicator_chart_has_the_expected_range_and_benchmark(client, carol, published):
    client.force_login(carol)
    figure = _figure(client.get(URL).content.decode(), "indicator-homeless")
    traces = _traces(figure)
    assert traces["Upper expected"]["y"] == [120.0, 120.0]
    assert traces["Expected range"]["y"] == [80.0, 80.0]
    assert traces["Expected range"]["fill"] == "tonexty"
    assert traces["National benchmark"]["y"] == [None, 95.0]
    assert traces["Below expected"]["x"] == ["Q1 2019/20"]


def test_the_report_charts_are_the_kpi_pages_encoding(client, carol, published):
    """The same points give the same figure on the report as on the KPI pages."""
    from kpis.reporting import kpi_points

    version = published.versions.get()
    kpi = version.data["directorates"][0]["kpis"][0]
    client.force_login(carol)
    figure = _figure(client.get(URL).content.decode(), "kpi-gr01")
    assert figure["data"] == charts.kpi_figure(kpi_points(kpi), "Percentage")["data"]
