"""A quarter in progress says so, and compares like with like.

The same half-reported Q3 2019/20 (KPIs, SDP returns, a risk refresh) is read while Q3 is
collecting and after it is closed. While collecting, every page showing Q3 says how complete
it is and no comparison reports a fall that is only missing data, on the pages, in the report
draft and in the exports; closed, the plain comparison is back.

The data:
- KPIs (target 90, floor 80): A Green in both quarters; B and C Green in Q2 with no Q3 value
  yet; D Red in Q2, Green in Q3. Plain: Green 3 -> 2, "down 1". Like for like (A and D):
  Green 1 -> 2, "up 1".
- Returns: four activities all on track in Q2; two have submitted Q3 returns, both on
  track. Plain: on track "down from 4"; like for like: "2 like for like, the same as".
- Risks: three open risks in the Q2 refresh; the Q3 refresh covers one. Plain: two removed;
  collecting: none removed, two not yet refreshed.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from kccperf.comparison import comparison_basis
from kccperf.models import ReportingPeriod, Stage
from kccperf.periods import Quarter
from kpis.models import Kpi
from monitoring import figures
from reports.builders import build
from reports.models import Report
from risks.overview import overview_for
from risks.reporting import register_section
from tests.kpis.factories import make_kpi, make_result, make_target
from tests.monitoring.factories import make_activity, make_return
from tests.risks.factories import make_entry, make_refresh, make_risk

Q2 = Quarter(2019, 2)
Q3 = Quarter(2019, 3)


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _half_reported_q3(alice) -> dict:
    for label in ("A", "B", "C", "D"):
        kpi = make_kpi(code=f"K{label}", title=f"KPI {label}")
        make_target(kpi, target=Decimal(90), floor=Decimal(80))
        make_result(kpi, Q2, value=70 if label == "D" else 95)
        if label in ("A", "D"):
            make_result(kpi, Q3, value=95)
    activities = [make_activity(lead_officer=alice) for _ in range(4)]
    for activity in activities:
        make_return(activity, Q2)
    for activity in activities[:2]:
        make_return(activity, Q3)
    risks = [make_risk() for _ in range(3)]
    q2_refresh = make_refresh("2019-09-30", period=ReportingPeriod.objects.ensure(Q2))
    q3_refresh = make_refresh("2019-12-31", period=ReportingPeriod.objects.ensure(Q3))
    for risk in risks:
        make_entry(q2_refresh, risk)
    make_entry(q3_refresh, risks[0])
    ReportingPeriod.objects.for_quarter(Q2).close()
    q3 = ReportingPeriod.objects.for_quarter(Q3)
    q3.open_for_returns()
    return {"q3": q3, "q3_refresh": q3_refresh, "risks": risks}


@pytest.fixture
def collecting(alice):
    return _half_reported_q3(alice)


@pytest.fixture
def closed(alice):
    data = _half_reported_q3(alice)
    data["q3"].close()
    return data


# The rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "current", "previous", "like_for_like", "matched"),
    [
        (Stage.COLLECTING, {1, 4}, {1, 2, 3, 4}, True, {1, 4}),
        (None, set(), {1, 2}, True, set()),  # not on record yet: all its data is to come
        (Stage.CLOSED, {1, 4}, {1, 2, 3, 4}, False, {1, 4}),
        (Stage.PUBLISHED, {1, 4}, {1, 2, 3, 4}, False, {1, 4}),
        (Stage.COLLECTING, {1, 2, 5}, {1, 2}, False, {1, 2}),  # nothing missing: plain
    ],
)
def test_a_collecting_quarter_with_data_missing_is_compared_like_for_like(
    stage, current, previous, like_for_like, matched
):
    basis = comparison_basis(stage, current, previous, noun="KPIs", previous_label="Q2")
    assert basis.like_for_like is like_for_like
    assert basis.matched == matched
    assert basis.includes(2) is (not like_for_like)
    assert basis.withheld is (like_for_like and not matched)
    assert bool(basis.note) is like_for_like


# The notice ------------------------------------------------------------------------------


def test_every_page_showing_a_collecting_quarter_says_how_complete_it_is(client, dan, collecting):
    client.force_login(dan)
    notice = (
        "Q3 2019/20 is still collecting: 2 of 4 returns in; 2 of 4 KPI values entered; "
        "1 of 3 open risks in the quarter's refresh."
    )
    for url in (
        reverse("kpis:scorecard", kwargs={"period": Q3}),
        reverse("kpis:summary", kwargs={"period": Q3}),
        reverse("monitoring:council-dashboard", kwargs={"period": Q3}),
        reverse("risks:overview-period", kwargs={"period": Q3}),
        reverse("reports:qpr", kwargs={"period": Q3}),
    ):
        assert notice in _text(client.get(url)), url
    # A closed quarter's pages carry no notice.
    assert "still collecting" not in _text(
        client.get(reverse("kpis:summary", kwargs={"period": Q2}))
    )


def test_a_lead_officer_sees_the_completeness_of_their_own_returns(client, alice, bob, collecting):
    client.force_login(bob)  # leads nothing: no returns part, and no KPIs or risks
    page = _text(client.get(reverse("monitoring:my-returns-period", kwargs={"period": Q3})))
    assert "Q3 2019/20 is still collecting." in page
    client.force_login(alice)
    page = _text(client.get(reverse("monitoring:my-returns-period", kwargs={"period": Q3})))
    assert "Q3 2019/20 is still collecting: 2 of 4 returns in." in page


def test_the_notice_costs_three_count_queries_only_while_collecting(
    client, dan, collecting, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(dan)
    url = reverse("kpis:summary", kwargs={"period": Q3})
    client.get(url)
    with CaptureQueriesContext(connection) as collecting_queries:
        client.get(url)
    # counted now: a request outside a capture empties the connection's log of queries
    while_collecting = len(collecting_queries)
    collecting["q3"].close()
    client.get(url)  # the quarters and roles kept in memory are read again after the change
    with CaptureQueriesContext(connection) as closed_queries:
        client.get(url)
    assert while_collecting - len(closed_queries) == 3


# KPIs --------------------------------------------------------------------------------------


def test_kpis_of_a_collecting_quarter_compare_the_kpis_with_values_in_both(client, dan, collecting):
    client.force_login(dan)
    page = _text(client.get(reverse("kpis:summary", kwargs={"period": Q3})))
    assert (
        "The number of Green KPIs is up 1 on Q2 2019/20 among the 2 KPIs with a value in "
        "both quarters." in page
    )
    assert "down 1" not in page and "Down 1" not in page
    assert (
        "Compared with Q2 2019/20 among the 2 KPIs with a value in both quarters (2 not in yet)."
        in page
    )
    # "No longer Green" lists no KPI that simply has no value yet.
    lost = client.get(reverse("kpis:scorecard", kwargs={"period": Q3}) + "?green=lost")
    assert "KB" not in _text(lost) and "KC" not in _text(lost)
    gained = _text(client.get(reverse("kpis:scorecard", kwargs={"period": Q3}) + "?green=gained"))
    assert "KD" in gained


def test_kpis_of_the_same_quarter_closed_compare_plainly(client, dan, closed):
    client.force_login(dan)
    page = _text(client.get(reverse("kpis:summary", kwargs={"period": Q3})))
    assert "The number of Green KPIs is down 1 on Q2 2019/20." in page
    assert "like for like" not in page and "still collecting" not in page
    lost = _text(client.get(reverse("kpis:scorecard", kwargs={"period": Q3}) + "?green=lost"))
    assert "KB" in lost and "KC" in lost


def test_the_kpi_summary_counts_are_the_rule_s(collecting):
    summary = Kpi.objects.all().scorecard(Q3).summary()
    assert (summary.green, summary.green_change, summary.like_for_like) == (2, 1, True)
    plain = Kpi.objects.all().scorecard(Q3, stage=Stage.CLOSED).summary()
    assert (plain.green, plain.green_change, plain.like_for_like) == (2, -1, False)


# Returns -----------------------------------------------------------------------------------


def test_the_dashboard_of_a_collecting_quarter_compares_the_activities_in_both(
    client, dan, collecting
):
    client.force_login(dan)
    url = reverse("monitoring:council-dashboard", kwargs={"period": Q3})
    page = _text(client.get(url))
    assert "2 like for like, the same as in Q2" in page
    assert "down from 4" not in page
    assert (
        "Compared with Q2 2019/20 among the 2 activities that responded in both quarters "
        "(2 not in yet)." in page
    )
    rows = {
        r["key"]: r
        for r in csv.DictReader(
            io.StringIO(client.get(url + "?_export=figures").content.decode("utf-8-sig"))
        )
    }
    on_track = rows["delivery.on_track"]
    assert (on_track["count"], on_track["previous_count"], on_track["compared_count"]) == (
        "2",
        "2",
        "2",
    )
    assert rows["responses.submitted"]["comparison"] == "still collecting"


def test_the_dashboard_of_the_same_quarter_closed_compares_plainly(client, dan, closed):
    client.force_login(dan)
    url = reverse("monitoring:council-dashboard", kwargs={"period": Q3})
    page = _text(client.get(url))
    assert "down from 4 in Q2" in page
    assert "like for like" not in page
    rows = {
        r["key"]: r
        for r in csv.DictReader(
            io.StringIO(client.get(url + "?_export=figures").content.decode("utf-8-sig"))
        )
    }
    assert (rows["delivery.on_track"]["count"], rows["delivery.on_track"]["previous_count"]) == (
        "2",
        "4",
    )
    assert "compared_count" not in rows["delivery.on_track"]


def test_the_analysis_draft_reports_no_fall_that_is_only_missing_returns(collecting):
    from monitoring import analysis

    text = analysis.draft(figures.dashboard(Q3), "the council")
    assert "down from 4" not in text
    assert "still collecting)" in text
    assert "2 like for like, the same as in Q2" in text
    plain = analysis.draft(figures.dashboard(Q3, stage=Stage.CLOSED), "the council")
    assert "down from 4 in Q2" in plain


# Risks -------------------------------------------------------------------------------------


def test_risks_not_yet_in_a_collecting_refresh_are_not_removed(client, dan, collecting):
    overview = overview_for(collecting["q3_refresh"])
    assert overview.removed == []
    assert overview.not_yet_refreshed == collecting["risks"][1:]
    client.force_login(dan)
    page = _text(client.get(reverse("risks:overview-period", kwargs={"period": Q3})))
    assert "Removed risks (0)" in page
    assert "Not yet refreshed (2)" in page


def test_the_same_refresh_closed_shows_them_removed(client, dan, closed):
    closed["q3_refresh"].refresh_from_db()
    overview = overview_for(closed["q3_refresh"])
    assert overview.removed == closed["risks"][1:]
    assert overview.not_yet_refreshed == []
    client.force_login(dan)
    page = _text(client.get(reverse("risks:overview-period", kwargs={"period": Q3})))
    assert "Removed risks (2)" in page
    assert "Not yet refreshed" not in page


def test_the_register_section_of_the_report_follows_the_same_rule(collecting):
    section = register_section(Q3)
    assert section["removed"] == []
    assert [r["ref"] for r in section["not_yet_refreshed"]] == [
        r.ref for r in collecting["risks"][1:]
    ]


# The report draft and its Word file ----------------------------------------------------------


def test_the_qpr_draft_of_a_collecting_quarter_compares_like_for_like(client, dan, collecting):
    report = Report(kind=Report.Kind.QPR, period=collecting["q3"])
    data = build(report)
    assert data["summary"]["green_change"] == 1
    assert data["summary"]["like_for_like"] is True
    assert "(1 more than in Q2 2019/20, like for like)" in data["summary_text"]
    assert "fewer" not in data["summary_text"]
    client.force_login(dan)
    url = reverse("reports:qpr", kwargs={"period": Q3})
    page = _text(client.get(url + "?draft=1"))
    assert "1 in Q2 2019/20 (like for like)" in page  # Green in Q2 among A and D
    docx = client.get(url + "?draft=1&_export=docx")
    assert docx.status_code == 200
    words = _docx_text(docx.content)
    assert "Q2 2019/20 (like for like)" in words
    assert "among the 2 KPIs with a value in both quarters" in words


def test_the_qpr_of_the_same_quarter_closed_compares_plainly(closed):
    data = build(Report(kind=Report.Kind.QPR, period=closed["q3"]))
    assert data["summary"]["green_change"] == -1
    assert "like_for_like" not in data["summary"]
    assert "(1 fewer than in Q2 2019/20)" in data["summary_text"]


def _docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


# The analyst workbook and the SDP report ----------------------------------------------------


def _sheet(content: bytes, title: str) -> list[dict]:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True)[title]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_workbook_figures_sheet_compares_like_for_like_while_collecting(
    client, dan, collecting
):
    client.force_login(dan)
    url = reverse("reports:workbook", kwargs={"period": Q3})
    rows = _sheet(client.get(url).content, "Outcome figures")
    on_track = next(
        r for r in rows if r["Scope"] == "Council-wide" and r["Key"] == "delivery.on_track"
    )
    assert (on_track["Count"], on_track["Previous count"]) == (2, 2)
    assert on_track["Count among activities in both quarters"] == 2
    assert "among the 2 activities that responded in both quarters" in on_track["Comparison"]
    collecting["q3"].close()
    rows = _sheet(client.get(url).content, "Outcome figures")
    on_track = next(
        r for r in rows if r["Scope"] == "Council-wide" and r["Key"] == "delivery.on_track"
    )
    assert (on_track["Count"], on_track["Previous count"]) == (2, 4)
    assert "Comparison" not in on_track


def test_the_sdp_report_draft_compares_like_for_like_while_collecting(client, dan, collecting):
    data = build(Report(kind=Report.Kind.SDP_COUNCIL, period=collecting["q3"]))
    on_track = next(f for f in data["overview"] if f["key"] == "delivery.on_track")
    assert on_track["change"] == "2 like for like, the same as in Q2"
    assert "2 activities that responded in both quarters" in data["comparison_note"]
    client.force_login(dan)
    page = _text(client.get(reverse("reports:sdp-council", kwargs={"period": Q3}) + "?draft=1"))
    assert "2 like for like, the same as in Q2" in page
    assert "down from 4" not in page
    collecting["q3"].close()
    plain = build(Report(kind=Report.Kind.SDP_COUNCIL, period=collecting["q3"]))
    on_track = next(f for f in plain["overview"] if f["key"] == "delivery.on_track")
    assert on_track["change"] == "down from 4 in Q2"
    assert "comparison_note" not in plain


def test_an_activity_closed_before_the_quarter_is_not_missing_from_it(alice):
    kept = make_activity(lead_officer=alice)
    closed = make_activity(lead_officer=alice, is_active=False, closed_from=Q3.start)
    for activity in (kept, closed):
        make_return(activity, Q2)
    make_return(kept, Q3)
    ReportingPeriod.objects.ensure(Q3).open_for_returns()
    d = figures.dashboard(Q3)
    assert not d.like_for_like  # every activity due in Q3 has responded: plain
    assert d["responses.submitted"].change(d.previous_label) == "down from 2 in Q2"


def test_a_risk_taken_off_the_register_is_removed_even_while_collecting(db):
    kept, taken_off = make_risk(), make_risk()
    q2_refresh = make_refresh("2019-09-30", period=ReportingPeriod.objects.ensure(Q2))
    q3_refresh = make_refresh("2019-12-31", period=ReportingPeriod.objects.ensure(Q3))
    for risk in (kept, taken_off):
        make_entry(q2_refresh, risk)
    make_entry(q3_refresh, kept)
    taken_off.status, taken_off.removal_reason = "removed", "Managed at directorate level"
    taken_off.save()
    overview = overview_for(q3_refresh)
    assert overview.removed == [taken_off]
    assert overview.not_yet_refreshed == []
    assert not overview.basis.like_for_like


def test_an_empty_collecting_quarter_withholds_the_comparison_with_the_reason(client, carol):
    """The issue's case: Q3 exists (a risk refresh made it) with no KPI value yet."""
    for label in ("A", "B"):
        kpi = make_kpi(code=f"E{label}")
        make_target(kpi, target=Decimal(90), floor=Decimal(80))
        make_result(kpi, Q2, value=95)
    ReportingPeriod.objects.for_quarter(Q2).close()
    ReportingPeriod.objects.ensure(Q3)
    client.force_login(carol)
    from kpis.views import home_panel

    response = client.get(reverse("kpis:summary", kwargs={"period": Q3}))
    summary = _text(response)
    panel = " ".join(
        unescape(re.sub(r"<[^>]+>", " ", home_panel(response.wsgi_request, Q3))).split()
    )
    reason = (
        "No comparison with Q2 2019/20 yet: none of the KPIs with a value in Q2 2019/20 "
        "has reported this quarter."
    )
    for page in (summary, panel):
        assert not re.search(r"\bdown (from )?\d", page.lower()), page
        assert reason in page
    assert "Q3 2019/20 is still collecting: 0 of 2 KPI values entered" in summary
    data = build(Report(kind=Report.Kind.QPR, period=ReportingPeriod.objects.for_quarter(Q3)))
    assert data["summary"]["withheld"] is True
    assert "fewer" not in data["summary_text"]
    assert "No comparison with Q2 2019/20 yet" in data["summary_text"]
