"""Scorecards and exports run a fixed number of queries, however many KPIs, results,
quarters or indicators are on record."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kccperf import lookups
from kccperf.models import Stage
from kccperf.periods import Quarter, quarters_between
from kpis.models import Kpi
from tests.factories import make_directorate
from tests.kpis.factories import (
    make_commentary,
    make_indicator,
    make_indicator_value,
    make_scored_kpis,
)

Q2 = Quarter(2019, 2)
FEW_QUARTERS = ("Q1 2019/20", "Q2 2019/20")
MANY_QUARTERS = tuple(q.label for q in quarters_between(Quarter(2015, 1), Quarter(2019, 2)))


def _count(client, url) -> int:
    lookups.clear()  # counted cold: the roles and quarters kept in memory are read too
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_scorecard_queryset_takes_three_queries(db, django_assert_num_queries):
    make_scored_kpis(5, quarters=MANY_QUARTERS)
    # 1 KPIs with directorates, 2 results in the trend window, 3 targets (pages pass the
    # quarter's stage, which they already hold)
    with django_assert_num_queries(3):
        card = Kpi.objects.all().scorecard(Q2, stage=Stage.CLOSED)
        rows = [(row.rag, row.previous_rag, row.direction, row.trend) for row in card]
        card.summary()
    assert len(rows) == 5
    # Without it, one more query reads the stage (reports and exports).
    with django_assert_num_queries(4):
        assert Kpi.objects.all().scorecard(Q2).stage == Stage.COLLECTING


@pytest.mark.parametrize(
    "url_name", ["kpis:scorecard", "kpis:summary"], ids=["scorecard", "summary"]
)
def test_council_pages_run_the_same_queries_for_3_or_30_kpis(
    analyst_client, url_name, django_assert_num_queries
):
    directorate = make_directorate()
    make_scored_kpis(3, quarters=FEW_QUARTERS, directorate=directorate)
    url = reverse(url_name, kwargs={"period": Q2})
    few = _count(analyst_client, url)
    make_scored_kpis(27, quarters=MANY_QUARTERS)
    assert _count(analyst_client, url) == few
    # session, user, the user's permissions and group permissions, KPIs, results, targets,
    # directorates for the page links, reporting periods (switcher), the user's groups (header),
    # [scorecard: directorates for the filter's choices]; Q2 is collecting here: the notice's
    # three counts (returns, KPI values, risk refresh).
    # Read again, permissions, periods and groups are kept in memory under the data versions
    # (kccperf.lookups): session, user, SET CONSTRAINTS, the data versions, then
    # [summary: its content from the figure cache; the notice's three counts];
    # [scorecard: nothing more: the page is kept whole for the person (kccperf.page_cache)].
    expected = {"kpis:scorecard": 4, "kpis:summary": 7}[url_name]
    with django_assert_num_queries(expected):
        analyst_client.get(url)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_exports_run_the_same_queries_for_3_or_30_kpis(
    analyst_client, export_format, django_assert_num_queries
):
    make_scored_kpis(3, quarters=FEW_QUARTERS)
    url = reverse("kpis:scorecard", kwargs={"period": Q2}) + f"?_export={export_format}"
    few = _count(analyst_client, url)
    make_scored_kpis(27, quarters=MANY_QUARTERS)
    assert _count(analyst_client, url) == few
    # read again: session, user, SET CONSTRAINTS and the data versions (permissions and
    # reporting periods kept in memory under them), KPIs, results, targets
    with django_assert_num_queries(7):
        analyst_client.get(url)


def test_the_directorate_scorecard_runs_the_same_queries_for_3_or_30_kpis_and_indicators(
    analyst_client, django_assert_num_queries
):
    directorate = make_directorate()
    make_scored_kpis(3, quarters=FEW_QUARTERS, directorate=directorate)
    make_commentary(directorate)
    indicator = make_indicator(directorate=directorate)
    make_indicator_value(indicator, "Q2 2019/20", 100)
    url = reverse("kpis:directorate", kwargs={"slug": directorate.slug, "period": Q2})
    few = _count(analyst_client, url)
    make_scored_kpis(27, quarters=MANY_QUARTERS, directorate=directorate)
    for _ in range(5):
        indicator = make_indicator(directorate=directorate)
        for label in MANY_QUARTERS[-10:]:
            make_indicator_value(indicator, label, 100)
    assert _count(analyst_client, url) == few
    # session, user, permissions (2), directorate, KPIs, results, targets, commentary,
    # indicators, indicator values, cabinet members, directorates for the links, reporting
    # periods, the user's groups; the collecting quarter's notice (three counts).
    # Read again, the page is kept whole for the person (kccperf.page_cache): session, user,
    # SET CONSTRAINTS, the data versions, nothing more.
    with django_assert_num_queries(4):
        analyst_client.get(url)


def test_the_kpi_detail_runs_the_same_queries_for_2_or_18_quarters(
    analyst_client, django_assert_num_queries
):
    [few_kpi] = make_scored_kpis(1, quarters=FEW_QUARTERS)
    [many_kpi] = make_scored_kpis(1, quarters=MANY_QUARTERS)
    few = _count(analyst_client, reverse("kpis:kpi-detail", kwargs={"code": few_kpi.code}))
    many_url = reverse("kpis:kpi-detail", kwargs={"code": many_kpi.code})
    assert _count(analyst_client, many_url) == few
    # session, user, permissions (2), KPI, results, targets, revisions, reporting periods,
    # the user's groups; the collecting quarter's notice (three counts). Read again, the
    # page is kept whole for the person (kccperf.page_cache): session, user, SET
    # CONSTRAINTS and the data versions.
    with django_assert_num_queries(4):
        analyst_client.get(many_url)


def test_the_home_panel_adds_three_queries(client, carol, django_assert_num_queries):
    from kpis.views import home_panel

    make_scored_kpis(4, quarters=FEW_QUARTERS)
    client.force_login(carol)
    request = client.get(reverse("home")).wsgi_request
    request.user.get_all_permissions()  # the home page has checked them already
    # The home page built the counts: now SET CONSTRAINTS and the data versions, then the
    # panel from the figure cache (no KPIs, results or targets)
    with django_assert_num_queries(2):
        html = home_panel(request, Q2)
    assert "Of 4 KPIs in Q2 2019/20" in html
