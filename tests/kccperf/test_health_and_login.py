from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse


def test_healthz_answers_without_login_when_the_database_is_up(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "disk": "ok"}


def test_healthz_is_503_when_the_database_refuses_writes(client, db):
    from django.db import connection

    # Every DDL statement fails, as on a database that can no longer write its catalogue;
    # reads still answer, so a SELECT 1 health check would have said ok.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_writes() RETURNS event_trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; END $$"
        )
        cursor.execute(
            "CREATE EVENT TRIGGER refuse_writes ON ddl_command_start "
            "EXECUTE FUNCTION refuse_writes()"
        )
        cursor.execute("SELECT 1")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["disk"] == "ok"
    assert body["database"] not in ("ok", "")  # the error's class, e.g. ProgrammingError


def test_healthz_is_503_when_the_disk_is_nearly_full(client, db, settings):
    settings.KCCPERF_MIN_FREE_DISK_MB = 10**12  # more than any disk has free
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["database"] == "ok"
    assert body["disk"].startswith("low: ") and "MB free, below 1000000000000 MB" in body["disk"]


def test_healthz_is_503_when_the_database_fails(client, db):
    with mock.patch("kccperf.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_pages_redirect_anonymous_people_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_wrong_password_says_what_is_wrong(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Please enter a correct username and password" in response.content


@pytest.mark.parametrize("username", ["carol", "dan", "erin"])
def test_home_shows_the_council_overview_to_readers(client, cast, username):
    from tests.factories import make_directorate, make_period

    make_period("Q1 2019/20")
    make_period("Q2 2019/20")
    make_directorate(name="Public Health", corporate_director="Andrew Scott-Clark")
    client.force_login(cast[username])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["quarter"].label == "Q2 2019/20"
    assert b"Andrew Scott-Clark" in response.content
    assert cast[username].get_full_name().encode() in response.content


def test_healthz_in_a_browser_is_a_page_with_a_title_and_language(client, db):
    response = client.get("/healthz", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="en-GB">' in html
    assert "<title>Health check: ok – kccperf</title>" in html


def test_a_wrong_password_titles_the_page_error_with_the_summary_above_the_heading(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    html = response.content.decode()
    assert "<title>Error: Sign in – kccperf</title>" in html
    assert html.index("data-error-summary") < html.index("<h1>Sign in</h1>")


def test_the_accessibility_statement_is_public_and_in_the_regulations_format(client, db):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "How accessible this website is",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assert heading in html, heading
    assert "Web Content Accessibility Guidelines version 2.2" in html
    assert 'href="mailto:performance@kent.gov.uk"' in html


def test_every_footer_links_to_the_accessibility_statement(client, carol):
    client.force_login(carol)
    for url in (reverse("home"), reverse("login") + "?next=/", reverse("accessibility")):
        if url.startswith(reverse("login")):
            client.logout()
        html = client.get(url).content.decode()
        footer = html[html.index('<footer class="site-footer"') :]
        assert f'href="{reverse("accessibility")}"' in footer, url
