"""The Q2 2019/20 overview with the demo data shows the seed report's figures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kccperf.periods import Quarter
from tests.risks.html import table_rows, text, tree

Q2 = Quarter(2019, 2)


@pytest.fixture
def q2_overview(client, carol, risk_demo):
    client.force_login(carol)
    return client.get(reverse("risks:overview-period", kwargs={"period": Q2}))


def test_it_counts_current_and_target_levels_as_the_seed(q2_overview):
    rows = table_rows(q2_overview, "level-counts")
    assert rows == [["Low", "0", "3"], ["Medium", "8", "15"], ["High", "11", "1"]]


def test_it_lists_the_three_new_risks(q2_overview):
    items = [text(li) for li in tree(q2_overview).xpath('//ul[@id="new-risks"]/li')]
    assert [item.split()[0] for item in items] == ["CRR0046", "CRR0047", "CRR0048"]


def test_it_lists_the_three_removed_risks_with_their_reasons(q2_overview):
    rows = table_rows(q2_overview, "removed-risks")
    assert [row[0].split()[0] for row in rows] == ["CRR0011", "CRR0013", "CRR0041"]
    assert all(row[1] and row[1] != "No reason recorded" for row in rows)
    assert "CRR0009" in rows[1][1]  # CRR0013's reason names the longer-term risk


def test_it_lists_the_changed_current_scores_old_to_new_with_reasons(q2_overview):
    rows = table_rows(q2_overview, "changed-risks")
    changes = {row[0].split()[0]: row[2].split(" (")[0] for row in rows}
    assert changes == {
        "CRR0002": "20 → 15",
        "CRR0004": "16 → 20",
        "CRR0016": "16 → 20",
        "CRR0039": "12 → 16",
        "CRR0040": "12 → 9",
    }
    assert all(row[3] and row[3] != "No reason recorded" for row in rows)


def test_the_actions_table_matches_the_seed(q2_overview):
    rows = table_rows(q2_overview, "action-counts")
    assert rows == [
        ["Due by 30 September 2019", "6", "0", "4", "10"],
        ["Due after 30 September 2019", "0", "1", "1", "2"],
    ]


def test_it_lists_the_updates_per_risk_recorded_since_the_previous_refresh(q2_overview):
    page = q2_overview.content.decode()
    assert "Written Statement of Action produced and published" in page  # CRR0044
    assert "restructured Constitution went to County Council" in page  # CRR0040


def test_the_q1_overview_is_the_first_refresh_with_nothing_to_compare(client, carol, risk_demo):
    client.force_login(carol)
    response = client.get(reverse("risks:overview-period", kwargs={"period": Quarter(2019, 1)}))
    assert "first refresh on record" in response.content.decode()
    assert sum(int(row[1]) for row in table_rows(response, "level-counts")) == 19


def test_the_overview_without_a_period_in_the_url_shows_the_chosen_period(client, carol, risk_demo):
    client.force_login(carol)
    client.get(reverse("switch-period"), {"period": Q2.slug, "next": "/"})
    response = client.get(reverse("risks:overview"))
    assert table_rows(response, "level-counts")[2] == ["High", "11", "1"]


def test_the_demo_loader_is_idempotent_and_leaves_19_open_risks_at_q2(risk_demo):
    from risks import demo
    from risks.models import ActionUpdate, Risk, RiskRefreshEntry
    from tests.factories import PASSWORD

    before = (Risk.objects.count(), RiskRefreshEntry.objects.count(), ActionUpdate.objects.count())
    demo.load(PASSWORD)
    after = (Risk.objects.count(), RiskRefreshEntry.objects.count(), ActionUpdate.objects.count())
    assert before == after
    assert Risk.objects.open().count() == 19
    assert Risk.objects.get(ref="CRR0002").owner_name == "Penny Southern"


def test_the_home_page_shows_the_register_panel_for_the_period(client, carol, risk_demo):
    client.force_login(carol)
    client.get(reverse("switch-period"), {"period": Q2.slug, "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert "Corporate risk register" in page
    assert "3 new, 3 removed, 5 with a changed current score" in page


def test_the_home_page_panel_is_hidden_from_lead_officers(rf, alice, risk_demo):
    from risks.views import home_panel

    request = rf.get("/")
    request.user = alice
    assert home_panel(request, Q2) is None
