"""The register, overview, heat maps and exports run a fixed number of queries, however many
risks, refreshes, actions and updates there are."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kccperf import lookups
from kccperf.models import Directorate
from tests.risks.factories import make_action, make_entry, make_refresh, make_risk, make_update


def build(risks: int, refreshes: int, offset: int = 0) -> None:
    """``risks`` more risks and ``refreshes`` more quarterly refreshes from 2015 + ``offset``
    quarters, each with an entry per risk; an action with an update per risk."""
    directorate = Directorate.objects.create(
        name=f"D{offset}", short_name=f"D{offset}", slug=f"d{offset}"
    )
    made = [make_risk(directorates=[directorate], owner_name="Owner") for _ in range(risks)]
    dates = [date(2015, 3, 31) + timedelta(days=91 * (offset + n)) for n in range(refreshes)]
    for n, day in enumerate(dates):
        refresh = make_refresh(day.isoformat())
        for risk in made:
            make_entry(refresh, risk, current_likelihood=1 + (n % 5))
    for risk in made:
        action = make_action(risk, due_date=None, regular_review=True, status="regular_review")
        make_update(action, on=dates[-1].isoformat())


def count(client, url: str) -> int:
    lookups.clear()  # counted cold: the roles and quarters kept in memory are read too
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


# Every page: session, user, the user's group permissions (one query, cached for the
# request), reporting periods (period switcher). Then, per page (the counts in
# test_each_page_runs_its_named_queries are of a page read again: permissions, periods and
# groups are then kept in memory under the data versions, kccperf.lookups, and SET
# CONSTRAINTS and the versions are read instead):
EXPECTED = {
    # bands; owners for the filter; the risks; the last two refreshes; their entries; the
    # user's groups (role label in the header); the filter's directorates and categories.
    # Read again (as here), the register comes from the figure cache: SET CONSTRAINTS, the
    # data versions, and the user's permissions (its flags)
    "/risks/": 4,
    # the same queries, filtered
    "/risks/?level=High&owner=Owner": 4,
    # the same table without the page around it: no periods, groups or filter choices
    "/risks/?_export=csv": 9,
    "/risks/?_export=xlsx": 9,
    # Built (a miss, as in the flat test above): refresh for the period (none dated in it,
    # so the latest before: 2 queries); bands; previous refresh; entries of both; following
    # refresh; actions; their updates; groups; the list of refreshes. Read again (as here),
    # from the figure cache: session, user, the audit context, the data versions, and the
    # refresh for the period (2 queries)
    "/risks/overview/": 6,
    "/risks/overview/?page=2": 6,
    # Built: refresh for the period (2 queries); bands; scale labels; entries with their
    # risks; groups. Read again: as the overview
    "/risks/heatmaps/": 6,
}


@pytest.mark.parametrize("url", list(EXPECTED))
def test_the_query_count_does_not_grow_with_risks_or_refreshes(client, erin, url):
    client.force_login(erin)
    build(risks=3, refreshes=2)
    small = count(client, url)
    build(risks=30, refreshes=6, offset=10)
    large = count(client, url)
    assert small == large


@pytest.mark.parametrize(("url", "queries"), list(EXPECTED.items()))
def test_each_page_runs_its_named_queries(client, erin, django_assert_num_queries, url, queries):
    client.force_login(erin)
    build(risks=5, refreshes=3)
    client.get(url)  # warm the session
    with django_assert_num_queries(queries):
        client.get(url)


def test_the_home_panel_runs_a_fixed_handful_of_queries(rf, erin, django_assert_num_queries):
    from kccperf.periods import Quarter
    from risks.views import home_panel

    build(risks=3, refreshes=2)
    request = rf.get("/")
    request.user = erin
    erin.has_perm("risks.view_risk")  # permissions are cached per request
    quarter = Quarter(2015, 1)
    # refresh in the quarter; SET CONSTRAINTS, data versions, the shared cache's read; bands;
    # previous refresh; entries of both refreshes; the cache's write (savepoint, count,
    # select, insert, release)
    with django_assert_num_queries(13):
        small = home_panel(request, quarter)
    build(risks=30, refreshes=6, offset=10)
    with django_assert_num_queries(13):
        assert home_panel(request, quarter) == small
    # read again: the refresh, SET CONSTRAINTS, the data versions; the rest from the cache
    with django_assert_num_queries(3):
        assert home_panel(request, quarter) == small
