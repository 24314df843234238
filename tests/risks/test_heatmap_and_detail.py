"""Heat maps as real tables, and the risk detail page with its score history."""

from __future__ import annotations

import json

from django.urls import reverse

from kccperf.periods import Quarter
from risks.charts import ScorePoint, score_history_figure
from risks.scoring import Band
from tests.risks.html import text, tree

Q2 = Quarter(2019, 2)


def _cell(doc, grid: str, likelihood: int, impact: int):
    return doc.xpath(
        f'//table[@id="heatmap-{grid}"]//td[@data-l="{likelihood}"][@data-i="{impact}"]'
    )[0]


def test_the_heat_maps_place_each_risk_in_its_cell_with_level_words(client, carol, risk_demo):
    client.force_login(carol)
    doc = tree(client.get(reverse("risks:heatmap-period", kwargs={"period": Q2})))
    # CRR0004 is likelihood 4 × impact 5 now, 3 × 5 target (seed: impact raised 4 -> 5).
    cell = _cell(doc, "current", 4, 5)
    assert "CRR0004" in [text(a) for a in cell.xpath(".//a")]
    assert text(cell).startswith("20 High")
    assert "CRR0004" in text(_cell(doc, "target", 3, 5))
    assert text(_cell(doc, "current", 2, 4)).startswith("8 Medium")
    assert text(_cell(doc, "current", 1, 1)).startswith("1 Low")
    # 19 risks on each grid, none removed
    for grid in ("current", "target"):
        links = doc.xpath(f'//table[@id="heatmap-{grid}"]//td//a')
        assert len(links) == 19
        assert "CRR0013" not in [text(a) for a in links]


def test_the_heat_map_axes_are_headers_with_scale_labels(client, carol, risk_demo):
    client.force_login(carol)
    doc = tree(client.get(reverse("risks:heatmap-period", kwargs={"period": Q2})))
    table = doc.xpath('//table[@id="heatmap-current"]')[0]
    cols = [text(th) for th in table.xpath('./thead/tr[2]/th[@scope="col"]')]
    assert cols == ["Likelihood", "1 Minor", "2 Moderate", "3 Significant", "4 Serious", "5 Major"]
    rows = [text(th) for th in table.xpath('./tbody/tr/th[@scope="row"]')]
    assert rows[0] == "5 Very likely" and rows[-1] == "1 Very unlikely"


def test_the_q1_heat_map_still_shows_the_removed_risks(client, carol, risk_demo):
    client.force_login(carol)
    doc = tree(client.get(reverse("risks:heatmap-period", kwargs={"period": Quarter(2019, 1)})))
    refs = [text(a) for a in doc.xpath('//table[@id="heatmap-current"]//td//a')]
    assert "CRR0013" in refs and "CRR0046" not in refs


def test_the_detail_page_shows_the_score_history_as_chart_and_table(client, carol, risk_demo):
    client.force_login(carol)
    response = client.get(reverse("risks:risk-detail", args=["CRR0002"]))
    doc = tree(response)
    figure = json.loads(doc.xpath('//script[@id="score-history-data"]')[0].text)
    assert figure["data"][0]["y"] == [20, 15]
    assert figure["data"][0]["x"] == ["Q1 2019/20", "Q2 2019/20"]
    rows = [[text(c) for c in tr.xpath("./th|./td")] for tr in doc.xpath("//figure//tbody/tr")]
    assert rows[0][:3] == ["Q1 2019/20", "20 (High)", "10 (Medium)"]
    assert rows[1][:2] == ["Q2 2019/20", "15 (Medium)"]
    assert "Lowered from 20 to 15" in rows[1][3]
    assert "plotly.min.js" in response.content.decode()


def test_the_detail_page_lists_actions_with_updates_and_owner(client, carol, risk_demo):
    client.force_login(carol)
    page = client.get(reverse("risks:risk-detail", args=["CRR0040"])).content.decode()
    assert "Implement holding-company arrangements" in page
    assert "Transfer of company ownership" in page
    assert "David Cockburn" in page
    assert "Linked SDP activities and KPIs" in page


def test_cmt_sees_no_editing_links_on_the_detail_page(client, carol, risk_demo):
    client.force_login(carol)
    page = client.get(reverse("risks:risk-detail", args=["CRR0002"])).content.decode()
    assert "Add an update" not in page and "Edit details" not in page


def test_the_score_history_figure_uses_the_series_it_is_given():
    series = [ScorePoint("Q1", 12, "Medium", 6, "Low"), ScorePoint("Q2", 16, "High", 6, "Low")]
    bands = [Band("Low", 1, 6, "green"), Band("Medium", 8, 15, "amber"), Band("High", 16, 25)]
    figure = score_history_figure(series, bands)
    assert figure["data"][0]["y"] == [12, 16]
    assert figure["data"][1]["y"] == [6, 6]
    assert [shape["y0"] for shape in figure["layout"]["shapes"]] == [0.5, 7.5, 15.5]
    # Each band is named at the right of the plot, halfway up its scores.
    named = [(a["text"], a["y"]) for a in figure["layout"]["annotations"]]
    assert named == [("Low", 3.5), ("Medium", 11.5), ("High", 20.5)]


def _trail(response) -> list[tuple[str, str | None]]:
    return [(crumb["label"], crumb["url"]) for crumb in response.context["breadcrumbs"]]


def test_risk_pages_trail_from_home_through_the_register(client, carol, erin, risk_demo):
    client.force_login(carol)
    register = reverse("risks:register")
    assert _trail(client.get(register)) == [("Home", reverse("home")), ("Risk register", None)]
    assert _trail(client.get(reverse("risks:heatmap"))) == [
        ("Home", reverse("home")),
        ("Risk register", register),
        ("Heat maps", None),
    ]
    client.force_login(erin)
    detail = reverse("risks:risk-detail", args=["CRR0002"])
    assert _trail(client.get(reverse("risks:risk-edit", args=["CRR0002"]))) == [
        ("Home", reverse("home")),
        ("Risk register", register),
        ("CRR0002", detail),
        ("Edit", None),
    ]
