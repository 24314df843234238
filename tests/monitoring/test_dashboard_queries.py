"""Dashboards, their exports and scorecards: query counts do not grow with the activities."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kccperf import lookups
from tests.monitoring.factories import Q1, Q2, make_activity, make_outcome, make_return

DELIVERIES = ["on_track", "remedial", "unlikely"]


def _activities(count: int):
    """``count`` activities of outcome 1, each with a Q1 and a Q2 return with issues,
    milestones and expected governance."""
    outcome = make_outcome(1)
    activities = []
    for n in range(count):
        activity = make_activity(outcome=outcome)
        for quarter in (Q1, Q2):
            make_return(
                activity,
                quarter,
                delivery=DELIVERIES[n % 3],
                issues=["capacity", "dependencies"] if n % 3 else [],
                milestones={"go_live": date(2020, 3, 1), "approval": date(2019, 7, 1)},
                expected=["cabinet_committee", "informal"],
                boards_reported=["cmm"],
                risk_registers=["project"] if n % 3 else [],
                mitigation="A working group." if n % 3 else "",
            )
        activities.append(activity)
    return activities


def _queries(client, url) -> int:
    lookups.clear()  # counted cold: the roles and quarters kept in memory are read too
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


OUTCOME_1 = {"outcome": 1, "period": Q2}
CACHE_MISS = 8

# Every figure page/export: session, user, and the user's permissions (user, group) first,
# after SET CONSTRAINTS (inside the test's transaction) and the data versions under which
# permissions, roles, quarters and outcomes are kept in memory (kccperf.lookups; counted
# here the first time after a change, when they are read too).
# figures.load: activities (with outcome, type, directorate, lead officer), returns, their
# issue themes, milestones and expected governance (prefetches), the managed list of themes.
PAGES = [
    # + the outcome; the saved analysis; the trend (one aggregate); the returns by state
    # (sign-off, one aggregate); the role label's groups, reporting periods (period bar)
    # Q2 is collecting here: + the notice's three counts (returns, KPI values, risk refresh)
    # The content is cached (kccperf.figure_cache): + SET CONSTRAINTS, the data versions,
    # the shared cache's read and its write (savepoint, count, select, insert, release).
    # What changed since Q1 (monitoring.changes): + both quarters' returns, their issue
    # themes and milestones. Sign-off: + the returns by state (one count).
    ("outcome dashboard", "monitoring:outcome-dashboard", OUTCOME_1, "", 22 + CACHE_MISS),
    # + the outcome; reporting periods (the quarter's stage: how it is compared)
    ("summary CSV", "monitoring:outcome-dashboard", OUTCOME_1, "?_export=csv", 14),
    ("summary XLSX", "monitoring:outcome-dashboard", OUTCOME_1, "?_export=xlsx", 14),
    ("figures CSV", "monitoring:outcome-dashboard", OUTCOME_1, "?_export=figures", 14),
    # council-wide: no outcome to fetch
    ("council dashboard", "monitoring:council-dashboard", {"period": Q2}, "", 18 + CACHE_MISS),
    # + outcomes (one query for all); groups, reporting periods
    ("dashboard index", "monitoring:dashboard-index", {"period": Q2}, "", 16 + CACHE_MISS),
    # the outcome, its due activities, history returns, the quarter's returns with issue
    # themes, milestones and expected governance; groups, reporting periods; + how many
    # activities (20 a page) and the content cached (the cache's read and write)
    ("printable scorecards", "monitoring:scorecards-print", OUTCOME_1, "", 19 + CACHE_MISS - 2),
    ("scorecards XLSX", "monitoring:scorecards-xlsx", OUTCOME_1, "", 13),
]


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("name,url_name,kwargs,query,expected", PAGES, ids=[p[0] for p in PAGES])
def test_dashboards_and_exports_take_the_same_queries_for_3_or_30_activities(
    client, dan, django_assert_num_queries, rows, name, url_name, kwargs, query, expected
):
    _activities(rows)
    client.force_login(dan)
    with django_assert_num_queries(expected):
        response = client.get(reverse(url_name, kwargs=kwargs) + query)
    assert response.status_code == 200


def test_the_query_count_of_every_dashboard_page_is_the_same_for_3_and_30(client, dan):
    first = _activities(3)
    client.force_login(dan)
    urls = [reverse(u, kwargs=k) + q for _, u, k, q, _ in PAGES]
    small = [_queries(client, url) for url in urls]
    _activities(27)
    assert [_queries(client, url) for url in urls] == small
    assert len(first) == 3


@pytest.mark.parametrize("rows", [3, 30])
def test_a_scorecard_takes_the_same_queries_whatever_the_history_and_activities(
    client, alice, django_assert_num_queries, rows
):
    activity = _activities(rows)[0]
    activity.lead_officer = alice
    activity.save()
    client.force_login(alice)
    # session, user, activity (visible to alice, with outcome, directorate, lead officer,
    # type), perms (user, group) and the editable_by query for is_editable_by; history
    # returns; the quarter's return with issue themes, milestones and expected governance;
    # groups (role label), periods; the collecting quarter's notice (alice's returns in);
    # SET CONSTRAINTS and the data versions (kccperf.lookups, cold after the data changed);
    # what changed since Q1: both quarters' returns, their issue themes and milestones
    with django_assert_num_queries(19):
        response = client.get(
            reverse("monitoring:scorecard", kwargs={"activity_pk": activity.pk, "period": Q2})
        )
    assert len(response.context["card"].history) == 2


# Read again, the page is kept whole for the person (kccperf.page_cache): session, user,
# SET CONSTRAINTS (inside the test's transaction) and the data versions, nothing else: no
# count, no permission, nothing that grows with the activities.
CACHED = [
    ("outcome dashboard", "monitoring:outcome-dashboard", OUTCOME_1, 4),
    ("council dashboard", "monitoring:council-dashboard", {"period": Q2}, 4),
]


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("name,url_name,kwargs,expected", CACHED, ids=[p[0] for p in CACHED])
def test_a_dashboard_read_again_comes_from_the_cache_in_a_fixed_handful_of_queries(
    client, dan, django_assert_num_queries, rows, name, url_name, kwargs, expected
):
    _activities(rows)
    client.force_login(dan)
    url = reverse(url_name, kwargs=kwargs)
    first = client.get(url)
    with django_assert_num_queries(expected):
        again = client.get(url)
    assert again.templates == []  # nothing rendered
    # the same page, but for the CSRF token (masked afresh) and the CSP nonce
    assert _without_per_response_values(again) == _without_per_response_values(first)


def _without_per_response_values(response) -> str:
    import re

    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0], "")
