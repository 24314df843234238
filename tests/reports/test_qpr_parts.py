"""The QPR on screen in parts (reports.qpr_parts): the front, one part per directorate paged
a fixed number of items at a time, the risk overview; the contents on every part; each part
and page from the figure cache, read and rendered alone, in a number of queries that does
not grow with the report."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kccperf import lookups
from kpis.models import KpiResult
from reports import qpr_parts
from reports.models import Report
from tests.factories import make_directorate
from tests.kpis.factories import (
    make_commentary,
    make_indicator,
    make_indicator_value,
    make_kpi,
    make_result,
    make_target,
)
from tests.reports.factories import Q2, make_published, make_table
from tests.risks.factories import make_entry, make_refresh, make_risk

pytestmark = pytest.mark.django_db

QPR = "/reports/qpr/2019-20-q2/"


@pytest.fixture
def growth():
    """A directorate of 7 items: 3 KPIs, an activity indicator, 3 supporting tables."""
    directorate = make_directorate(name="Growth", slug="growth", short_name="GR")
    for n in (1, 2, 3):
        kpi = make_kpi(code=f"GR0{n}", title=f"Growth measure {n}", directorate=directorate)
        make_target(kpi)
        make_result(kpi, "Q1 2019/20", 85)
        make_result(kpi, "Q2 2019/20", 90 + n)
    indicator = make_indicator(title="Planning applications", directorate=directorate)
    make_indicator_value(indicator, "Q1 2019/20", 100)
    make_indicator_value(indicator, "Q2 2019/20", 110)
    for n in (1, 2, 3):
        make_table(directorate=directorate, title=f"Growth table {n}")
    make_commentary(directorate, text="Growth went well.")
    other = make_directorate(name="Libraries", slug="libraries", short_name="LB")
    make_target(kpi := make_kpi(code="LB01", title="Books lent", directorate=other))
    make_result(kpi, "Q2 2019/20", 95)
    make_entry(make_refresh(), make_risk(title="Flooding of the depot"))
    return directorate


@pytest.fixture
def two_a_page(monkeypatch):
    monkeypatch.setattr(qpr_parts, "PAGE_SIZE", 2)


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.content.decode())


def _contents(html: str) -> list[tuple[str, str, bool]]:
    """The contents' links: (address, text, whether it is the current part)."""
    nav = re.search(r'<nav class="report-contents.*?</nav>', html, re.S).group(0)
    return [
        (href, text, bool(current))
        for href, current, text in re.findall(
            r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav
        )
    ]


