"""The breadcrumb trail of every monitoring page: Home first, links, then the current page."""

import pytest
from django.urls import reverse

from tests.monitoring.factories import Q2, make_activity, make_outcome, make_return, make_window

HOME = ("Home", "/")


def _trail(response) -> list[tuple[str, str | None]]:
    assert response.status_code == 200
    return [(crumb["label"], crumb.get("url")) for crumb in response.context["breadcrumbs"]]


@pytest.fixture
def alices(alice, window):
    return make_activity(lead_officer=alice, outcome=make_outcome(1), number=6)


# monitoring/views.py ----------------------------------------------------------------------


def test_the_return_pages_lead_back_through_my_returns(client, alice, dan, alices, in_window):
    returns = reverse("monitoring:my-returns-period", kwargs={"period": Q2})
    edit = reverse("monitoring:return-edit", kwargs={"activity_pk": alices.pk, "period": Q2})
    client.force_login(alice)
    assert _trail(client.get(reverse("monitoring:my-returns"))) == [HOME, ("My SDP returns", None)]
    assert _trail(client.get(edit)) == [HOME, ("My SDP returns", returns), ("1.6 Q2 2019/20", None)]
    assert _trail(client.get(f"{edit}history/")) == [
        HOME,
        ("My SDP returns", returns),
        ("1.6 Q2 2019/20", edit),
        ("History", None),
    ]
    client.force_login(dan)
    reopen = _trail(client.get(f"{edit}reopen/"))
    assert reopen == [HOME, ("1.6 Q2 2019/20", edit), ("Reopen", None)]


def test_the_window_and_chase_pages_have_their_trails(client, dan, alices):
    windows = reverse("monitoring:window-list")
    chase = reverse("monitoring:chase-period", kwargs={"period": Q2})
    sdp_returns = ("SDP returns", reverse("monitoring:my-returns"))
    client.force_login(dan)
    assert _trail(client.get(windows)) == [HOME, ("Submission windows and quarters", None)]
    assert _trail(client.get(reverse("monitoring:window-create"))) == [
        HOME,
        ("Submission windows and quarters", windows),
        ("New submission window", None),
    ]
    edit_window = reverse("monitoring:window-edit", kwargs={"pk": make_window(Q2).pk})
    assert _trail(client.get(edit_window)) == [
        HOME,
        ("Submission windows and quarters", windows),
        ("Edit the Q2 2019/20 window", None),
    ]
    assert _trail(client.get(chase)) == [HOME, sdp_returns, ("Chase Q2 2019/20", None)]
    outcome = reverse("monitoring:chase-outcome", kwargs={"period": Q2, "outcome": 1})
    assert _trail(client.get(outcome)) == [
        HOME,
        sdp_returns,
        ("Chase Q2 2019/20", chase),
        ("Outcome 1", None),
    ]


# monitoring/dashboard_views.py ------------------------------------------------------------


def test_the_dashboards_and_their_analysis_lead_back_to_the_index(client, dan, alices):
    index = reverse("monitoring:dashboard-index", kwargs={"period": Q2})
    outcome = reverse("monitoring:outcome-dashboard", kwargs={"outcome": 1, "period": Q2})
    council = reverse("monitoring:council-dashboard", kwargs={"period": Q2})
    dashboards = ("Outcome dashboards", index)
    client.force_login(dan)
    assert _trail(client.get(index)) == [HOME, ("Outcome dashboards", None)]
    assert _trail(client.get(outcome)) == [HOME, dashboards, ("Outcome 1", None)]
    assert _trail(client.get(council)) == [HOME, dashboards, ("Council-wide", None)]
    edit = reverse("monitoring:analysis-edit", kwargs={"outcome": 1, "period": Q2})
    assert _trail(client.get(edit)) == [
        HOME,
        dashboards,
        ("Outcome 1", outcome),
        ("Edit analysis", None),
    ]
    edit = reverse("monitoring:council-analysis-edit", kwargs={"period": Q2})
    assert _trail(client.get(edit)) == [
        HOME,
        dashboards,
        ("Council-wide", council),
        ("Edit analysis", None),
    ]


# monitoring/scorecard_views.py ------------------------------------------------------------


def test_a_scorecard_leads_back_to_the_dashboard_or_to_my_returns(client, alice, dan, alices):
    make_return(alices, Q2, delivery="on_track")
    url = reverse("monitoring:scorecard", kwargs={"activity_pk": alices.pk, "period": Q2})
    dashboard = reverse("monitoring:outcome-dashboard", kwargs={"outcome": 1, "period": Q2})
    client.force_login(dan)
    assert _trail(client.get(url)) == [
        HOME,
        ("Outcome 1 dashboard", dashboard),
        ("Scorecard 1.6", None),
    ]
    printed = reverse("monitoring:scorecards-print", kwargs={"outcome": 1, "period": Q2})
    assert _trail(client.get(printed)) == [
        HOME,
        ("Outcome 1 dashboard", dashboard),
        ("Scorecards", None),
    ]
    client.force_login(alice)
    returns = reverse("monitoring:my-returns-period", kwargs={"period": Q2})
    assert _trail(client.get(url)) == [HOME, ("My SDP returns", returns), ("Scorecard 1.6", None)]
