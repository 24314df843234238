"""Returns that name the corporate risk register but whose activity has no open risk linked."""

from __future__ import annotations

from django.urls import reverse

from kccperf.models import ReportingPeriod
from kccperf.periods import Quarter
from monitoring.models import Return
from risks.models import Risk
from tests.risks.factories import make_activity, make_risk
from tests.risks.html import table_rows

Q2 = Quarter(2019, 2)


def make_return(lead, number: int, registers: list[str], title: str) -> Return:
    activity = make_activity(lead, number, title)
    return Return.objects.create(
        activity=activity,
        period=ReportingPeriod.objects.ensure(Q2),
        risk_registers=registers,
        issue_description=f"Issues of {title}",
    )


def test_it_lists_returns_naming_the_corporate_register_without_a_linked_risk(client, alice, erin):
    unlinked = make_return(alice, 1, ["corporate", "service"], "Unlinked activity")
    linked = make_return(alice, 2, ["corporate"], "Linked activity")
    make_risk().activities.add(linked.activity)
    removed_only = make_return(alice, 3, ["corporate"], "Only a removed risk")
    make_risk(status=Risk.Status.REMOVED, removal_reason="Gone").activities.add(
        removed_only.activity
    )
    make_return(alice, 4, ["directorate"], "Directorate register only")
    client.force_login(erin)
    rows = table_rows(
        client.get(reverse("risks:crosscheck-period", kwargs={"period": Q2})), "crosscheck"
    )
    titles = [row[0] for row in rows]
    assert any("Unlinked activity" in t for t in titles)
    assert any("Only a removed risk" in t for t in titles)
    assert not any("Linked activity" == t.split(" ", 1)[1] for t in titles)
    assert not any("Directorate register only" in t for t in titles)
    assert rows[0][4] == f"Issues of {unlinked.activity.title}"


def test_other_quarters_returns_are_not_listed(client, alice, erin):
    make_return(alice, 1, ["corporate"], "Q2 activity")
    client.force_login(erin)
    rows = table_rows(
        client.get(reverse("risks:crosscheck-period", kwargs={"period": Quarter(2019, 3)})),
        "crosscheck",
    )
    assert rows == [["Every return that names the corporate risk register has a linked risk."]]


def test_the_list_is_kept_until_a_return_or_a_risk_changes_it(client, alice, erin):
    """Rendered once per version of the returns and the register: a return flagged and a
    risk linked are each on the very next request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("risks:crosscheck-period", kwargs={"period": Q2})
    first = make_return(alice, 1, ["corporate"], "First flagged")
    client.force_login(erin)
    assert len(table_rows(client.get(url), "crosscheck")) == 1
    with CaptureQueriesContext(connection) as read:
        assert len(table_rows(client.get(url), "crosscheck")) == 1
    assert not [q for q in read.captured_queries if '"risk_registers"' in q["sql"]]
    make_return(alice, 2, ["corporate"], "Second flagged")
    titles = [row[0] for row in table_rows(client.get(url), "crosscheck")]
    assert len(titles) == 2 and any("Second flagged" in t for t in titles)
    make_risk().activities.add(first.activity)
    titles = [row[0] for row in table_rows(client.get(url), "crosscheck")]
    assert len(titles) == 1 and "Second flagged" in titles[0]
