"""What every page reads (permissions, roles, quarters, the outcome in the URL) is kept in
memory under the data's version (kccperf.lookups): a page served from the figure cache costs
three queries, and every change to roles, permissions, quarters or outcomes is on the very
next request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kccperf import figure_cache, lookups
from kccperf.models import Outcome, ReportingPeriod, Role, User
from kccperf.periods import Quarter
from tests.monitoring.factories import Q2, make_outcome

DASHBOARD = reverse("monitoring:outcome-dashboard", kwargs={"outcome": 1, "period": Q2})
SCORECARD = reverse("kpis:scorecard", kwargs={"period": "2019-20-q2"})
VIEW_ALL = "view_all"


@pytest.fixture
def outcome(db):
    return make_outcome(1)


def _queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    # Inside the test's transaction the versions are read after making its own pending bumps
    # fire (SET CONSTRAINTS): a statement a request in autocommit never runs.
    # (The audit trail's context is set in the same statement: django-pghistory.)
    sql = [q["sql"] for q in ctx.captured_queries if "SET CONSTRAINTS" not in q["sql"]]
    return len(sql), sql


@pytest.mark.parametrize("url", [DASHBOARD, SCORECARD])
def test_a_page_from_the_cache_costs_session_user_and_versions(client, carol, outcome, url):
    client.force_login(carol)
    client.get(url)  # fills the figure cache and the kept lookups
    count, sql = _queries(client, url)
    assert count == 3, "\n".join(s[:120] for s in sql)
    assert "django_session" in sql[0] and "kccperf_user" in sql[1]
    assert "kccperf_dataversion" in sql[2]


def test_a_role_given_or_taken_is_on_the_next_request(client, outcome):
    person = User.objects.create_user("pat", password="x")
    client.force_login(person)
    assert client.get(DASHBOARD).status_code == 403
    person.groups.add(Group.objects.get(name=Role.CMT.value))
    assert client.get(DASHBOARD).status_code == 200
    person.groups.clear()
    assert client.get(DASHBOARD).status_code == 403


def test_a_permission_taken_from_a_role_is_on_the_next_request(client, carol, outcome):
    client.force_login(carol)
    assert client.get(DASHBOARD).status_code == 200
    cmt = Group.objects.get(name=Role.CMT.value)
    cmt.permissions.remove(Permission.objects.get(codename=VIEW_ALL))
    assert client.get(DASHBOARD).status_code == 403


def test_made_superuser_is_on_the_next_request(client, outcome):
    # is_superuser is not one of the user columns that move the version: it is in the key.
    person = User.objects.create_user("sam", password="x")
    client.force_login(person)
    assert client.get(DASHBOARD).status_code == 403
    User.objects.filter(pk=person.pk).update(is_superuser=True)
    assert client.get(DASHBOARD).status_code == 200


def test_a_role_shown_in_the_header_follows_the_change(client, alice, outcome):
    client.force_login(alice)
    account = reverse("account")
    assert Role.ANALYST.label not in client.get(account).content.decode()
    alice.groups.add(Group.objects.get(name=Role.ANALYST.value))
    shown = client.get(account).content.decode()
    assert f"{Role.LEAD_OFFICER.label}, {Role.ANALYST.label}" in shown


def test_a_new_quarter_is_in_the_period_switcher_on_the_next_request(client, carol, outcome):
    client.force_login(carol)
    new = Quarter.parse("Q3 2031/32")
    assert new.label not in client.get(DASHBOARD).content.decode()
    ReportingPeriod.objects.create(start=new.start, end=new.end, label=new.label)
    assert new.label in client.get(DASHBOARD).content.decode()


def test_an_outcome_renamed_or_missing(client, carol, outcome):
    client.force_login(carol)
    client.get(DASHBOARD)
    Outcome.objects.filter(pk=outcome.pk).update(title="Children do well at school")
    assert "Children do well at school" in client.get(DASHBOARD).content.decode()
    missing = reverse("monitoring:outcome-dashboard", kwargs={"outcome": 9, "period": Q2})
    assert client.get(missing).status_code == 404


def test_outside_a_get_request_every_lookup_reads_the_database(db):
    calls = []
    for _ in range(2):
        lookups.versioned("probe", "kccperf", None, lambda: calls.append(1) or len(calls))
    assert calls == [1, 1]


def test_kept_instances_are_handed_out_as_copies(rf, db):
    make_outcome(1)
    middleware = lookups.DataVersionMiddleware(lambda request: _rename_twice())
    first, second = middleware(rf.get("/"))
    assert first.title == "changed by the first caller"
    assert second.title != first.title


def _rename_twice():
    first = Outcome.objects.numbered_or_404(1)
    first.title = "changed by the first caller"
    second = Outcome.objects.numbered_or_404(1)
    return first, second


def test_a_post_reads_the_versions_afresh(rf, db, monkeypatch):
    reads = []
    monkeypatch.setattr(
        figure_cache, "_read_versions", lambda using="default": reads.append(1) or None
    )

    def view(request):
        for _ in range(2):
            figure_cache.versions()
        return reads

    assert lookups.DataVersionMiddleware(view)(rf.get("/")) == [1]
    reads.clear()
    assert lookups.DataVersionMiddleware(view)(rf.post("/")) == [1, 1]
