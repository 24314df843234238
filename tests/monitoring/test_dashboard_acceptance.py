"""The seed's Q2 2019/20 Strategic Outcome 1 figures on the rendered dashboards (demo data)."""

import csv
import io

import pytest
from django.db import transaction
from django.urls import reverse

from kccperf import demo as organisation_demo
from kccperf.periods import Quarter
from monitoring import demo
from tests.monitoring.pages import figure_rows, overview_cards, summary_rows, table_rows, text_of
from tests.spreadsheets import assert_named

Q2 = Quarter.parse("Q2 2019/20")


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    """The demo loaded once for this module, in a transaction rolled back at its end; each
    test runs in a savepoint inside it (the loader takes seconds)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            organisation_demo.load("pw")
            demo.load("pw")
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo_data(_demo_once, db):
    return None


@pytest.fixture
def outcome_1(demo_data, client, carol):
    client.force_login(carol)
    response = client.get(
        reverse("monitoring:outcome-dashboard", kwargs={"outcome": 1, "period": Q2})
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_outcome_1_dashboard_shows_the_seeds_headline_figures(outcome_1):
    cards = overview_cards(outcome_1)
    assert cards["responses.submitted"]["value"] == "100% (14)"
    assert cards["delivery.on_track"]["value"] == "64% (9)"
    assert cards["delivery.on_track"]["change"] == "Down from 12 in Q1"
    assert cards["delivery.remedial"]["value"] == "29% (4)"
    assert cards["delivery.remedial"]["change"] == "Up from 0 in Q1"
    assert cards["delivery.unlikely"]["value"] == "7% (1)"
    assert cards["delivery.unlikely"]["change"] == "Down from 2 in Q1"
    assert cards["due_this_year.not_on_track"]["value"] == "71% (5)"
    assert cards["not_on_track_type.people_commissioning"]["value"] == "60% (3)"
    assert cards["milestones.identified"]["value"] == "64% (9)"
    assert cards["milestones.identified"]["change"] == "Down from 12 in Q1"
    assert cards["issues.capacity"]["value"] == "100% (5)"
    assert cards["issues.dependencies"]["value"] == "80% (4)"
    assert cards["issues.complexity"]["value"] == "60% (3)"
    assert cards["issues.stakeholders"]["value"] == "40% (2)"
    assert cards["mitigation.in_place"]["value"] == "100% (5)"
    assert cards["governance.expected.informal"]["value"] == "29% (4)"
    assert cards["governance.expected.cabinet_committee"]["value"] == "57% (8)"
    assert cards["risk_register.project"]["value"] == "60% (3)"
    assert cards["risk_register.service"]["value"] == "20% (1)"


def test_the_outcome_1_dashboard_section_tables_give_counts_bases_and_q1(outcome_1):
    rows = figure_rows(outcome_1)

    def row(key):
        r = rows[key]
        return r["value"], r["base"], r["previous"]

    # §2: delivery, Q1 12 / 0 / 2; 5 of the 7 due to complete in 2019/20 not on track.
    assert row("delivery.on_track") == ("64% (9)", "14", "12")
    assert row("delivery.remedial") == ("29% (4)", "14", "0")
    assert row("delivery.unlikely") == ("7% (1)", "14", "2")
    assert row("due_this_year.total")[0] == "50% (7)"
    assert row("due_this_year.not_on_track") == ("71% (5)", "7", "2")
    assert rows["delivery.remedial"]["change"] == "Up from 0 in Q1"
    # §3: 9 identified milestones (12 in Q1), by type.
    assert row("milestones.identified") == ("64% (9)", "14", "12")
    assert row("milestones.approval") == ("67% (6)", "9", "9")
    assert row("milestones.eqia") == ("78% (7)", "9", "2")
    assert row("milestones.go_live") == ("100% (9)", "9", "5")
    assert row("revised_dates.total") == ("36% (5)", "14", "1")
    # §4: issue themes among the 5 not on track; more than one issue: 5, up from 2.
    assert row("issues.capacity") == ("100% (5)", "5", "1")
    assert row("issues.dependencies") == ("80% (4)", "5", "2")
    assert row("issues.complexity") == ("60% (3)", "5", "0")
    assert row("issues.stakeholders") == ("40% (2)", "5", "1")
    assert row("issues.more_than_one") == ("100% (5)", "5", "2")
    assert row("issue_count.2")[0] == "60% (3)"
    # §6: expected reporting CMM 3 (5 in Q1), Cabinet Committee 8 (9), informal 4 (9).
    assert row("governance.expected.cmm") == ("21% (3)", "14", "5")
    assert row("governance.expected.cabinet_committee") == ("57% (8)", "14", "9")
    assert row("governance.expected.informal") == ("29% (4)", "14", "9")
    assert row("governance.expected.none") == ("29% (4)", "14", "2")
    assert row("governance.informal_forward_plan") == ("25% (1)", "4", "2")
    assert row("governance.reported.cmm")[0] == "14% (2)"
    assert row("governance.reported.cabinet_committee")[0] == "29% (4)"
    assert row("governance.reported.informal")[0] == "29% (4)"
    # §8: risk registers of the not-on-track activities.
    assert row("risk_register.project") == ("60% (3)", "5", "1")
    assert row("risk_register.service") == ("20% (1)", "5", "1")
    assert row("risk_register.recorded")[0] == "80% (4)"


def test_the_outcome_1_dashboard_tables_name_the_activities(outcome_1):
    not_on_track = table_rows(outcome_1, "not-on-track")
    assert [r[0].split(" ", 1)[0] for r in not_on_track] == ["1.4", "1.5", "1.6", "1.10", "1.11"]
    assert not_on_track[0][1:4] == [
        "No, it is unlikely to be achieved",
        "It requires remedial action",
        "Capacity; Dependencies",
    ]
    revised = table_rows(outcome_1, "revised-dates")
    assert [r[1:] for r in revised] == [
        ["Yes, it is on track", "01/04/2020", "01/10/2020", "–"],
        ["Yes, it is on track", "01/04/2020", "01/10/2020", "–"],
        ["It requires remedial action", "31/03/2020", "–", "01/09/2020"],
        ["No, it is unlikely to be achieved", "31/03/2020", "01/04/2021", "–"],
        ["It requires remedial action", "31/05/2019", "–", "01/09/2020"],
    ]
    assert "1.6 Delivering the Commissioning Strategy" in text_of(
        outcome_1, "//ul[@id='unrecorded']"
    )
    summary = summary_rows(outcome_1)
    assert len(summary) == 14
    assert summary["1.4"][1] == "Requires remedial action"
    assert summary["1.1"][2] == "None identified"


def test_the_generated_analysis_gives_the_numbers_and_the_q1_comparison(outcome_1):
    analysis = text_of(outcome_1, "//div[@class='analysis-text']")
    assert "4 (29%) require remedial action (up from 0 in Q1)" in analysis
    assert "1 (7%) is unlikely to be achieved (down from 2 in Q1)" in analysis
    assert "9 of the 14 activities identified key milestones (64%, down from 12 in Q1)" in (
        analysis
    )
    assert (
        "Submissions: all 14 activities of Strategic Outcome 1 due a return for Q2 2019/20 "
        "submitted it (100%, the same as in Q1)."
    ) in analysis
    # The ones not on track are split into what they are, not into "2 on track, ...".
    assert (
        "7 activities are due to complete in 2019/20. Of these, 5 (71%) are not on track "
        "(up from 2 in Q1): 4 require remedial action and 1 is unlikely to be achieved."
    ) in analysis
    assert "Not recorded on any risk register: 6. Delivering the Commissioning" in analysis


def test_the_council_wide_view_has_79_activities_and_the_index_lists_it(demo_data, client, dan):
    client.force_login(dan)
    html = client.get(
        reverse("monitoring:council-dashboard", kwargs={"period": Q2})
    ).content.decode()
    assert figure_rows(html)["responses.submitted"]["value"] == "100% (79)"
    assert len(summary_rows(html)) == 79
    index = client.get(reverse("monitoring:dashboard-index", kwargs={"period": Q2}))
    index = index.content.decode()
    headings = text_of(index, "//section/h2")
    assert "Outcome 1:" in headings and "Council-wide" in headings
    assert "100% (14)" in index and "100% (79)" in index


def test_the_figures_csv_has_one_row_per_figure_with_q1(outcome_1, client, dan):
    client.force_login(dan)  # downloads need the export permission (analysts)
    response = client.get(
        reverse("monitoring:outcome-dashboard", kwargs={"outcome": 1, "period": Q2}),
        {"_export": "figures"},
    )
    assert_named(response, "sdp-outcome-1-figures-2019-20-Q2", "csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_key = {r["key"]: r for r in rows}
    assert len(by_key) == len(rows)
    assert by_key["delivery.remedial"] == {
        "key": "delivery.remedial",
        "label": "Activities that require remedial action",
        "count": "4",
        "base": "14",
        "percentage": "29",
        "previous_count": "0",
        "previous_base": "14",
    }
    assert by_key["issues.capacity"]["count"] == "5"
    assert by_key["governance.expected.cmm"]["previous_count"] == "5"
