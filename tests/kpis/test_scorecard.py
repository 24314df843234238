"""The council scorecard: filters, sorting, the no-floor note and exports."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
from django.urls import reverse

from kccperf.models import ReportingPeriod
from kccperf.output.text import escape_formula
from kccperf.periods import Quarter
from tests.factories import make_directorate
from tests.kpis.factories import make_kpi, make_result, make_target
from tests.kpis.pages import scorecard_rows, text
from tests.spreadsheets import assert_named

Q2 = Quarter(2019, 2)
URL = reverse("kpis:scorecard", kwargs={"period": Q2})


def _kpi(code, q1, q2, *, target=90, floor=80, higher_is_better=True, directorate=None, **kw):
    kpi = make_kpi(
        code=code,
        higher_is_better=higher_is_better,
        directorate=directorate or make_directorate(),
        **kw,
    )
    make_target(kpi, target=Decimal(target), floor=None if floor is None else Decimal(floor))
    if q1 is not None:
        make_result(kpi, "Q1 2019/20", q1)
    if q2 is not None:
        make_result(kpi, "Q2 2019/20", q2)
    return kpi


def _setup():
    north = make_directorate(name="North", slug="north", short_name="N")
    south = make_directorate(name="South", slug="south", short_name="S")
    _kpi("G1", 85, 95, directorate=north)  # Green, improved, became Green
    _kpi("A1", 91, 85, directorate=north)  # Amber, worsened, lost Green
    _kpi("R1", 70, 70, directorate=south)  # Red, same
    _kpi("L1", 12, 10, target=10, floor=15, higher_is_better=False, directorate=south)  # Green
    _kpi("N1", 90, None, directorate=south)  # no data
    _kpi("F1", 80, 85, floor=None, directorate=south)  # no floor: Red, improved
    return north, south


def test_it_lists_every_kpi_with_its_rating_and_direction(analyst_client):
    _setup()
    rows = scorecard_rows(analyst_client.get(URL).content.decode())
    assert rows == {
        "G1": {"rag": "GREEN", "direction": "improved"},
        "A1": {"rag": "AMBER", "direction": "worsened"},
        "R1": {"rag": "RED", "direction": "same"},
        "L1": {"rag": "GREEN", "direction": "improved"},
        "N1": {"rag": "none", "direction": "none"},
        "F1": {"rag": "RED", "direction": "improved"},
    }


def test_it_says_when_a_kpi_without_a_floor_is_rated_green_or_red_only(analyst_client):
    _setup()
    page = text(analyst_client.get(URL).content.decode())
    assert "No floor: rated Green/Red only." in page
    assert "None (Green/Red only)" in page


def test_it_filters_by_directorate_rag_direction_and_change_in_green(analyst_client):
    _setup()

    def codes(query):
        return set(scorecard_rows(analyst_client.get(URL, query).content.decode()))

    assert codes({"directorate": "north"}) == {"G1", "A1"}
    assert codes({"rag": "GREEN"}) == {"G1", "L1"}
    assert codes({"rag": "RED", "directorate": "south"}) == {"R1", "F1"}
    assert codes({"rag": "none"}) == {"N1"}
    assert codes({"direction": "improved"}) == {"G1", "L1", "F1"}
    assert codes({"direction": "none"}) == {"N1"}
    assert codes({"green": "gained"}) == {"G1", "L1"}
    # While Q2 is collecting, a KPI without a Q2 value yet has lost nothing (like for like,
    # kccperf.comparison); once Q2 is closed, N1 (Green in Q1, no Q2 value) lost Green.
    assert codes({"green": "lost"}) == {"A1"}
    ReportingPeriod.objects.for_quarter(Quarter.parse("Q2 2019/20")).close()
    assert codes({"green": "lost"}) == {"A1", "N1"}


def test_an_unknown_filter_value_is_reported_not_ignored(analyst_client):
    _setup()
    html = analyst_client.get(URL, {"rag": "PURPLE"}).content.decode()
    assert "Select a valid choice" in html
    assert scorecard_rows(html) == {}


def test_it_sorts_by_rating_and_by_current_value(analyst_client):
    _setup()
    html = analyst_client.get(URL, {"sort": "rag"}).content.decode()
    assert list(scorecard_rows(html)) == ["G1", "L1", "A1", "F1", "R1", "N1"]
    html = analyst_client.get(URL, {"sort": "current"}).content.decode()
    order = list(scorecard_rows(html))
    assert order[:2] == ["L1", "R1"] and order[-2:] == ["G1", "N1"]  # no value last
    assert 'aria-sort="ascending"' in analyst_client.get(URL, {"sort": "current"}).content.decode()
    assert 'aria-sort="descending"' in analyst_client.get(URL, {"sort": "-rag"}).content.decode()


def test_the_csv_export_is_what_the_filtered_page_shows(analyst_client):
    _setup()
    response = analyst_client.get(URL, {"rag": "GREEN", "_export": "csv"})
    assert_named(response, "kpi-scorecard-2019-20-Q2", "csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["Code"] for row in rows] == ["G1", "L1"]
    assert rows[0]["Current"] == "95" and rows[0]["Previous"] == "85"
    assert rows[0]["RAG"] == "Green" and rows[0]["Direction of travel"] == "Improved"
    assert "Trend" not in rows[0]


def test_exports_escape_text_that_a_spreadsheet_would_run(analyst_client):
    directorate = make_directorate(name="=cmd|' /C calc'!A0", slug="evil", short_name="EV")
    _kpi("X1", 90, 95, title='=HYPERLINK("http://x")', directorate=directorate)
    _kpi("X2", 90, 95, title="+1 rogue", directorate=directorate)
    _kpi("X3", -5, -3, title="@SUM(A1)", target=-4, floor=-10, directorate=directorate)
    rows = list(
        csv.DictReader(
            io.StringIO(analyst_client.get(URL, {"_export": "csv"}).content.decode("utf-8-sig"))
        )
    )
    by_code = {row["Code"]: row for row in rows}
    assert by_code["X1"]["KPI"] == '\'=HYPERLINK("http://x")'
    assert by_code["X1"]["Directorate"] == "'=cmd|' /C calc'!A0"
    assert by_code["X2"]["KPI"] == "'+1 rogue"
    assert by_code["X3"]["KPI"] == "'@SUM(A1)"
    assert by_code["X3"]["Current"] == "-3"  # numbers are data, not formulas
    response = analyst_client.get(URL, {"_export": "xlsx"})
    assert_named(response, "kpi-scorecard-2019-20-Q2", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    headers = values[0]
    x3 = next(row for row in values if row[0] == "X3")
    assert x3[headers.index("KPI")] == "'@SUM(A1)"
    assert x3[headers.index("Current")] == -3
    assert not any(
        isinstance(cell, str) and cell.startswith(("=", "+", "-", "@"))
        for row in values
        for cell in row
    )


def test_escape_formula_leaves_numbers_and_plain_text_alone():
    assert escape_formula("-3") == "'-3"
    assert escape_formula(-3) == -3
    assert escape_formula("Customer Services") == "Customer Services"
    assert escape_formula(None) is None


def test_cmt_members_read_the_scorecard_but_exports_are_for_analysts(cmt_client):
    _setup()
    html = cmt_client.get(URL).content.decode()
    assert "Download what is shown" not in html
    assert cmt_client.get(URL, {"_export": "csv"}).status_code == 403


def test_the_page_without_a_period_shows_the_chosen_quarter(analyst_client):
    _setup()
    session = analyst_client.session
    session["kccperf_period"] = "2019-20-q1"
    session.save()
    rows = scorecard_rows(analyst_client.get(reverse("kpis:scorecard")).content.decode())
    assert rows["A1"] == {"rag": "GREEN", "direction": "none"}


def test_each_trend_is_an_inline_svg_with_a_text_alternative(analyst_client):
    _setup()
    html = analyst_client.get(URL).content.decode()
    assert html.count('<svg class="sparkline"') == 6
    assert 'aria-label="Trend G1: Q1 2019/20 85%, Q2 2019/20 95%"' in html
    assert "<script" not in html.split("<main")[1].split("</main>")[0]