def _h3(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h3>(.*?)</h3>", html, re.S)]


def test_the_contents_links_every_part_keeping_the_draft_and_marks_the_current(client, dan, growth):
    client.force_login(dan)
    front = _html(client, f"{QPR}?draft=yes")
    assert _contents(front) == [
        (f"{QPR}?draft=1", "Key and executive summary", True),
        (f"{QPR}?draft=1&part=growth", "Growth", False),
        (f"{QPR}?draft=1&part=libraries", "Libraries", False),
        (f"{QPR}?draft=1&part=risks", "Corporate risk register: overview", False),
    ]
    assert "(3 KPIs, 1 activity indicator, 3 tables)" in front
    assert 'id="key"' in front and 'id="summary"' in front and "report-kpi" not in front
    part = _html(client, f"{QPR}?draft=1&part=libraries")
    assert [current for _, _, current in _contents(part)] == [False, False, True, False]
    assert "Books lent" in part and "Growth measure" not in part and 'id="key"' not in part
    # The parts before and after, at the foot.
    assert f'<a href="{QPR}?draft=1&part=growth" rel="prev">' in part
    assert f'<a href="{QPR}?draft=1&part=risks" rel="next">' in part
    assert "Flooding of the depot" in _html(client, f"{QPR}?draft=1&part=risks")


def test_the_published_parts_keep_the_version_asked_for(client, dan, carol, growth):
    make_published(Report.Kind.QPR, user=dan)
    client.force_login(carol)
    latest = _contents(_html(client, f"{QPR}?part=growth"))
    assert [href for href, _, _ in latest][:2] == [QPR, f"{QPR}?part=growth"]
    # A reader's draft=… is not theirs to see: the published version, and links without it.
    ignored = _contents(_html(client, f"{QPR}?draft=please&part=growth"))
    assert [href for href, _, _ in ignored][:2] == [QPR, f"{QPR}?part=growth"]
    asked = _contents(_html(client, f"{QPR}?version=1&part=growth"))
    assert [href for href, _, _ in asked][:2] == [
        f"{QPR}?version=1",
        f"{QPR}?version=1&part=growth",
    ]


def test_a_directorate_is_paged_with_its_groups_headed_and_continued(
    client, dan, growth, two_a_page
):
    client.force_login(dan)
    url = f"{QPR}?draft=1&part=growth"
    pages = [_html(client, f"{url}&page={n}") for n in (1, 2, 3, 4)]
    for html in pages:  # the directorate's heading and people on every page
        assert ">Growth</h2>" in html and 'class="responsible"' in html
    first, second, third, fourth = pages
    assert _h3(first) == ["KPI summary", "Commentary", "Key performance indicators"]
    assert "Growth went well." in first
    assert re.findall(r"<h4>(GR0\d)", first) == ["GR01", "GR02"]
    assert "Items 1–2 of 7" in first
    assert _h3(second) == ["Key performance indicators (continued)", "Activity indicators"]
    assert re.findall(r"<h4>(GR0\d)", second) == ["GR03"]
    assert "Planning applications" in second and "Growth went well." not in second
    assert "Items 3–4 of 7" in second
    assert _h3(third) == ["Supporting tables"]
    assert re.findall(r"<caption>(Growth table \d)", third) == ["Growth table 1", "Growth table 2"]
    assert _h3(fourth) == ["Supporting tables (continued)"]
    assert re.findall(r"<caption>(Growth table \d)", fourth) == ["Growth table 3"]
    assert "Items 7–7 of 7" in fourth
    # The pager: its own navigation, the current page marked, the others linked.
    pager = re.search(
        r'<nav class="pagination no-print" aria-label="Pages of Growth">.*?</nav>', second, re.S
    )
    assert pager
    assert (
        '<span aria-current="page"><span class="visually-hidden">Page </span>2</span>'
        in pager.group(0)
    )
    assert f'<a href="{url}">Previous' in pager.group(0)
    assert f'<a href="{url}&page=3">Next' in pager.group(0)
    assert f'<a href="{url}&page=4"><span class="visually-hidden">Page </span>4</a>' in pager.group(
        0
    )
    # One page only: no pager, no counts.
    libraries = _html(client, f"{QPR}?draft=1&part=libraries")
    assert 'class="pagination' not in libraries and "Items " not in libraries


def test_an_unknown_part_is_not_found_and_a_bad_page_shows_the_nearest(
    client, dan, growth, two_a_page
):
    client.force_login(dan)
    assert client.get(f"{QPR}?draft=1&part=nowhere").status_code == 404
    assert client.get(f"{QPR}?draft=1&part=council-tables").status_code == 404  # none here
    url = f"{QPR}?draft=1&part=growth"
    assert "Items 7–7 of 7" in _html(client, f"{url}&page=99")
    assert "Items 1–2 of 7" in _html(client, f"{url}&page=first")
    assert "Items 1–2 of 7" in _html(client, f"{url}&page=-3")


def test_a_kpi_value_written_is_on_the_next_draft_page_and_not_on_the_published(
    client, dan, carol, growth, two_a_page
):
    make_published(Report.Kind.QPR, user=dan)
    draft, published = f"{QPR}?draft=1&part=growth&page=2", f"{QPR}?part=growth&page=2"
    client.force_login(dan)
    assert "<strong>93%</strong>" in _html(client, draft)
    client.force_login(carol)
    assert "<strong>93%</strong>" in _html(client, published)
    kpi = growth.kpis.get(code="GR03")
    KpiResult.objects.filter(kpi=kpi, period__start=Q2.start).update(value=Decimal(61))
    client.force_login(dan)
    html = _html(client, draft)
    assert "<strong>61%</strong>" in html and "<strong>93%</strong>" not in html
    client.force_login(carol)
    html = _html(client, published)
    assert "<strong>93%</strong>" in html and "<strong>61%</strong>" not in html


def _grow(directorate, more: int) -> None:
    for _ in range(more):
        kpi = make_kpi(directorate=directorate)
        make_target(kpi)
        make_result(kpi, "Q2 2019/20", 95)
        make_table(directorate=directorate)


def _count(client, url: str) -> int:
    lookups.clear()  # counted cold: the roles and quarters kept in memory are read too
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("part", ["", "&part=growth", "&part=growth&page=2", "&part=risks"])
def test_a_draft_part_queries_do_not_grow_with_the_data(
    client, dan, growth, part, django_assert_num_queries
):
    client.force_login(dan)
    url = f"{QPR}?draft=1{part}"
    small = _count(client, url)
    _grow(growth, 40)
    lookups.clear()
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("part", ["", "?part=growth", "?part=growth&page=3"])
def test_a_published_part_queries_do_not_grow_with_the_data(
    client, dan, carol, part, django_assert_num_queries
):
    directorate = make_directorate(name="Growth", slug="growth", short_name="GR")
    counts = []
    for more in (4, 60):
        _grow(directorate, more)
        report = make_published(Report.Kind.QPR, user=dan)
        client.force_login(carol)
        url = f"{QPR}?version={report.versions.count()}{part.replace('?', '&')}"
        missed = _count(client, url)  # rendered from the snapshot, read once
        counts.append((missed, _count(client, url)))
    (small_miss, small_hit), (big_miss, big_hit) = counts
    assert small_miss == big_miss and small_hit == big_hit
    lookups.clear()
    with django_assert_num_queries(small_hit):
        assert client.get(url).status_code == 200


def test_a_published_part_reads_its_snapshot_once_then_not_at_all(client, dan, carol, growth):
    make_published(Report.Kind.QPR, user=dan)
    client.force_login(carol)
    for url, reads in ((f"{QPR}?part=growth", 1), (f"{QPR}?part=growth", 0), (QPR, 1)):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        snapshots = [q for q in queries if '"reports_reportversion"."data"' in q["sql"]]
        assert len(snapshots) == reads, url


def test_only_the_page_shown_is_rendered(client, dan, growth, two_a_page, monkeypatch):
    """A page's charts are drawn for its own items, never for the whole report."""
    from reports import rendering

    drawn = []
    chart = rendering.kpi_chart
    monkeypatch.setattr(rendering, "kpi_chart", lambda k: drawn.append(k["code"]) or chart(k))
    client.force_login(dan)
    _html(client, f"{QPR}?draft=1&part=growth&page=2")
    assert drawn == ["GR03"]


def test_the_pdf_and_word_exports_still_hold_the_whole_report(client, dan, growth, monkeypatch):
    """The PDF is printed from the whole body (not a part): every directorate, every KPI."""
    printed = {}

    def fake_print(request, template, context, name, key):
        from django.http import HttpResponse
        from django.template.loader import render_to_string

        printed["html"] = render_to_string(template, context, request)
        return HttpResponse(b"%PDF", content_type="application/pdf")

    monkeypatch.setattr("reports.views.page_pdf", fake_print)
    client.force_login(dan)
    assert client.get(f"{QPR}?draft=1&part=growth&_export=pdf").status_code == 200
    html = printed["html"]
    assert html.count('class="report-kpi"') == 4
    for text in ("Growth table 3", "Books lent", "Flooding of the depot", 'id="key"'):
        assert text in html
    assert 'class="pagination' not in html


def test_the_draft_is_built_once_for_all_its_parts_until_the_data_changes(client, dan, growth):
    """Going through the draft's parts after a write builds the report's data once (the
    KPI results are read once), each part then rendered from it."""

    def results_read(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        # The results themselves (the page's heading counts the quarter's values apart).
        return sum(q["sql"].startswith('SELECT "kpis_kpiresult"."id"') for q in queries)

    client.force_login(dan)
    assert results_read(f"{QPR}?draft=1") > 0
    assert results_read(f"{QPR}?draft=1&part=growth") == 0
    assert results_read(f"{QPR}?draft=1&part=libraries") == 0
    KpiResult.objects.filter(kpi__code="LB01").update(value=Decimal(12))
    assert results_read(f"{QPR}?draft=1&part=libraries") > 0
    assert "<strong>12%</strong>" in _html(client, f"{QPR}?draft=1&part=libraries")


def test_council_wide_tables_are_a_part_of_their_own(client, dan, growth):
    make_table(title="Council budget by service")  # no directorate: council-wide
    client.force_login(dan)
    front = _html(client, f"{QPR}?draft=1")
    assert (f"{QPR}?draft=1&part=council-tables", "Council-wide tables", False) in _contents(front)
    part = _html(client, f"{QPR}?draft=1&part=council-tables")
    assert ">Council-wide tables</h2>" in part and "<caption>Council budget by service" in part
    assert "Growth table 1" not in part
    assert f'<a href="{QPR}?draft=1&part=risks" rel="next">' in part
