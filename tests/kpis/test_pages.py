"""Executive summary, directorate scorecard, KPI detail and activity indicator pages."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from kccperf.models import CabinetMember, Portfolio
from kccperf.periods import Quarter
from kpis.services import record_result, verify_results
from tests.factories import day, make_directorate
from tests.kpis.factories import (
    make_commentary,
    make_indicator,
    make_indicator_value,
    make_kpi,
    make_result,
    make_target,
)
from tests.kpis.pages import kpi_boxes, text

Q2 = Quarter(2019, 2)


def test_the_summary_links_each_number_to_the_kpis_behind_it(analyst_client):
    directorate = make_directorate(slug="north")
    for code, q1, q2 in [("A", 85, 95), ("B", 95, 92), ("C", 60, 85)]:
        kpi = make_kpi(code=code, directorate=directorate)
        make_target(kpi)
        make_result(kpi, "Q1 2019/20", q1)
        make_result(kpi, "Q2 2019/20", q2)
    html = analyst_client.get(reverse("kpis:summary", kwargs={"period": Q2})).content.decode()
    scorecard = reverse("kpis:scorecard", kwargs={"period": Q2})
    page = text(html)
    assert "Of the 3 KPIs rated in Q2 2019/20, 2 are Green, 1 Amber and 0 Red." in page
    assert "The number of Green KPIs is up 1 on Q1 2019/20." in page
    assert "2 improved, 0 stayed the same and 1 worsened." in page
    assert f'href="{scorecard}?green=gained">up 1</a>' in html
    assert f'href="{scorecard}?directorate=north&amp;rag=AMBER">1<' in html


def test_the_directorate_scorecard_shows_who_is_responsible_and_each_kpi_box(analyst_client):
    directorate = make_directorate(name="North", slug="north", corporate_director="Jo Director")
    member = CabinetMember.objects.create(name="Cllr Old")
    Portfolio.objects.create(
        cabinet_member=member,
        directorate=directorate,
        title="X",
        starts=day("2015-01-01"),
        ends=day("2019-06-30"),
    )
    Portfolio.objects.create(
        cabinet_member=CabinetMember.objects.create(name="Cllr New"),
        directorate=directorate,
        title="X",
        starts=day("2019-07-01"),
    )
    kpi = make_kpi(code="N1", directorate=directorate, title="Homes")
    make_target(kpi, floor=None)
    make_result(kpi, "Q1 2019/20", 91)
    make_result(kpi, "Q2 2019/20", 88, commentary="Fewer homes.")
    make_commentary(directorate, text="A quiet quarter.")
    indicator = make_indicator(directorate=directorate, title="Visits")
    make_indicator_value(indicator, "Q1 2019/20", 100)
    make_indicator_value(indicator, "Q2 2019/20", 130)
    url = reverse("kpis:directorate", kwargs={"slug": "north", "period": Q2})
    html = analyst_client.get(url).content.decode()
    page = text(html)
    assert "Cabinet member Cllr New" in page and "Cllr Old" not in page
    assert "Corporate Director Jo Director" in page
    assert "A quiet quarter." in page and "Fewer homes." in page
    assert kpi_boxes(html) == {"N1": {"rag": "Red", "direction": "Worsened"}}
    assert "Current 88% (verified) Target 90% Floor None" in page
    assert "No floor: rated Green/Red only." in page
    assert "Above expected in Q2 2019/20" in page
    assert 'id="indicator-' in html and "plotly.min.js" in html


def test_the_kpi_detail_shows_every_quarter_targets_commentary_and_revisions(analyst_client, dan):
    kpi = make_kpi(code="D1", decimal_places=1, higher_is_better=False, unit="days")
    make_target(kpi, financial_year=2018, target=Decimal("10.0"), floor=Decimal("12.0"))
    make_target(kpi, financial_year=2019, target=Decimal("10.0"), floor=Decimal("12.0"))
    make_target(
        kpi,
        financial_year=2019,
        from_quarter=2,
        target=Decimal("9.0"),
        floor=None,
        reason="Tightened",
    )
    make_result(kpi, "Q4 2018/19", "11.0")
    record_result(kpi, Quarter(2019, 1), Decimal("9.5"), "Better", "", dan)
    record_result(kpi, Quarter(2019, 2), Decimal("9.3"), "Close", "", dan)
    final, _ = record_result(kpi, Quarter(2019, 2), Decimal("8.94"), "Final", "", dan)
    verify_results({final.pk: final.version}, dan)
    url = reverse("kpis:kpi-detail", kwargs={"code": "D1", "period": Q2})
    html = analyst_client.get(url).content.decode()
    page = text(html)
    assert "Current 8.9 Target 9.0 Floor standard None" in page
    assert "Rating Green" in page and "No floor: rated Green/Red only." in page
    # Q1 against 10.0/12.0 is Green; Q4 2018/19 against 10.0/12.0 Amber
    assert "Q4 2018/19 11.0 10.0 12.0 Amber" in page
    assert "Q1 2019/20 (provisional) 9.5 10.0 12.0 Green" in page
    assert "Q2 2019/20 8.9 9.0 – Green" in page  # no floor: "–" in the chart's table
    assert "2019/20 Q2 2019/20 9.0 None (Green/Red only) Tightened" in page
    assert "Q2 2019/20 Revised 9.3 (provisional) 8.9 (provisional)" in page  # the revision
    assert "Q2 2019/20 Verified 8.9 (provisional) 8.9 (verified)" in page  # its verification
    assert "Final" in page and "Better" in page
    assert '"name":"Target"' in html and '"name":"Result: Green"' in html


def test_a_kpi_without_results_still_has_a_page(analyst_client):
    make_kpi(code="E1")
    page = text(
        analyst_client.get(reverse("kpis:kpi-detail", kwargs={"code": "E1"})).content.decode()
    )
    assert "No result for" in page and "No targets set." in page


def test_the_indicator_detail_marks_values_outside_the_expected_range(analyst_client):
    indicator = make_indicator(slug="calls", title="Calls", unit="number")
    make_indicator_value(indicator, "Q4 2018/19", 70)
    make_indicator_value(indicator, "Q1 2019/20", 100, benchmark=Decimal(95))
    make_indicator_value(indicator, "Q2 2019/20", 130)
    make_indicator_value(indicator, "Q3 2019/20", 500)  # after the quarter shown: left out
    url = reverse("kpis:indicator-detail", kwargs={"slug": "calls", "period": Q2})
    html = analyst_client.get(url).content.decode()
    page = text(html)
    assert "Q4 2018/19 70 80 120 Below expected" in page
    assert "Q1 2019/20 100 80 120 Within range 95" in page
    assert "Q2 2019/20 130 80 120 Above expected" in page
    assert "500" not in page
    assert "Latest (Q2 2019/20) 130 Above expected" in page


def test_a_kpi_with_a_previous_value_but_no_current_one_says_no_current_value(analyst_client):
    directorate = make_directorate(slug="north")
    kpi = make_kpi(code="LATE1", directorate=directorate)
    make_target(kpi)
    make_result(kpi, "Q1 2019/20", 85)
    url = reverse("kpis:directorate", kwargs={"slug": "north", "period": Q2})
    page = text(analyst_client.get(url).content.decode())
    assert "No current value" in page and "No previous value" not in page
    export = analyst_client.get(reverse("kpis:scorecard", kwargs={"period": Q2}) + "?_export=csv")
    rows = export.content.decode("utf-8-sig")
    assert "No current value" in rows and "No previous value" not in rows
