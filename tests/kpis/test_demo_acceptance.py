"""The seed QPR's figures for Q2 2019/20, asserted on the rendered pages and exports."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from kccperf.periods import Quarter
from kpis import demo
from kpis.models import (
    ActivityIndicator,
    DirectorateCommentary,
    IndicatorValue,
    Kpi,
    KpiResult,
    KpiResultRevision,
    KpiTarget,
)
from tests.factories import PASSWORD
from tests.kpis.pages import badge_words, kpi_boxes, scorecard_rows, text
from tests.spreadsheets import assert_named

Q2 = Quarter(2019, 2)
FIXTURE = json.loads((Path(settings.BASE_DIR) / "fixtures" / "kpis_demo.json").read_text())
PRINTED_RAG = {item["code"]: item["printed_rag"] for item in FIXTURE["kpis"]}
DIRECTORATE_COUNTS = {
    # slug: (name as printed, Green, Amber, Red)
    "customer-services": ("Customer Services", 3, 0, 0),
    "economic-development-communities": ("Economic Development & Communities", 2, 0, 0),
    "environment-transport": ("Environment and Transport", 6, 0, 0),
    "children-young-people-education": ("Children, Young People and Education", 7, 5, 2),
    "adult-social-care": ("Adult Social Care", 5, 0, 0),
    "public-health": ("Public Health", 5, 0, 0),
}

pytestmark = pytest.mark.usefixtures("demo_data")


def test_the_q2_scorecard_lists_35_kpis_28_green_5_amber_2_red(analyst_client):
    html = analyst_client.get(reverse("kpis:scorecard", kwargs={"period": Q2})).content.decode()
    rows = scorecard_rows(html)
    assert len(rows) == 35
    assert Counter(row["rag"] for row in rows.values()) == {"GREEN": 28, "AMBER": 5, "RED": 2}
    assert badge_words(html) == {"Green": 28 + 1, "Amber": 5 + 1, "Red": 2 + 1}  # + the key


def test_every_kpi_has_the_rag_printed_in_the_seed(analyst_client):
    html = analyst_client.get(reverse("kpis:scorecard", kwargs={"period": Q2})).content.decode()
    assert {code: row["rag"] for code, row in scorecard_rows(html).items()} == PRINTED_RAG


def test_direction_of_travel_from_the_printed_values_is_12_improved_12_same_11_worsened(
    analyst_client,
):
    html = analyst_client.get(reverse("kpis:scorecard", kwargs={"period": Q2})).content.decode()
    directions = Counter(row["direction"] for row in scorecard_rows(html).values())
    assert directions == {"improved": 12, "same": 12, "worsened": 11}


def test_the_executive_summary_gives_the_seed_figures_with_green_up_4_on_q1(analyst_client):
    html = analyst_client.get(reverse("kpis:summary", kwargs={"period": Q2})).content.decode()
    page = text(html)
    assert "Of the 35 KPIs rated in Q2 2019/20, 28 are Green, 5 Amber and 2 Red." in page
    assert "The number of Green KPIs is up 4 on Q1 2019/20." in page
    assert "12 improved, 12 stayed the same and 11 worsened." in page
    scorecard = reverse("kpis:scorecard", kwargs={"period": Q2})
    assert f'href="{scorecard}?green=gained">up 4</a>' in html
    assert f'href="{scorecard}?rag=AMBER">5 Amber</a>' in html


def test_the_summary_table_counts_each_directorate_as_the_seed(analyst_client):
    html = analyst_client.get(reverse("kpis:summary", kwargs={"period": Q2})).content.decode()
    for slug, (name, green, amber, red) in DIRECTORATE_COUNTS.items():
        row = html.split(f'data-directorate="{slug}"')[1].split("</tr>")[0]
        cells = text(row)
        assert f"{name} {green + amber + red} {green} Green {amber} Amber {red} Red" in cells


def test_each_directorate_scorecard_shows_its_counts_and_each_kpi_box_as_printed(
    analyst_client,
):
    for slug, (name, green, amber, red) in DIRECTORATE_COUNTS.items():
        url = reverse("kpis:directorate", kwargs={"slug": slug, "period": Q2})
        html = analyst_client.get(url).content.decode()
        boxes = kpi_boxes(html)
        codes = set(Kpi.objects.filter(directorate__slug=slug).values_list("code", flat=True))
        assert set(boxes) == codes
        for code, box in boxes.items():
            assert box["rag"] == PRINTED_RAG[code].title(), code
        page = text(html)
        assert f"{name} Directorate scorecard, Q2 2019/20" in page
        assert f"{green} Green KPIs" in page and f"{amber} Amber KPIs" in page, slug
        assert f"{red} Red KPIs" in page, slug


def test_the_cype_scorecard_names_its_cabinet_member_director_and_commentary(analyst_client):
    url = reverse(
        "kpis:directorate", kwargs={"slug": "children-young-people-education", "period": Q2}
    )
    page = text(analyst_client.get(url).content.decode())
    assert "Cabinet member Sue Chandler" in page
    assert "Corporate Director Matt Dunkley" in page
    assert "7 Green KPIs" in page and "5 Amber KPIs" in page and "2 Red KPIs" in page
    # CYPE direction counts in the seed's summary box: 3 improved, 5 same, 6 worsened
    assert "3 Improved ↑" in page and "5 No change →" in page and "6 Worsened ↓" in page
    commentary = DirectorateCommentary.objects.get(
        directorate__slug="children-young-people-education"
    )
    assert commentary.text[:60] in page


def test_the_ehcp_kpi_is_rated_against_the_revised_target_with_its_history(analyst_client):
    url = reverse("kpis:kpi-detail", kwargs={"code": "CYPE05", "period": Q2})
    page = text(analyst_client.get(url).content.decode())
    assert "Current 28%" in page and "Target 40%" in page and "Previous (Q1 2019/20) 33%" in page
    assert "Rating Red" in page
    assert "2019/20 Q2 2019/20 40% 40% Target revised from 90% to 40%" in page
    assert "2019/20 Q1 2019/20 90% 80%" in page
    # Q1 was rated against 90%/80%, Q2 against 40%/40%: both Red
    assert "Q1 2019/20 (provisional) 33% 90% 80% Red" in page
    assert "Q2 2019/20 (provisional) 28% 40% 40% Red" in page


def test_the_revised_enablement_figure_keeps_its_first_value(analyst_client):
    url = reverse("kpis:kpi-detail", kwargs={"code": "ASC02", "period": Q2})
    page = text(analyst_client.get(url).content.decode())
    assert "Q1 2019/20 Revised 3,597 (provisional) 3,616 (provisional)" in page


def test_website_visits_are_flagged_above_the_expected_range(analyst_client):
    url = reverse("kpis:indicator-detail", kwargs={"slug": "cs-website-visits", "period": Q2})
    page = text(analyst_client.get(url).content.decode())
    assert "Above expected" in page
    assert "Q2 2019/20 2,240 1,804 2,076 Above expected" in page


def test_the_home_page_panel_summarises_the_quarter(client, demo_data):
    client.login(username="cmt", password=PASSWORD)
    page = text(client.get(reverse("home")).content.decode())
    assert "Of 35 KPIs in Q2 2019/20: 28 Green, 5 Amber, 2 Red. Green up 4 on Q1 2019/20." in page


def test_the_export_holds_the_35_kpis_shown_with_the_period_in_the_file_name(analyst_client):
    url = reverse("kpis:scorecard", kwargs={"period": Q2})
    response = analyst_client.get(url, {"_export": "csv"})
    assert_named(response, "kpi-scorecard-2019-20-Q2", "csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 35
    assert Counter(row["RAG"] for row in rows) == {"Green": 28, "Amber": 5, "Red": 2}
    cype05 = next(row for row in rows if row["Code"] == "CYPE05")
    assert (cype05["Current"], cype05["Target"], cype05["Floor standard"]) == ("28", "40", "40")


def test_loading_the_demo_twice_changes_nothing():
    models = [
        Kpi,
        KpiTarget,
        KpiResult,
        KpiResultRevision,
        ActivityIndicator,
        IndicatorValue,
        DirectorateCommentary,
    ]
    before = {model: model.objects.count() for model in models}
    stamps = list(KpiResult.objects.order_by("pk").values_list("entered_at", flat=True))
    demo.load(PASSWORD)
    assert {model: model.objects.count() for model in models} == before
    assert list(KpiResult.objects.order_by("pk").values_list("entered_at", flat=True)) == stamps
    assert before[Kpi] == 35
    # One revised figure; every value the seed prints as final verified once (its history).
    assert KpiResultRevision.objects.filter(kind="revised").count() == 1
    verified = KpiResult.objects.verified().count()
    assert verified == KpiResultRevision.objects.filter(kind="verified").count() > 0
    assert before[KpiResultRevision] == 1 + verified
