"""Query counts that do not grow with the data, and the benchmark pages against the
synthetic data."""

import random
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kccperf import lookups
from kccperf.models import ReportingPeriod
from kccperf.periods import Quarter
from monitoring.models import Delivery
from reports import bench, synthetic
from tests.factories import make_directorate
from tests.kpis.factories import make_kpi, make_result, make_target
from tests.monitoring.factories import make_activity, make_outcome, make_return
from tests.reports.factories import Q2, make_table

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    lookups.clear()  # counted cold: the roles and quarters kept in memory are read too
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _more_returns(count: int) -> None:
    outcome = make_outcome(1)
    for n in range(count):
        activity = make_activity(outcome=outcome, sdp_end=date(2020, 3, 31))
        delivery = (Delivery.ON_TRACK, Delivery.REMEDIAL)[n % 2]
        make_return(activity, delivery=delivery, issues=["capacity"])
        make_return(activity, Q2.previous(), delivery=Delivery.ON_TRACK)


def test_the_sdp_report_draft_queries_do_not_grow_with_the_returns(client, dan):
    client.force_login(dan)
    counts = []
    for more in (3, 20):
        _more_returns(more)
        counts.append(_queries(client, "/reports/sdp/2019-20-q2/outcome-1/"))
    assert counts[0] == counts[1]


def test_the_workbook_queries_do_not_grow_with_the_data(client, dan):
    client.force_login(dan)
    directorate = make_directorate()
    counts = []
    for more in (3, 20):
        _more_returns(more)
        for _ in range(more):
            kpi = make_kpi(directorate=directorate)
            make_target(kpi)
            make_result(kpi, "Q2 2019/20", 90)
            make_table(directorate=directorate)
        counts.append(_queries(client, "/reports/workbook/2019-20-q2.xlsx"))
    assert counts[0] == counts[1]


def test_the_word_file_queries_do_not_grow_with_the_data(client, dan):
    """The data queries stay the same, and the charts' pictures are read from the cache in
    one query. (Writing a newly drawn picture to the cache takes a few queries each, once per
    picture ever drawn: not counted here, since the pictures a request draws depend on what
    earlier requests drew.)"""
    client.force_login(dan)
    directorate = make_directorate()
    counts = []
    url = "/reports/qpr/2019-20-q2/?draft=1&_export=docx"
    for more in (3, 20):
        for n in range(more):
            kpi = make_kpi(directorate=directorate)
            make_target(kpi)
            make_result(kpi, "Q2 2019/20", 90 + n)
            make_table(directorate=directorate)
        client.get(url)  # draws the new charts and caches them
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        cache_reads = [q for q in queries if "kccperf_cache" in q["sql"]]
        assert len(cache_reads) == 1 and cache_reads[0]["sql"].startswith("SELECT")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_synthetic_tables_and_published_reports_serve_every_bench_page(client, cast):
    quarters = [Quarter(2019, 1), Quarter(2019, 2)]
    for quarter in quarters:
        ReportingPeriod.objects.ensure(quarter)
    make_directorate()
    make_outcome(1)
    synthetic.generate(1, random.Random(1), quarters)
    from reports.models import ReportTable, ReportVersion

    assert ReportTable.objects.filter(period__start=Q2.start).count() == synthetic.TABLES
    assert ReportVersion.objects.count() == 3
    synthetic.generate(1, random.Random(1), quarters)  # again: nothing new
    assert ReportVersion.objects.count() == 3
    client.force_login(cast["dan"])
    pages = bench.pages()
    assert len(pages) >= 15
    labels = {label: url for label, url, _ in pages}
    # The QPR's front part, its draft, and its first directorate's part (page 1).
    assert "reports: QPR published" in labels and "reports: QPR draft (live data)" in labels
    assert "?part=" in labels["reports: QPR directorate part, page 1 (published)"]
    for label, url, username in pages:
        assert username == "analyst"
        response = client.get(url)
        assert response.status_code == 200, (label, url)
