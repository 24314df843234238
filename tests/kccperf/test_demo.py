from datetime import date

import pytest
from django.core.management import call_command

from kccperf.models import Directorate, Outcome, ReportingPeriod, Stage, User
from kccperf.periods import Quarter

pytestmark = pytest.mark.django_db

ROLES = {
    "lead.officer": "Lead officer",
    "cmt": "CMT",
    "analyst": "Analyst",
    "risk.manager": "Risk manager",
}


def snapshot():
    return (
        list(Directorate.objects.values()),
        list(Outcome.objects.values()),
        list(ReportingPeriod.objects.values()),
        list(User.objects.values("username", "password", "is_superuser").order_by("username")),
    )


def test_load_demo_builds_the_seed_organisation_and_a_user_per_role(client):
    call_command("load_demo", "--no-migrate", password="demo-pass-1", verbosity=0)
    assert Directorate.objects.get(slug="public-health").corporate_director == "Andrew Scott-Clark"
    edc = Directorate.objects.get(slug="economic-development-communities")
    assert [m.name for m in edc.cabinet_members_on(Quarter(2019, 2).end)] == [
        "Mike Whiting",
        "Mike Hill",
    ]
    assert list(Outcome.objects.values_list("number", flat=True)) == [1, 2, 3]
    stages = {p.label: p.stage for p in ReportingPeriod.objects.filter(start__gte=date(2019, 4, 1))}
    assert stages == {
        "Q1 2019/20": Stage.CLOSED,
        "Q2 2019/20": Stage.PUBLISHED,
        "Q3 2019/20": Stage.COLLECTING,
    }
    for username, role in ROLES.items():
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert client.login(username=username, password="demo-pass-1")
    assert User.objects.get(username="admin").is_superuser
    # Analysts manage activities and the managed lists in the admin, within their permissions.
    analyst = User.objects.get(username="analyst")
    assert analyst.is_staff and not analyst.is_superuser
    assert client.login(username="analyst", password="demo-pass-1")
    assert client.get("/admin/monitoring/activity/").status_code == 200
    assert client.get("/admin/auth/group/").status_code == 403


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo", "--no-migrate", password="demo-pass-1", verbosity=0)
    first = snapshot()
    call_command("load_demo", "--no-migrate", password="demo-pass-1", verbosity=0)
    assert snapshot() == first


def test_the_demo_password_can_be_changed(client):
    call_command("load_demo", "--no-migrate", password="demo-pass-1", verbosity=0)
    call_command("load_demo", "--no-migrate", password="demo-pass-2", verbosity=0)
    assert client.login(username="cmt", password="demo-pass-2")
    assert not client.login(username="cmt", password="demo-pass-1")
