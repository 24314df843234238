"""Pages kept whole per person (kccperf.page_cache): served again without rendering, with a
fresh CSRF token and CSP nonce each time, never another person's, never after a write."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from kccperf import page_cache
from kccperf.models import User
from tests.monitoring.factories import Q1, Q2, make_activity, make_outcome, make_return

DASHBOARD = reverse("monitoring:outcome-dashboard", kwargs={"outcome": 1, "period": Q2})


@pytest.fixture
def outcome(db):
    outcome = make_outcome(1)
    for title in ("Road resurfacing", "Library hours"):
        activity = make_activity(outcome=outcome, title=title)
        make_return(activity, Q1, delivery="on_track")
        make_return(activity, Q2, delivery="remedial")
    return outcome


def nonce_of(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


def csrf_tokens(response) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()))


def test_a_page_read_again_is_not_rendered_and_has_its_own_token_and_nonce(dan, outcome):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dan)
    first = client.get(DASHBOARD)
    again = client.get(DASHBOARD)
    assert first.templates and again.templates == []  # the second from the cache
    assert "Road resurfacing" in again.content.decode()
    for response in (first, again):
        html = response.content.decode()
        assert page_cache.NONCE_HOLE not in html and page_cache.CSRF_HOLE not in html
        assert html.count(f'nonce="{nonce_of(response)}"') == 2  # the header's, in the page
        assert len(csrf_tokens(response)) == 1
    assert nonce_of(first) != nonce_of(again)
    assert csrf_tokens(first) != csrf_tokens(again)  # masked afresh (BREACH)
    # The token from the kept page is a working one: signing out with it is accepted.
    (token,) = csrf_tokens(again)
    signed_out = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert signed_out.status_code == 302
    assert client.get(DASHBOARD).status_code == 302  # signed out: to the sign-in page


def test_each_person_has_their_own_page(client, dan, carol, outcome):
    client.force_login(dan)
    client.get(DASHBOARD)
    assert "Dan Tester" in client.get(DASHBOARD).content.decode()
    client.force_login(carol)
    other = client.get(DASHBOARD)
    assert other.templates  # not dan's page
    assert "Carol Tester" in other.content.decode() and "Dan Tester" not in other.content.decode()


def test_a_write_is_on_the_very_next_request(client, dan, outcome):
    client.force_login(dan)
    client.get(DASHBOARD)
    assert client.get(DASHBOARD).templates == []
    # A new activity's return (the monitoring app's data) ...
    make_return(make_activity(outcome=outcome, title="Coastal path"), Q2, delivery="on_track")
    page = client.get(DASHBOARD)
    assert page.templates and "Coastal path" in page.content.decode()
    # ... and the person's own name (the layout's data).
    User.objects.filter(pk=dan.pk).update(first_name="Daniel")
    page = client.get(DASHBOARD)
    assert page.templates and "Daniel Tester" in page.content.decode()


def test_the_quarter_chosen_in_the_switcher_is_part_of_what_is_kept(client, dan, outcome):
    url = reverse("monitoring:outcome-dashboard", kwargs={"outcome": 1})  # no quarter in it
    client.force_login(dan)
    client.post(reverse("switch-period"), {"period": Q2.slug, "next": url})
    assert client.get(url).context["period"] == Q2
    client.get(url)
    client.post(reverse("switch-period"), {"period": Q1.slug, "next": url})
    page = client.get(url)
    assert page.templates and page.context["period"] == Q1


def _with_message(client, text: str) -> None:
    """A message waiting for the next page, as the cookie storage keeps it."""
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.SUCCESS, text)
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value


def test_a_message_is_shown_once_and_its_page_is_not_kept(client, dan, outcome):
    client.force_login(dan)
    client.get(DASHBOARD)
    _with_message(client, "The analysis was saved.")
    shown = client.get(DASHBOARD)
    assert shown.templates and "The analysis was saved." in shown.content.decode()
    after = client.get(DASHBOARD)
    assert after.templates == [] and "The analysis was saved." not in after.content.decode()


def test_exports_pass_through_and_are_not_kept(client, dan, outcome):
    client.force_login(dan)
    url = f"{DASHBOARD}?_export=csv"
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "Road resurfacing" in response.content.decode()


def test_the_kept_pages_are_bounded(monkeypatch):
    page_cache.clear()
    monkeypatch.setattr(page_cache, "MAX_CHARACTERS", 25)
    monkeypatch.setattr(page_cache, "MAX_PAGE_CHARACTERS", 12)
    page_cache._put("a", "x" * 10)
    page_cache._put("b", "y" * 10)
    assert page_cache._get("a") == "x" * 10  # used last: kept before b
    page_cache._put("c", "z" * 10)
    assert page_cache._get("b") is None
    assert page_cache._get("a") and page_cache._get("c")
    page_cache._put("d", "w" * 13)  # larger than a page may be
    assert page_cache._get("d") is None
    page_cache.clear()


@pytest.fixture
def demo_admin(db):
    from django.core.management import call_command

    from tests.factories import PASSWORD

    call_command("load_demo", "--no-migrate", password=PASSWORD, verbosity=0)
    return User.objects.create_superuser("page.cache.admin", "", PASSWORD)


def _kept_pages() -> list[str]:
    """Every page kept whole (``@page_cache.per_person``), on the demo data."""
    from kccperf.models import Directorate
    from kpis.models import Kpi
    from monitoring.models import Activity

    activity = Activity.objects.order_by("pk").first()
    return [
        reverse("monitoring:outcome-dashboard", kwargs={"outcome": 1, "period": Q2}),
        reverse("monitoring:council-dashboard", kwargs={"period": Q2}),
        reverse("kpis:scorecard", kwargs={"period": Q2}),
        reverse(
            "kpis:directorate",
            kwargs={"slug": Directorate.objects.order_by("pk").first().slug, "period": Q2},
        ),
        reverse("kpis:kpi-detail", kwargs={"code": Kpi.objects.order_by("pk").first().code}),
        reverse("monitoring:return-edit", kwargs={"activity_pk": activity.pk, "period": Q2}),
        reverse("monitoring:scorecard", kwargs={"activity_pk": activity.pk, "period": Q2}),
        reverse("monitoring:window-list"),
        reverse("monitoring:sign-off-list"),
        reverse("risks:refresh-record"),
    ]


def _without_holes(response) -> str:
    html = response.content.decode()
    html = html.replace(nonce_of(response), "NONCE")
    for token in csrf_tokens(response):
        html = html.replace(token, "TOKEN")
    return html


def test_every_kept_page_is_served_whole_on_the_second_read(
    client, demo_admin, django_assert_max_num_queries
):
    client.force_login(demo_admin)
    for url in _kept_pages():
        first = client.get(url)
        assert first.status_code == 200, url
        assert first.templates, url
        # Session, user, SET CONSTRAINTS and the data versions: nothing of the page's own.
        with django_assert_max_num_queries(4):
            again = client.get(url)
        assert again.status_code == 200 and again.templates == [], url
        assert _without_holes(again) == _without_holes(first), url
