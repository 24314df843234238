"""The register page: open risks, levels from the band table, direction, filters, exports."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from kccperf.models import Directorate
from risks.models import Risk, RiskLevelBand
from tests.risks.factories import make_category, make_entry, make_refresh, make_risk
from tests.risks.html import text, tree
from tests.spreadsheets import assert_named


def register_rows(response):
    table = tree(response).xpath('//table[contains(@class, "register-table")]')[0]
    return [[text(c) for c in tr.xpath("./td")] for tr in table.xpath("./tbody/tr")]


def test_it_lists_open_risks_with_scores_levels_and_direction(client, carol):
    q1, q2 = make_refresh("2019-06-30"), make_refresh("2019-09-30")
    worse = make_risk(current_likelihood=4, current_impact=5, owner_name="Penny Southern")
    make_entry(q1, worse, current_likelihood=4, current_impact=4)
    make_entry(q2, worse)
    new = make_risk(current_likelihood=2, current_impact=3, target_likelihood=1, target_impact=1)
    make_entry(q2, new)
    make_risk(status=Risk.Status.REMOVED, removal_reason="Gone", title="Removed one")
    client.force_login(carol)
    rows = register_rows(client.get(reverse("risks:register")))
    assert rows == [
        [
            worse.ref,
            worse.title,
            "Penny Southern Corporate Director",
            "20",
            "High",
            "6",
            "Low",
            "Worsened ↓ (16 → 20)",
        ],
        [
            new.ref,
            new.title,
            f"{new.owner_name} Corporate Director",
            "6",
            "Low",
            "1",
            "Low",
            "New at Refresh 2019-09-30",
        ],
    ]


def test_levels_follow_the_band_table_data(client, carol):
    RiskLevelBand.objects.filter(level="High").update(level="Severe")
    make_risk(current_likelihood=4, current_impact=5)
    client.force_login(carol)
    assert register_rows(client.get(reverse("risks:register")))[0][4] == "Severe"


@pytest.fixture
def mixed(db):
    finance = Directorate.objects.create(name="Finance", short_name="FIN", slug="finance")
    money = make_category(name="Financial")
    high = make_risk(
        current_likelihood=5,
        current_impact=4,
        owner_name="Zena Cooke",
        category=money,
        directorates=[finance],
    )
    medium = make_risk(current_likelihood=3, current_impact=3, owner_name="Matt Dunkley")
    low = make_risk(current_likelihood=1, current_impact=2, owner_name="Matt Dunkley")
    return {"finance": finance, "money": money, "high": high, "medium": medium, "low": low}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (lambda m: {"level": "High"}, ["high"]),
        (lambda m: {"level": "Medium"}, ["medium"]),
        (lambda m: {"level": "Low"}, ["low"]),
        (lambda m: {"directorate": m["finance"].pk}, ["high"]),
        (lambda m: {"owner": "Matt Dunkley"}, ["medium", "low"]),
        (lambda m: {"category": m["money"].pk}, ["high"]),
    ],
)
def test_the_filters_narrow_the_register(client, carol, mixed, query, expected):
    client.force_login(carol)
    rows = register_rows(client.get(reverse("risks:register"), query(mixed)))
    assert [row[0] for row in rows] == sorted(mixed[name].ref for name in expected)


def test_the_csv_export_is_the_filtered_table_with_the_period_in_its_name(client, dan, mixed):
    refresh = make_refresh("2019-09-30")
    from kccperf.models import ReportingPeriod
    from kccperf.periods import Quarter

    refresh.period = ReportingPeriod.objects.ensure(Quarter(2019, 2))
    refresh.save()
    client.force_login(dan)
    response = client.get(reverse("risks:register"), {"level": "High", "_export": "csv"})
    assert_named(response, "risk-register-2019-20-Q2", "csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Risk", "Risk owner"]
    assert [r[0] for r in rows[1:]] == [mixed["high"].ref]
    assert rows[1][4] == "High"


def test_exports_escape_cells_that_a_spreadsheet_would_run_as_formulas(client, erin):
    make_risk(title='=HYPERLINK("http://evil")', owner_name="@owner", owner_title="")
    client.force_login(erin)
    response = client.get(reverse("risks:register"), {"_export": "csv"})
    row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1]
    assert row[1] == '\'=HYPERLINK("http://evil")'
    assert row[2] == "'@owner"
    response = client.get(reverse("risks:register"), {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["B2"].value == '\'=HYPERLINK("http://evil")'


def test_cmt_reads_the_register_but_gets_no_export_links(client, carol):
    client.force_login(carol)
    page = client.get(reverse("risks:register")).content.decode()
    assert "_export=csv" not in page
    assert "Add a risk" not in page


def test_the_risk_manager_sees_the_editing_buttons(client, erin):
    client.force_login(erin)
    page = client.get(reverse("risks:register")).content.decode()
    assert "Add a risk" in page and "Record a refresh" in page and "_export=xlsx" in page
