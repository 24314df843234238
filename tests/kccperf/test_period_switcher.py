from django.urls import reverse

from kccperf.periods import Quarter
from tests.factories import make_period


def test_the_default_period_is_the_latest_on_record_not_the_calendars(client, carol):
    make_period("Q1 2019/20")
    make_period("Q2 2019/20")
    client.force_login(carol)
    response = client.get(reverse("home"))
    assert response.context["period"] == Quarter(2019, 2)
    assert b'<option value="2019-20-q2" selected>' in response.content


def test_switching_period_keeps_you_on_the_same_page(client, carol):
    make_period("Q1 2019/20")
    make_period("Q2 2019/20")
    client.force_login(carol)
    response = client.get(reverse("switch-period"), {"period": "2019-20-q1", "next": "/?tab=x"})
    assert response.status_code == 302
    assert response["Location"] == "/?tab=x"
    assert client.get("/").context["period"] == Quarter(2019, 1)


def test_switching_period_rewrites_a_period_in_the_url(client, carol, settings):
    settings.ROOT_URLCONF = "tests.kccperf.period_urls"
    client.force_login(carol)
    response = client.get(
        "/period/", {"period": "2019-20-q1", "next": "/thing/2019-20-q2/detail/?sort=x"}
    )
    assert response["Location"] == "/thing/2019-20-q1/detail/?sort=x"
    page = client.get(response["Location"])
    assert page.content == b"Q1 2019/20"


def test_switching_period_never_redirects_off_site(client, carol):
    client.force_login(carol)
    response = client.get(
        reverse("switch-period"), {"period": "2019-20-q1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_an_unknown_period_is_404(client, carol):
    client.force_login(carol)
    assert client.get(reverse("switch-period"), {"period": "2019-20-q9"}).status_code == 404
