"""A directorate's scorecard downloads as CSV and XLSX: that directorate's KPIs only, the
council scorecard's columns, by the export rule (CMT read the page, download nothing)."""

from __future__ import annotations

import csv
import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kccperf import lookups
from kccperf.periods import Quarter, quarters_between
from tests.factories import make_directorate
from tests.kpis.factories import make_scored_kpis
from tests.spreadsheets import assert_named

Q2 = Quarter(2019, 2)
FEW = ("Q1 2019/20", "Q2 2019/20")
MANY = tuple(q.label for q in quarters_between(Quarter(2015, 1), Quarter(2019, 2)))


def _url(directorate, export: str = "") -> str:
    url = reverse("kpis:directorate", kwargs={"slug": directorate.slug, "period": Q2})
    return f"{url}?_export={export}" if export else url


def _two_directorates():
    ours, other = make_directorate(), make_directorate()
    kpis = make_scored_kpis(3, quarters=FEW, directorate=ours)
    make_scored_kpis(2, quarters=FEW, directorate=other)
    return ours, kpis


def test_the_csv_holds_the_directorates_kpis_with_the_scorecards_columns(analyst_client):
    directorate, kpis = _two_directorates()
    response = analyst_client.get(_url(directorate, "csv"))
    assert response.status_code == 200
    assert_named(response, f"kpi-scorecard-{directorate.slug}-2019-20-Q2", "csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    council = analyst_client.get(reverse("kpis:scorecard", kwargs={"period": Q2}) + "?_export=csv")
    council_rows = list(csv.reader(io.StringIO(council.content.decode("utf-8-sig"))))
    assert rows[0] == council_rows[0]  # the same columns
    assert sorted(row[0] for row in rows[1:]) == sorted(k.code for k in kpis)
    assert {row[2] for row in rows[1:]} == {directorate.name}
    assert all(row in council_rows for row in rows[1:])  # the same values


def test_the_xlsx_names_the_directorate_on_its_about_sheet(analyst_client):
    directorate, kpis = _two_directorates()
    response = analyst_client.get(_url(directorate, "xlsx"))
    assert_named(response, f"kpi-scorecard-{directorate.slug}-2019-20-Q2", "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    about = dict(workbook["About"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert about["Report"] == "Directorate KPI scorecard"
    assert about["Scope"] == directorate.name and about["Quarter"] == "Q2 2019/20"
    data = workbook.active
    assert data.freeze_panes == "A2"
    assert [row[0] for row in data.iter_rows(min_row=2, values_only=True)] == sorted(
        k.code for k in kpis
    )


def test_analysts_see_the_download_links_and_cmt_neither_links_nor_files(client, dan, carol):
    directorate, _ = _two_directorates()
    client.force_login(dan)
    page = client.get(_url(directorate)).content.decode()
    assert (
        f"{_url(directorate)}?_export=csv" in page and f"{_url(directorate)}?_export=xlsx" in page
    )
    client.force_login(carol)
    page = client.get(_url(directorate)).content.decode()
    assert "_export=" not in page
    assert client.get(_url(directorate, "csv")).status_code == 403
    assert client.get(_url(directorate, "pdf")).status_code == 400


def _count(client, url) -> int:
    lookups.clear()  # counted cold: the kept roles and quarters are read too
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_download_runs_the_same_queries_for_3_or_30_kpis(
    analyst_client, django_assert_num_queries
):
    directorate = make_directorate()
    make_scored_kpis(3, quarters=FEW, directorate=directorate)
    url = _url(directorate, "xlsx")
    few = _count(analyst_client, url)
    make_scored_kpis(27, quarters=MANY, directorate=directorate)
    assert _count(analyst_client, url) == few
    # read again: session, user, SET CONSTRAINTS and the data versions (permissions and
    # reporting periods kept in memory under them: kccperf.lookups), directorate, KPIs,
    # results, targets
    with django_assert_num_queries(8):
        analyst_client.get(url)
