"""The reports' pages from the figure cache: a published version's HTML is rendered once and
served without reading its snapshot; a draft is kept under the versions of every app it
reads, so any write (a KPI value, a return, a risk, the report's texts, a supporting table)
is in the very next draft."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpis.models import KpiResult
from monitoring.models import Activity
from reports.models import Report, ReportTableCell
from risks.models import Risk
from tests.factories import make_directorate
from tests.kpis.factories import make_kpi, make_result, make_target
from tests.monitoring.factories import make_activity, make_outcome, make_return
from tests.reports.factories import Q2, make_published, make_report, make_table
from tests.risks.factories import make_entry, make_refresh, make_risk

pytestmark = pytest.mark.django_db

QPR = "/reports/qpr/2019-20-q2/"
DRAFT = f"{QPR}?draft=1"
# The QPR on screen is in parts: the directorate's KPIs and tables, the risk overview.
GROWTH_DRAFT = f"{QPR}?draft=1&part=growth"
GROWTH = f"{QPR}?part=growth"
RISKS_DRAFT = f"{QPR}?draft=1&part=risks"
SDP_DRAFT = "/reports/sdp/2019-20-q2/outcome-1/?draft=1"


def _page(client, url: str) -> tuple[str, bool]:
    """The page's HTML and whether its body came from the cache (no body template used)."""
    response = client.get(url)
    assert response.status_code == 200, url
    bodies = ("reports/_qpr_part.html", "reports/_qpr_body.html", "reports/_sdp_body.html")
    rendered = any(t.name in bodies for t in response.templates)
    return response.content.decode(), not rendered


@pytest.fixture
def qpr_data():
    directorate = make_directorate(name="Growth", slug="growth", short_name="GR")
    kpi = make_kpi(code="GR01", title="Homes built", directorate=directorate, unit="number")
    make_target(kpi)
    make_result(kpi, "Q1 2019/20", 85)
    make_result(kpi, "Q2 2019/20", 91)
    make_table(directorate=directorate, title="Homes by district")
    make_entry(make_refresh(), make_risk(title="Flooding of the depot"))
    return kpi


def test_the_qpr_draft_is_served_from_the_cache_until_a_kpi_value_changes(client, dan, qpr_data):
    client.force_login(dan)
    html, cached = _page(client, GROWTH_DRAFT)
    assert not cached and "Homes built" in html and "4,321" not in html
    html, cached = _page(client, GROWTH_DRAFT)
    assert cached and "Homes built" in html
    KpiResult.objects.filter(kpi=qpr_data, period__start=Q2.start).update(value=Decimal(4321))
    html, cached = _page(client, GROWTH_DRAFT)
    assert not cached and "4,321" in html
    assert _page(client, GROWTH_DRAFT)[1]


def test_the_report_texts_edited_are_in_the_next_draft(client, dan, qpr_data):
    client.force_login(dan)
    _page(client, DRAFT)
    assert _page(client, DRAFT)[1]
    url = f"{QPR}texts/"
    form = client.get(url)
    version = form.context["form"]["version"].value()
    response = client.post(url, {"summary": "A quarter of steady growth.", "version": version})
    assert response.status_code == 302
    html, cached = _page(client, DRAFT)
    assert not cached and "A quarter of steady growth." in html


def test_a_supporting_table_and_a_risk_written_are_in_the_next_draft(client, dan, qpr_data):
    client.force_login(dan)
    assert "Flooding of the depot" in _page(client, RISKS_DRAFT)[0]
    _page(client, GROWTH_DRAFT)
    ReportTableCell.objects.filter(row=0, column=0).update(value=Decimal(98765))
    html, cached = _page(client, GROWTH_DRAFT)
    assert not cached and "98,765" in html
    assert _page(client, GROWTH_DRAFT)[1]
    Risk.objects.filter(title="Flooding of the depot").update(title="Flooding of the archive")
    html, cached = _page(client, RISKS_DRAFT)
    assert not cached and "Flooding of the archive" in html


