"""Page query counts do not grow with the number of activities."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kccperf import lookups
from tests.monitoring.factories import Q2, make_activity, make_return
from tests.spreadsheets import assert_named


def _activities(lead, count, **kwargs):
    for n in range(count):
        activity = make_activity(lead_officer=lead, **kwargs)
        if n % 3 == 0:
            make_return(activity, Q2, status="draft" if n % 2 else "submitted")


def _count(client, url):
    lookups.clear()  # counted cold: the roles and quarters kept in memory are read too
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("rows", [3, 30])
def test_my_returns_takes_the_same_queries_for_3_or_30_activities(
    client, alice, window, in_window, django_assert_num_queries, rows
):
    _activities(alice, rows)
    client.force_login(alice)
    # session, user, user's groups (role label), perms (x2: user and group perms),
    # the open window, alice's activities with their return status, reporting periods
    # (period bar); the collecting quarter's notice (her returns in: one count)
    # + SET CONSTRAINTS and the data versions (kccperf.lookups: the roles, permissions and
    # quarters kept in memory are read afresh after the data changed)
    with django_assert_num_queries(11):
        response = client.get(reverse("monitoring:my-returns"))
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_chase_page_takes_the_same_queries_for_3_or_30_activities(
    client, alice, dan, window, django_assert_num_queries, rows
):
    _activities(alice, rows)
    client.force_login(dan)
    # session, user, perms (user, group), groups (role label); outstanding activities +
    # their delegates (prefetch), window, response rate, returns by state (sign-off), rate by
    # outcome, reporting periods; the collecting quarter's notice (three counts)
    # + SET CONSTRAINTS and the data versions (kccperf.lookups: the roles, permissions and
    # quarters kept in memory are read afresh after the data changed)
    # + the content cached (kccperf.figure_cache): the shared cache's read and its write
    # (savepoint, count, select, insert, release)
    with django_assert_num_queries(17 + 6):
        client.get(reverse("monitoring:chase-period", kwargs={"period": Q2}))


@pytest.mark.parametrize("rows", [3, 30])
def test_the_chase_csv_takes_the_same_queries_for_3_or_30_activities(
    client, alice, dan, window, django_assert_num_queries, rows
):
    _activities(alice, rows)
    client.force_login(dan)
    # session, user, perms (user, group); outstanding activities + delegates (prefetch)
    # + SET CONSTRAINTS and the data versions (kccperf.lookups: the roles, permissions and
    # quarters kept in memory are read afresh after the data changed)
    with django_assert_num_queries(8):
        response = client.get(
            reverse("monitoring:chase-period", kwargs={"period": Q2}) + "?_export=csv"
        )
    lines = response.content.decode().strip().splitlines()
    assert len(lines) == 1 + rows - len(range(0, rows, 3)[::2])
    assert_named(response, "sdp-outstanding-returns-2019-20-Q2", "csv")


@pytest.mark.parametrize("saves", [3, 30])
def test_the_history_takes_the_same_queries_for_3_or_30_saves(
    client, alice, activity, django_assert_num_queries, saves
):
    from monitoring.models import ReturnRevision

    ret = make_return(activity, Q2)
    ReturnRevision.objects.bulk_create(
        ReturnRevision(return_obj=ret, version=n, by=alice, changes={"progress": ["a", str(n)]})
        for n in range(1, saves + 1)
    )
    client.force_login(alice)
    url = reverse("monitoring:return-history", kwargs={"activity_pk": activity.pk, "period": Q2})
    # session, user, the activity (visible to alice), the return, its revisions with who
    # made them, perms (x2), whether alice may edit it (Activity.editable_by), groups (role
    # label), reporting periods (period bar); the collecting quarter's notice (one count)
    # + SET CONSTRAINTS and the data versions (kccperf.lookups)
    with django_assert_num_queries(13):
        response = client.get(url)
    assert len(response.context["revisions"]) == saves
