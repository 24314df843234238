"""Which quarter a page opens on (per role, from the quarters' stages), the period switcher
(POST only), and bad periods: in URLs, in the switcher and planted in a session."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kccperf.models import ReportingPeriod
from kccperf.page_period import SESSION_KEY
from kccperf.periods import Quarter
from tests.factories import make_period
from tests.monitoring.factories import make_window

Q1, Q2, Q3 = Quarter(2019, 1), Quarter(2019, 2), Quarter(2019, 3)

BAD_SLUGS = [
    "0000-01-q1",
    "9999-00-q4",
    "1999-00-q4",
    "2100-01-q1",
    "2019-20-q5",
    "2019-21-q1",
    "x",
    "",
    "2019-20-q2" * 50,
    "../../etc/passwd",
    "2019-20-q2\x00",
]


def _live_quarter_portal():
    """Q1 and Q2 closed, Q2 published, Q3 opened for returns; a risk refresh has put Q4
    (data only, never opened) on record too."""
    for quarter in (Q1, Q2):
        make_period(quarter.label).close()
    make_period(Q2.label).mark_published()
    make_window(Q3)
    make_period("Q4 2019/20")


def test_with_no_quarter_closed_the_default_is_the_latest_on_record(client, carol):
    make_period("Q1 2019/20")
    make_period("Q2 2019/20")
    client.force_login(carol)
    response = client.get(reverse("home"))
    assert response.context["period"] == Q2
    assert b'<option value="2019-20-q2" selected>' in response.content


@pytest.mark.parametrize(
    ("who", "expected"),
    [("carol", Q2), ("alice", Q3), ("dan", Q3), ("erin", Q3), ("root", Q2)],
    ids=[
        "cmt: last published",
        "lead officer: the quarter asked for",
        "analyst: collecting",
        "risk manager: collecting",
        "administrator: last published",
    ],
)
def test_each_role_opens_on_its_quarter(client, cast, who, expected):
    _live_quarter_portal()
    client.force_login(cast[who])
    page = client.get("/", follow=True)
    assert page.context["period"] == expected


def test_a_collecting_quarter_offers_the_last_published_one(client, dan):
    _live_quarter_portal()
    client.force_login(dan)
    page = client.get(reverse("monitoring:dashboard-index"))
    html = page.content.decode()
    assert "collecting" in html
    assert 'value="2019-20-q2"' in html and "Show the last published quarter, Q2 2019/20" in html
    client.post(reverse("switch-period"), {"period": "2019-20-q2", "next": "/"})
    assert client.get("/").context["period"] == Q2


def test_data_for_a_new_quarter_moves_nobodys_default(client, cast):
    """A refresh, an import or one KPI value for Q3 puts Q3 on record; nobody lands on it."""
    for quarter in (Q1, Q2):
        make_period(quarter.label).close()
    make_period("Q3 2019/20")  # data arrived, nobody opened it
    for who in ("carol", "dan", "alice", "erin"):
        client.force_login(cast[who])
        assert client.get("/", follow=True).context["period"] == Q2, who


def test_closing_a_quarter_moves_cmt_and_reopening_moves_back(client, carol, dan):
    _live_quarter_portal()
    client.force_login(dan)
    url = reverse("period-stage", kwargs={"period": Q3})
    assert client.post(url, {"action": "close"}).status_code == 302
    client.force_login(carol)
    assert client.get("/").context["period"] == Q3
    client.force_login(dan)
    client.post(url, {"action": "reopen"})
    client.force_login(carol)
    assert client.get("/").context["period"] == Q2
    # A published quarter cannot be reopened.
    client.force_login(dan)
    client.post(reverse("period-stage", kwargs={"period": Q2}), {"action": "reopen"})
    assert ReportingPeriod.objects.for_quarter(Q2).published_at is not None


def test_only_analysts_close_quarters(client, carol):
    _live_quarter_portal()
    client.force_login(carol)
    url = reverse("period-stage", kwargs={"period": Q3})
    assert client.post(url, {"action": "close"}).status_code == 403
    assert ReportingPeriod.objects.for_quarter(Q3).closed_at is None


def test_switching_period_keeps_you_on_the_same_page(client, carol):
    make_period("Q1 2019/20")
    make_period("Q2 2019/20")
    client.force_login(carol)
    response = client.post(reverse("switch-period"), {"period": "2019-20-q1", "next": "/?tab=x"})
    assert response.status_code == 302
    assert response["Location"] == "/?tab=x"
    assert client.get("/").context["period"] == Q1


def test_the_switcher_changes_nothing_by_get_or_without_csrf(client, carol):
    from django.test import Client

    make_period("Q1 2019/20")
    make_period("Q2 2019/20")
    client.force_login(carol)
    assert client.get(reverse("switch-period"), {"period": "2019-20-q1"}).status_code == 405
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(carol)
    assert guarded.post(reverse("switch-period"), {"period": "2019-20-q1"}).status_code == 403
    assert client.get("/").context["period"] == Q2


def test_switching_period_rewrites_a_period_in_the_url(client, carol, settings):
    settings.ROOT_URLCONF = "tests.kccperf.period_urls"
    client.force_login(carol)
    response = client.post(
        "/period/", {"period": "2019-20-q1", "next": "/thing/2019-20-q2/detail/?sort=x"}
    )
    assert response["Location"] == "/thing/2019-20-q1/detail/?sort=x"
    page = client.get(response["Location"])
    assert page.content == b"Q1 2019/20"


def test_switching_period_never_redirects_off_site(client, carol):
    client.force_login(carol)
    response = client.post(
        reverse("switch-period"), {"period": "2019-20-q1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("slug", BAD_SLUGS, ids=range(len(BAD_SLUGS)))
def test_the_switcher_refuses_a_bad_period_clearly(client, carol, slug):
    make_period("Q2 2019/20")
    client.force_login(carol)
    response = client.post(reverse("switch-period"), {"period": slug})
    assert response.status_code == 400
    assert b"Unknown reporting period" in response.content
    assert client.get("/").context["period"] == Q2


def _period_patterns(resolver=None, prefix=""):
    """(route, name) of every URL pattern whose route takes ``<quarter:period>``."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _period_patterns(pattern, route)
        elif isinstance(pattern, URLPattern) and "<quarter:period>" in route:
            yield route