def test_a_return_written_is_in_the_next_sdp_draft(client, dan):
    outcome = make_outcome(1)
    make_return(make_activity(outcome=outcome, title="Libraries reopened"))
    client.force_login(dan)
    html, cached = _page(client, SDP_DRAFT)
    assert not cached and "Libraries reopened" in html
    assert _page(client, SDP_DRAFT)[1]
    make_return(make_activity(outcome=outcome, title="Bus routes restored"))
    html, cached = _page(client, SDP_DRAFT)
    assert not cached and "Bus routes restored" in html
    Activity.objects.filter(title="Libraries reopened").update(title="Libraries renovated")
    html, cached = _page(client, SDP_DRAFT)
    assert "Libraries renovated" in html and "Libraries reopened" not in html


def test_a_draft_for_an_analyst_is_not_the_published_page_of_a_reader(client, dan, carol, qpr_data):
    """The draft (with the analysts' links to write commentary) and the published version
    are kept apart; a reader of the published version never gets the draft's HTML."""
    make_published(Report.Kind.QPR, user=dan)
    client.force_login(dan)
    draft, _ = _page(client, DRAFT)
    assert "Write the Growth commentary" in draft
    client.force_login(carol)
    published, _ = _page(client, QPR)
    assert "Write the Growth commentary" not in published
    assert "Homes built" in _page(client, GROWTH)[0]


def test_a_published_version_is_rendered_once_and_served_without_its_snapshot(
    client, dan, carol, qpr_data
):
    make_published(Report.Kind.QPR, user=dan)
    client.force_login(carol)
    html, cached = _page(client, GROWTH)
    assert not cached and "Homes built" in html
    with CaptureQueriesContext(connection) as queries:
        html, cached = _page(client, GROWTH)
    assert cached and "Homes built" in html
    # The snapshot (a megabyte at 10×) is not read: the version's number and date only.
    version_reads = [q["sql"] for q in queries if "reports_reportversion" in q["sql"]]
    assert version_reads and not any('"data"' in sql for sql in version_reads)
    # The data changes; the published version does not, and is still served from the cache.
    KpiResult.objects.filter(kpi=qpr_data, period__start=Q2.start).update(value=Decimal(4321))
    html, cached = _page(client, GROWTH)
    assert cached and "4,321" not in html and "Homes built" in html


def test_the_versions_page_does_not_read_the_snapshots(client, dan, qpr_data):
    report = make_report(Report.Kind.QPR)
    make_published(Report.Kind.QPR, user=dan)
    assert report.versions.count() == 1
    client.force_login(dan)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{QPR}versions/").status_code == 200
    version_reads = [q["sql"] for q in queries if "reports_reportversion" in q["sql"]]
    assert version_reads and not any('"data"' in sql for sql in version_reads)


def _workbook(client) -> tuple[object, bool]:
    """The analyst workbook and whether its data sheets came from the cache (no query of
    the KPI results)."""
    import io

    from openpyxl import load_workbook

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/reports/workbook/2019-20-q2.xlsx")
    assert response.status_code == 200
    cached = not any("kpis_kpiresult" in q["sql"] for q in queries)
    return load_workbook(io.BytesIO(response.content)), cached


def test_the_workbook_sheets_are_kept_until_the_data_changes(client, dan, qpr_data):
    client.force_login(dan)
    workbook, cached = _workbook(client)
    assert not cached
    workbook, cached = _workbook(client)
    assert cached
    kpis = list(workbook["KPI scorecard"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[6]) for row in kpis] == [("GR01", 91)]
    # The "About" sheet is made for each download: its extraction time is now.
    assert workbook.sheetnames[0] == "About"
    KpiResult.objects.filter(kpi=qpr_data, period__start=Q2.start).update(value=Decimal(4321))
    workbook, cached = _workbook(client)
    assert not cached
    kpis = list(workbook["KPI scorecard"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[6]) for row in kpis] == [("GR01", 4321)]
    ReportTableCell.objects.filter(row=0, column=0).update(value=Decimal(98765))
    workbook, cached = _workbook(client)
    cells = list(workbook["Supporting tables"].iter_rows(min_row=2, values_only=True))
    assert 98765 in [row[8] for row in cells]
