"""Publishing freezes a report; republishing keeps the earlier version and says what changed."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kccperf import lookups
from kpis.models import KpiResult
from reports.models import Report, ReportTable, ReportVersion
from reports.snapshots import diff
from tests.factories import make_directorate
from tests.kpis.factories import make_commentary, make_kpi, make_result, make_target
from tests.reports.factories import Q2, make_table

pytestmark = pytest.mark.django_db

URL = "/reports/qpr/2019-20-q2/"
# The Growth directorate's part of the QPR on screen (its KPIs and tables).
GROWTH = f"{URL}?part=growth"


@pytest.fixture
def data():
    directorate = make_directorate(name="Growth", slug="growth", short_name="GR")
    kpi = make_kpi(code="GR01", title="Homes built", directorate=directorate)
    make_target(kpi)
    make_result(kpi, "Q1 2019/20", 85)
    make_result(kpi, "Q2 2019/20", 91)
    make_commentary(directorate, text="Growth went well.")
    make_table(directorate=directorate, title="Homes by district")
    return kpi


def test_an_analyst_sees_the_draft_and_publishes_it(client, dan, data):
    client.force_login(dan)
    page = client.get(URL)
    assert page.status_code == 200 and page.context["is_draft"]
    assert "Publish this report" in page.content.decode()
    response = client.post(f"{URL}publish/", {"note": "For CMT on 5 November"})
    assert response.status_code == 302
    version = ReportVersion.objects.get()
    assert (version.number, version.published_by, version.note) == (1, dan, "For CMT on 5 November")
    assert version.data["summary"]["green"] == 1


def test_cmt_cannot_publish_or_see_a_draft(client, carol, data):
    client.force_login(carol)
    assert client.get(URL).status_code == 404
    assert client.post(f"{URL}publish/").status_code == 403
    assert client.get(f"{URL}?draft=1").status_code == 404


def test_a_published_report_does_not_change_when_the_data_does(client, dan, carol, data):
    client.force_login(dan)
    client.post(f"{URL}publish/")
    KpiResult.objects.filter(kpi=data, period__start=Q2.start).update(value=Decimal(70))
    table = ReportTable.objects.get()
    table.cells.filter(row=0, column=0).update(value=Decimal(42))
    client.force_login(carol)
    html = client.get(GROWTH).content.decode()
    assert "<strong>91%</strong>" in html and "<strong>70%</strong>" not in html
    assert '<td class="numeric">1</td>' in html and '<td class="numeric">42</td>' not in html
    # The analyst's draft shows the new data.
    client.force_login(dan)
    draft = client.get(f"{URL}?draft=1&part=growth").content.decode()
    assert "<strong>70%</strong>" in draft and '<td class="numeric">42</td>' in draft


def test_republishing_keeps_the_earlier_version_and_lists_what_changed(client, dan, carol, data):
    client.force_login(dan)
    client.post(f"{URL}publish/")
    KpiResult.objects.filter(kpi=data, period__start=Q2.start).update(value=Decimal(70))
    ReportTable.objects.get().cells.filter(row=0, column=0).update(value=Decimal(42))
    client.post(f"{URL}publish/", {"note": "Corrected GR01"})
    first, second = ReportVersion.objects.order_by("number")
    assert (first.number, second.number) == (1, 2)
    changes = {(c["where"], c["before"], c["after"]) for c in second.changes}
    assert ("Growth › KPIs › GR01 › value", "91%", "70%") in changes
    assert ("Growth › KPIs › GR01 › rag", "GREEN", "RED") in changes
    assert ("Growth › Tables › Homes by district › Row A › Col 1 › text", "1", "42") in changes
    assert ("Executive summary counts › green", "1", "0") in changes
    client.force_login(carol)
    latest = client.get(GROWTH).content.decode()
    assert "<strong>70%</strong>" in latest and "Corrected GR01" in latest
    assert "Growth › KPIs › GR01 › value" in latest
    earlier = client.get(f"{URL}?version=1&part=growth").content.decode()
    assert "<strong>91%</strong>" in earlier


def test_the_versions_page_lists_each_version_and_its_changes(client, dan, data):
    client.force_login(dan)
    client.post(f"{URL}publish/")
    KpiResult.objects.filter(kpi=data, period__start=Q2.start).update(value=Decimal(88))
    client.post(f"{URL}publish/")
    html = client.get(f"{URL}versions/").content.decode()
    assert "Version 1" in html and "Version 2" in html
    assert "Growth › KPIs › GR01 › value" in html


def test_the_diff_of_equal_snapshots_is_empty_and_matches_list_items_by_key():
    old = {"kpis": [{"code": "A", "value": "1"}, {"code": "B", "value": "2"}]}
    new = {"kpis": [{"code": "B", "value": "2"}, {"code": "A", "value": "1"}]}
    assert diff(old, old) == []
    assert diff(old, new) == []
    added = {"kpis": [*old["kpis"], {"code": "C", "value": "3"}]}
    assert {"where": "KPIs › C › value", "before": "(none)", "after": "3"} in diff(old, added)


def test_analysts_edit_the_report_texts_which_publishing_freezes(client, dan, carol, data):
    client.force_login(dan)
    response = client.post(
        f"{URL}texts/",
        {"summary": "A quarter of steady progress.", "data_quality": "", "version": "0"},
    )
    assert response.status_code == 302
    assert Report.objects.get().texts == {"summary": "A quarter of steady progress."}
    client.post(f"{URL}publish/")
    response = client.post(f"{URL}texts/", {"summary": "Changed after publishing.", "version": "1"})
    assert response.status_code == 302
    assert Report.objects.get().texts == {"summary": "Changed after publishing."}
    client.force_login(carol)
    html = client.get(URL).content.decode()
    assert "A quarter of steady progress." in html
    assert "Changed after publishing." not in html


def _queries(client, url: str) -> int:
    lookups.clear()  # counted cold: the roles and quarters kept in memory are read too
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_qpr_draft_queries_do_not_grow_with_the_data(client, dan, django_assert_num_queries):
    client.force_login(dan)
    directorate = make_directorate()
    counts = []
    for more in (3, 30):
        for _ in range(more):
            kpi = make_kpi(directorate=directorate)
            make_target(kpi)
            make_result(kpi, "Q2 2019/20", 95)
            make_table(directorate=directorate)
        counts.append(_queries(client, URL))
    assert counts[0] == counts[1]


def test_the_published_qpr_reads_one_version_whatever_its_size(client, dan, carol):
    directorate = make_directorate()
    for _ in range(20):
        kpi = make_kpi(directorate=directorate)
        make_target(kpi)
        make_result(kpi, "Q2 2019/20", 95)
    client.force_login(dan)
    client.post(f"{URL}publish/")
    client.force_login(carol)
    # The first reader renders the version from its snapshot, read once, and keeps the HTML
    # in the shared figure cache (writing it there takes a few queries, once).
    lookups.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    snapshot_reads = [q for q in queries if '"reports_reportversion"."data"' in q["sql"]]
    assert len(snapshot_reads) == 1
    # Then: session, user, versions, groups/perms, period switcher, latest period, report,
    # versions' numbers and dates, the cached HTML.
    assert _queries(client, URL) <= 10


def test_the_index_lists_published_reports_for_cmt_and_drafts_for_analysts(client, dan, carol):
    from tests.reports.factories import make_published

    make_published(Report.Kind.QPR)
    client.force_login(carol)
    html = client.get("/reports/2019-20-q2/").content.decode()
    assert "Quarterly Performance Report" in html and "Published, version 1" in html
    assert "SDP monitoring report: council-wide" not in html
    client.force_login(dan)
    html = client.get("/reports/2019-20-q2/").content.decode()
    assert "SDP monitoring report: council-wide" in html and "Draft (not published)" in html


def test_the_home_page_panel_lists_the_published_reports(client, carol, alice, dan):
    from tests.reports.factories import make_published

    make_published(Report.Kind.QPR)
    client.force_login(carol)
    html = client.get("/?period=2019-20-q2").content.decode()
    assert "Quarterly Performance Report, Q2 2019/20</a>: version 1" in html
    client.force_login(alice)
    assert "reports-panel-title" not in client.get("/").content.decode()
