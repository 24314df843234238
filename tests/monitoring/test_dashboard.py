"""Outcome dashboards: access, exports (escaping, file names) and the analysis text."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.models import AnalysisText
from tests.monitoring.factories import Q1, Q2, make_activity, make_outcome, make_return
from tests.spreadsheets import assert_named

OUTCOME_1 = {"outcome": 1, "period": Q2}


@pytest.fixture
def formula_activity(db):
    activity = make_activity(outcome=make_outcome(1), number=1, title='=HYPERLINK("x")')
    make_return(activity, Q1, delivery="on_track")
    make_return(
        activity,
        Q2,
        delivery="remedial",
        issues=["capacity"],
        mitigation="@SUM(A1)",
        milestones={"go_live": date(2020, 3, 1)},
        boards_reported=["cabinet_committee"],
    )
    return activity


def _url(query=""):
    return reverse("monitoring:outcome-dashboard", kwargs=OUTCOME_1) + query


@pytest.mark.parametrize("who", ["alice", "erin"])
def test_lead_officers_and_risk_managers_cannot_read_dashboards(client, cast, who):
    client.force_login(cast[who])
    assert client.get(_url()).status_code == 403
    assert client.get(_url("?_export=figures")).status_code == 403
    assert client.get(reverse("monitoring:dashboard-index")).status_code == 403


def test_the_summary_csv_escapes_formulas_and_names_the_period(client, dan, formula_activity):
    client.force_login(dan)
    response = client.get(_url("?_export=csv"))
    assert_named(response, "sdp-outcome-1-summary-2019-20-Q2", "csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Reference", "Activity", "Delivery", "Milestones"]
    assert rows[1][:4] == ["1.1", '\'=HYPERLINK("x")', "It requires remedial action", "1"]
    assert rows[1][rows[0].index("Cabinet Committee")] == "Reported"
    assert rows[1][rows[0].index("CMM")] == "No"


def test_the_summary_xlsx_escapes_formulas(client, dan, formula_activity):
    client.force_login(dan)
    response = client.get(_url("?_export=xlsx"))
    assert_named(response, "sdp-outcome-1-summary-2019-20-Q2", "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][1] == '\'=HYPERLINK("x")'


def test_an_unknown_export_format_is_refused(client, carol, formula_activity):
    client.force_login(carol)
    assert client.get(_url("?_export=pdf")).status_code == 400


def test_the_figures_csv_gives_every_figure_once(client, dan, formula_activity):
    client.force_login(dan)
    response = client.get(_url("?_export=figures"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys))
    remedial = next(r for r in rows if r["key"] == "delivery.remedial")
    assert (remedial["count"], remedial["base"], remedial["percentage"]) == ("1", "1", "100")
    assert remedial["previous_count"] == "0"
    assert list(rows[0]) == [
        "key",
        "label",
        "count",
        "base",
        "percentage",
        "previous_count",
        "previous_base",
    ]


def test_the_summary_table_sorts_by_delivery(client, carol):
    outcome = make_outcome(1)
    for number, delivery in ((1, "unlikely"), (2, "on_track"), (3, "remedial")):
        make_return(make_activity(outcome=outcome, number=number), Q2, delivery=delivery)
    client.force_login(carol)
    table = client.get(_url("?sort=delivery")).context["table"]
    assert [row.record.delivery for row in table.rows] == ["on_track", "remedial", "unlikely"]
    table = client.get(_url("?sort=-delivery")).context["table"]
    assert [row.record.delivery for row in table.rows] == ["unlikely", "remedial", "on_track"]


def test_sorting_the_activity_summary_comes_back_to_it_not_to_the_top(client, carol):
    make_return(make_activity(outcome=make_outcome(1), number=1), Q2, delivery="on_track")
    client.force_login(carol)
    html = client.get(_url()).content.decode()
    assert 'id="activity-summary"' in html
    assert 'href="?sort=-activity#activity-summary"' in html
    assert 'href="?sort=delivery#activity-summary"' in html


@pytest.mark.parametrize(
    "query", ["?per_page=-1", "?per_page=0", "?per_page=1", "?page=-1", "?page=abc", "?page=99"]
)
def test_page_numbers_and_sizes_in_the_url_never_break_the_summary(client, carol, query):
    outcome = make_outcome(1)
    for number in (1, 2, 3):
        make_return(make_activity(outcome=outcome, number=number), Q2, delivery="on_track")
    client.force_login(carol)
    response = client.get(_url(query))
    assert response.status_code == 200
    page = response.context["table"].page
    assert (page.number, len(page.object_list)) == (1, 3)  # 100 rows a page, whatever the URL


def test_cmt_read_the_generated_draft_until_an_analyst_saves_an_edit(
    client, carol, dan, formula_activity
):
    client.force_login(carol)
    page = client.get(_url()).content.decode()
    assert "1 (100%) requires remedial action (up from 0 in Q1)" in page
    assert "Edit the analysis" not in page
    edit = reverse("monitoring:analysis-edit", kwargs=OUTCOME_1)
    assert client.post(edit, {"text": "Mine", "version": "0"}).status_code == 403
    assert not AnalysisText.objects.exists()

    client.force_login(dan)
    form = client.get(edit)
    assert "requires remedial action" in form.context["form"].initial["text"]
    response = client.post(
        edit, {"text": "One activity needs remedial action.", "action": "save", "version": "0"}
    )
    assert response.status_code == 302
    saved = AnalysisText.objects.get()
    assert (saved.outcome.number, saved.period.quarter, saved.updated_by) == (1, Q2, dan)

    client.force_login(carol)
    page = client.get(_url()).content.decode()
    assert "One activity needs remedial action." in page
    assert "(up from 0 in Q1)" not in page.split('id="analysis"')[1].split("</section>")[0]

    client.force_login(dan)
    # A discard based on an older version is refused: it would throw away unseen words.
    assert client.post(edit, {"action": "reset", "version": "0"}).status_code == 409
    assert AnalysisText.objects.exists()
    client.post(edit, {"action": "reset", "version": str(saved.version)})
    assert not AnalysisText.objects.exists()


def test_an_empty_analysis_is_refused_with_an_error(client, dan, formula_activity):
    client.force_login(dan)
    response = client.post(
        reverse("monitoring:analysis-edit", kwargs=OUTCOME_1), {"text": "", "action": "save"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "<title>Error: " in html
    # The editor's hint and its error are the ids its aria-describedby names.
    assert 'aria-describedby="id_text_helptext id_text_error"' in html
    assert 'id="id_text_helptext"' in html and 'id="id_text_error"' in html
    assert not AnalysisText.objects.exists()


def test_the_council_analysis_is_kept_apart_from_the_outcomes(client, dan, formula_activity):
    client.force_login(dan)
    client.post(
        reverse("monitoring:council-analysis-edit", kwargs={"period": Q2}),
        {"text": "Council text", "action": "save", "version": "0"},
    )
    client.post(
        reverse("monitoring:analysis-edit", kwargs=OUTCOME_1),
        {"text": "Outcome text", "version": "0"},
    )
    assert sorted(AnalysisText.objects.values_list("text", flat=True)) == [
        "Council text",
        "Outcome text",
    ]
    council = client.get(reverse("monitoring:council-dashboard", kwargs={"period": Q2}))
    assert "Council text" in council.content.decode()


def test_the_dashboard_without_a_period_shows_the_chosen_period(client, carol, formula_activity):
    client.force_login(carol)
    response = client.get(reverse("monitoring:outcome-dashboard", kwargs={"outcome": 1}))
    assert response.status_code == 200
    assert response.context["quarter"] == Q2