def _fill(route: str, slug: str) -> str:
    import re

    path = route.replace("<quarter:period>", slug)
    path = re.sub(r"<int:[a-z_]+>", "1", path)
    path = re.sub(r"<(?:slug|str):[a-z_]+>", "x", path)
    return "/" + path.lstrip("^").rstrip("$")


@pytest.mark.parametrize("slug", ["0000-01-q1", "9999-00-q4", "1999-00-q4", "2019-20-q5"])
def test_no_page_answers_500_to_a_bad_period_in_its_url(client, cast, slug):
    routes = sorted(set(_period_patterns()))
    assert len(routes) > 20  # the walk covers the apps' period pages
    for who in ("carol", "dan", "alice", "erin"):
        client.force_login(cast[who])
        for route in routes:
            url = _fill(route, slug)
            response = client.get(url)
            assert response.status_code in (302, 400, 403, 404), (who, url, response.status_code)


@pytest.mark.parametrize("slug", BAD_SLUGS + [123, None], ids=range(len(BAD_SLUGS) + 2))
def test_a_bad_period_planted_in_the_session_is_dropped_not_fatal(client, cast, slug):
    make_period("Q2 2019/20")
    client.force_login(cast["carol"])
    session = client.session
    session[SESSION_KEY] = slug
    session.save()
    for url in ("/", reverse("kpis:scorecard"), reverse("monitoring:dashboard-index")):
        assert client.get(url).status_code == 200
    assert client.get("/").context["period"] == Q2
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("login")).status_code == 200
