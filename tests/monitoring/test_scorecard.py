"""Activity scorecards: access, the return in full, history and revisions, bulk exports."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kccperf.periods import Quarter
from tests.monitoring.factories import Q1, Q2, make_activity, make_outcome, make_return
from tests.spreadsheets import assert_named

Q4_LAST_YEAR = Quarter.parse("Q4 2018/19")


@pytest.fixture
def alices(alice):
    activity = make_activity(
        lead_officer=alice, outcome=make_outcome(1), number=6, title="Disabled children"
    )
    make_return(activity, Q4_LAST_YEAR, delivery="on_track")
    make_return(activity, Q1, delivery="on_track", new_end_date=date(2020, 10, 1))
    make_return(
        activity,
        Q2,
        delivery="unlikely",
        new_end_date=date(2021, 4, 1),
        issues=["capacity", "complexity"],
        issue_description="Not enough people.",
        mitigation="+Changed the approach",
        risk_registers=["none"],
        milestones={"go_live": date(2021, 4, 1)},
        expected=["cmm"],
    )
    return activity


def _url(activity, quarter=Q2):
    return reverse("monitoring:scorecard", kwargs={"activity_pk": activity.pk, "period": quarter})


def test_a_lead_officer_reads_the_scorecard_of_their_own_activity(client, alice, alices):
    client.force_login(alice)
    response = client.get(_url(alices))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not enough people." in page
    assert "+Changed the approach" in page
    assert "Open the Q2 2019/20 return" in page


def test_another_lead_officer_gets_404_for_a_scorecard_not_theirs(client, bob, alices):
    client.force_login(bob)
    assert client.get(_url(alices)).status_code == 404


def test_the_history_shows_the_delivery_timeline_and_date_revisions(client, carol, alices):
    client.force_login(carol)
    card = client.get(_url(alices)).context["card"]
    assert [(h.quarter, h.delivery) for h in card.history] == [
        (Q4_LAST_YEAR, "on_track"),
        (Q1, "on_track"),
        (Q2, "unlikely"),
    ]
    assert [(h.quarter, h.new_end_date) for h in card.revisions] == [
        (Q1, date(2020, 10, 1)),
        (Q2, date(2021, 4, 1)),
    ]
    assert card.previous.quarter == Q1
    # An earlier quarter's scorecard shows the history up to that quarter only.
    earlier = client.get(_url(alices, Q1)).context["card"]
    assert [h.quarter for h in earlier.history] == [Q4_LAST_YEAR, Q1]


def test_a_quarter_without_a_return_says_so(client, carol, alices):
    client.force_login(carol)
    page = client.get(_url(alices, Quarter.parse("Q3 2019/20"))).content.decode()
    assert "No return was made for Q3 2019/20." in page


def test_analysts_print_every_scorecard_of_an_outcome_one_per_page(client, dan, alices):
    make_return(make_activity(outcome=alices.outcome, number=7, title="Second"), Q2)
    client.force_login(dan)
    response = client.get(
        reverse("monitoring:scorecards-print", kwargs={"outcome": 1, "period": Q2})
    )
    page = response.content.decode()
    assert page.count('class="scorecard page-break"') == 2
    assert page.index("1.6 Disabled children") < page.index("1.7 Second")


def test_cmt_cannot_bulk_export_scorecards(client, carol, alices):
    client.force_login(carol)
    kwargs = {"outcome": 1, "period": Q2}
    assert client.get(reverse("monitoring:scorecards-print", kwargs=kwargs)).status_code == 403
    assert client.get(reverse("monitoring:scorecards-xlsx", kwargs=kwargs)).status_code == 403


def test_the_scorecards_xlsx_has_one_row_per_activity_with_every_field(client, dan, alices):
    make_activity(outcome=alices.outcome, number=7, title="No return yet")
    client.force_login(dan)
    response = client.get(
        reverse("monitoring:scorecards-xlsx", kwargs={"outcome": 1, "period": Q2})
    )
    assert_named(response, "sdp-scorecards-outcome-1-2019-20-Q2", "xlsx")
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(response.content)).active.rows]
    header = rows[0]
    assert len(rows) == 3
    first = dict(zip(header, rows[1], strict=True))
    assert first["Reference"] == "1.6"
    assert first["Is the activity on track?"] == "No, it is unlikely to be achieved"
    assert first["Delivery in the previous return"] == "Yes, it is on track"
    assert first["Issues"] == "Capacity; Complexity"
    assert first["Mitigating actions or escalations"] == "'+Changed the approach"
    assert first["Risk registers"] == "Not on a risk register"  # the form's "None"
    assert first["New end date"].date() == date(2021, 4, 1)
    assert first["Milestone: Go-live"].date() == date(2021, 4, 1)
    assert "Cabinet Members Meeting" in first["Expected governance during the rest of the year"]
    second = dict(zip(header, rows[2], strict=True))
    assert second["Return status"] == "Not started"


def test_milestones_read_in_date_order_and_empty_dates_never_say_none(client, carol, alice):
    activity = make_activity(lead_officer=alice, outcome=make_outcome(1), number=7)
    make_return(
        activity,
        Q2,
        delivery="on_track",
        milestones={
            "approval": date(2020, 6, 1),
            "eqia": None,
            "go_live": date(2019, 11, 1),
            "consultation": date(2020, 1, 15),
        },
    )
    client.force_login(carol)
    page = client.get(_url(activity)).content.decode()
    order = [
        page.index(text)
        for text in (
            "Go-live: 01/11/2019",
            "Consultation start: 15/01/2020",
            "Approval to proceed: 01/06/2020",
            "EQIA initial screening: date not known",
        )
    ]
    assert order == sorted(order)
    assert ">None<" not in page
    assert "Not changed" in page
