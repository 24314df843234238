import os
import subprocess
import sys
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

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


# Issue 12: demo accounts never reach production --------------------------------------------


def test_load_demo_lists_every_account_it_creates():
    out = StringIO()
    call_command("load_demo", "--no-migrate", password="demo-pass-1", stdout=out)
    output = out.getvalue()
    listed = {
        line.split()[0] for line in output.splitlines() if line.startswith("  ") and "(" in line
    }
    assert listed == set(User.objects.values_list("username", flat=True))
    assert len(listed) > 5  # the lead officers of every activity, not only the documented five
    assert "  admin (superuser)" in output
    assert "  analyst (Analyst, staff)" in output
    assert f"{len(listed)} demo accounts, all with the password 'demo-pass-1'" in output


@pytest.mark.parametrize("command", ["load_demo", "generate_synthetic"])
def test_demo_commands_refuse_to_run_in_production(settings, command):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run with KCCPERF_ENV=production"):
        call_command(command, "--no-migrate" if command == "load_demo" else "--scale=1")
    assert not User.objects.exists()


def test_load_demo_exits_non_zero_in_production():
    from tests.kccperf.test_production_gate import GOOD_KEY, PRODUCTION
    from tests.kccperf.test_settings import ROOT

    env = {**os.environ, **PRODUCTION, "SECRET_KEY": GOOD_KEY}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo", "--no-migrate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "load_demo refuses to run with KCCPERF_ENV=production" in result.stderr
