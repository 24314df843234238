"""Every role's first day on the demo: a live Q3 2019/20 being collected, Q2 2019/20 closed
and published. Each role's home leads to its work, and a risk manager's refresh with the
form's defaults moves nobody's quarter."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kccperf.models import ReportingPeriod, User
from kccperf.periods import Quarter
from monitoring.models import Activity, Return

pytestmark = pytest.mark.django_db

Q2, Q3 = Quarter(2019, 2), Quarter(2019, 3)
PASSWORD = "demo-pass-1"


@pytest.fixture
def demo(db):
    call_command("load_demo", "--no-migrate", password=PASSWORD, verbosity=0)


def _login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def _links(html: str) -> list[str]:
    return re.findall(r'<a [^>]*href="(/[^"#]*)"', html)


def _main(html: str) -> str:
    return html[html.index('<main id="main-content"') : html.index("</main>")]


def test_the_lead_officer_starts_and_submits_a_q3_return_on_the_first_day(client, demo):
    _login(client, "lead.officer")
    home = client.get("/", follow=True)
    assert home.context["period"] == Q3
    assert home.context["window_open"]
    rows = home.context["rows"]
    assert [r["activity"].reference for r in rows] == ["1.4", "1.5"]
    assert all(r["editable"] and r["status"] == Return.Status.NOT_STARTED for r in rows)
    # The period bar and the list agree.
    assert "Showing <strong>Q3 2019/20</strong>" in home.content.decode()

    activity = rows[0]["activity"]
    url = reverse("monitoring:return-edit", kwargs={"activity_pk": activity.pk, "period": Q3})
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "version": "0",
        "action": "submit",
        "delivery": "on_track",
        "started": "yes",
        "progress": "Placements reviewed with the provider.",
        "no_new_date": "on",
        "gov-TOTAL_FORMS": "0",
        "gov-INITIAL_FORMS": "0",
        "gov-MIN_NUM_FORMS": "0",
        "gov-MAX_NUM_FORMS": "20",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Return.objects.for_quarter(Q3).get(activity=activity)
    assert saved.status == Return.Status.SUBMITTED


def test_cmt_reads_the_published_q2_reports_and_every_outcome_from_home(client, demo):
    _login(client, "cmt")
    home = client.get("/")
    assert home.status_code == 200
    assert home.context["period"] == Q2
    html = home.content.decode()
    assert "28 Green" in html and "5 Amber" in html and "2 Red" in html
    links = _links(_main(html))
    for number in (1, 2, 3):
        assert f"/monitoring/dashboards/outcome/{number}/2019-20-q2/" in links
    for link in links:  # nothing on CMT's home is empty, refused or missing
        response = client.get(link)
        assert response.status_code == 200, link
        assert "My SDP returns" not in response.content.decode(), link
    reports = client.get(reverse("reports:index"))
    report_links = [
        link for link in _links(_main(reports.content.decode())) if "2019-20-q2" in link
    ]
    qpr = reverse("reports:qpr", kwargs={"period": Q2})
    sdp = reverse("reports:sdp-outcome", kwargs={"period": Q2, "number": 1})
    assert qpr in report_links and sdp in report_links
    for url in (qpr, sdp):
        page = client.get(url)
        assert page.status_code == 200
        assert "version 1" in page.content.decode().lower()


def test_the_analyst_opens_on_the_collecting_quarter_and_its_chase_list(client, demo):
    _login(client, "analyst")
    home = client.get("/")
    assert home.context["period"] == Q3
    html = home.content.decode()
    chase = reverse("monitoring:chase-period", kwargs={"period": Q3})
    assert chase in _links(html)
    page = client.get(chase)
    assert page.status_code == 200
    outstanding = Activity.objects.due_in(Q3).count() - 32
    assert page.context["rate"].submitted == 32
    assert len(page.context["table"].rows) == outstanding
    assert "Show the last published quarter, Q2 2019/20" in html
    for link in _links(_main(html)):
        assert client.get(link).status_code == 200, link
    assert client.get(reverse("risks:crosscheck")).status_code == 200


def test_a_refresh_with_the_forms_defaults_moves_nobodys_quarter(client, demo):
    before = {}
    for username in ("cmt", "analyst"):
        page = _login(Client(), username).get("/")
        before[username] = (page.context["period"], _main(page.content.decode()))
    _login(client, "risk.manager")
    home = client.get("/")
    assert reverse("risks:refresh-record") in _links(home.content.decode())
    form = client.get(reverse("risks:refresh-record"))
    initial = form.context["header"].initial
    data = {
        "date": initial["date"].strftime("%d/%m/%Y"),
        "label": initial["label"],
        "version": form.context["header"]["version"].value(),
    }
    for line in form.context["lines"]:
        for field in line.visible_fields():
            value = line[field.name].value()
            data[line.add_prefix(field.name)] = "" if value is None else value
    response = client.post(reverse("risks:refresh-record"), data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    assert ReportingPeriod.objects.filter(start=Q3.start).exists()
    for username in ("cmt", "analyst"):
        page = _login(Client(), username).get("/")
        period, main = before[username]
        assert page.context["period"] == period
        if username == "cmt":
            assert _main(page.content.decode()) == main


@pytest.mark.parametrize("username", ["risk.manager", "lead.officer", "admin"])
def test_every_link_on_a_home_page_works_for_its_role(client, demo, username):
    _login(client, username)
    home = client.get("/", follow=True)
    links = _links(_main(home.content.decode()))
    assert links
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, (username, link, response.status_code)
