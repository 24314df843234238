import pytest
from django.urls import reverse

from kccperf.navigation import breadcrumbs, nav_for


def labels(user, path="/"):
    return [item["label"] for item in nav_for(user, path)]


def test_lead_officers_see_only_home_and_their_returns(alice):
    assert labels(alice) == ["Home", "SDP returns"]


def test_cmt_reads_dashboards_scorecards_the_register_and_reports(carol):
    assert labels(carol) == [
        "Home",
        "Outcome dashboards",
        "KPI scorecards",
        "Risk register",
        "Reports",
    ]


def test_analysts_see_everything(dan):
    assert labels(dan) == [
        "Home",
        "SDP returns",
        "Outcome dashboards",
        "KPI scorecards",
        "Risk register",
        "Reports",
        "Load data",
        "Change log",
    ]


def test_risk_managers_see_the_register_and_load_it(erin):
    assert labels(erin) == ["Home", "Risk register", "Load data"]


def test_the_current_section_is_marked(dan):
    items = nav_for(dan, reverse("kpis:scorecard") + "anything/")
    assert [i["label"] for i in items if i["current"]] == ["KPI scorecards"]
    assert [i["label"] for i in nav_for(dan, "/") if i["current"]] == ["Home"]


def test_lead_officers_land_on_their_returns(client, alice):
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:my-returns")


@pytest.mark.parametrize("username", ["carol", "dan", "erin"])
def test_the_header_names_the_person_and_their_role(client, cast, username):
    client.force_login(cast[username])
    content = client.get(reverse("home")).content.decode()
    user = cast[username]
    assert f'<span class="account-name">{user.get_full_name()}</span>' in content
    assert f'<span class="account-role">{user.role_label}</span>' in content


def test_the_load_data_page_lists_the_uploads_each_person_may_use(client, dan, erin):
    client.force_login(dan)
    content = client.get(reverse("load-data")).content.decode()
    assert reverse("kpis:import-results") in content
    assert reverse("monitoring:import-returns") in content
    # The register is the risk manager's.
    assert reverse("risks:import") not in content
    client.force_login(erin)
    content = client.get(reverse("load-data")).content.decode()
    assert reverse("risks:import") in content
    assert reverse("kpis:import-results") not in content


def test_breadcrumbs_start_at_home_and_end_at_the_current_page():
    assert breadcrumbs(("Reports", "/reports/"), ("Tables", None), "Edit") == [
        {"label": "Home", "url": "/"},
        {"label": "Reports", "url": "/reports/"},
        {"label": "Tables", "url": None},
        {"label": "Edit", "url": None},
    ]
