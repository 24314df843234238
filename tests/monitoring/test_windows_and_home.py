"""Analysts manage submission windows; the home page panel; the chase page's figures."""

from datetime import date

from django.urls import reverse

from kccperf.periods import Quarter
from monitoring.models import SubmissionWindow
from monitoring.views import home_panel
from tests.monitoring.factories import Q1, Q2, make_activity, make_return, make_window


def test_an_analyst_creates_a_window_for_a_new_quarter(client, dan):
    client.force_login(dan)
    response = client.post(
        reverse("monitoring:window-create"),
        {"quarter": "Q3 2019/20", "opens": "29/11/2019", "closes": "13/12/2019", "version": "0"},
    )
    assert response.status_code == 302
    window = SubmissionWindow.objects.get()
    assert window.quarter == Quarter.parse("Q3 2019/20")
    assert (window.opens, window.closes) == (date(2019, 11, 29), date(2019, 12, 13))


def test_a_window_must_close_after_it_opens_and_be_the_only_one_for_its_quarter(client, dan):
    make_window(Q2)
    client.force_login(dan)
    response = client.post(
        reverse("monitoring:window-create"),
        {"quarter": "Q2 2019/20", "opens": "13/09/2019", "closes": "30/08/2019", "version": "0"},
    )
    errors = response.context["form"].errors
    assert errors["quarter"] == ["Q2 2019/20 already has a submission window"]
    assert errors["closes"] == ["The window must close on or after the day it opens"]


def test_an_analyst_moves_a_windows_closing_date(client, dan):
    window = make_window(Q2)
    client.force_login(dan)
    client.post(
        reverse("monitoring:window-edit", kwargs={"pk": window.pk}),
        {"quarter": "Q2 2019/20", "opens": "30/08/2019", "closes": "20/09/2019", "version": "0"},
    )
    window.refresh_from_db()
    assert window.closes == date(2019, 9, 20)


def test_a_window_is_open_on_its_first_and_last_day_only():
    window = SubmissionWindow(opens=date(2019, 8, 30), closes=date(2019, 9, 13))
    assert not window.is_open(date(2019, 8, 29))
    assert window.is_open(date(2019, 8, 30)) and window.is_open(date(2019, 9, 13))
    assert not window.is_open(date(2019, 9, 14))
    assert window.days_left(date(2019, 9, 13)) == 1
    assert window.days_left(date(2019, 8, 1)) == 15


def test_the_home_panel_shows_the_response_rate_and_a_lead_officers_outstanding_returns(
    rf, alice, carol, window
):
    mine = make_activity(lead_officer=alice)
    other = make_activity()
    make_return(other, Q2)
    request = rf.get("/")
    request.user = carol
    html = home_panel(request, Q2)
    assert "50% (1)" in html and "of 2 activities responded" in html
    request.user = alice
    assert "You have 1 return outstanding for Q2 2019/20" in home_panel(request, Q2)
    make_return(mine, Q2)
    assert "You have 0 returns outstanding" in home_panel(request, Q2)


def test_the_home_panel_is_hidden_from_people_without_returns_or_dashboards(rf, erin):
    request = rf.get("/")
    request.user = erin
    assert home_panel(request, Q2) is None


def test_the_chase_page_lists_outstanding_returns_with_names_and_emails(client, dan, alice, window):
    done = make_activity()
    make_return(done, Q2)
    draft = make_activity(lead_officer=alice, title="=HYPERLINK(evil)")
    make_return(draft, Q2, status="draft")
    make_activity(sdp_start=date(2020, 1, 1), sdp_end=date(2021, 1, 1))  # not started yet
    make_return(make_activity(), Q1)  # responded last quarter only: outstanding now
    client.force_login(dan)
    url = reverse("monitoring:chase-period", kwargs={"period": Q2})
    response = client.get(url)
    body = response.content.decode()
    assert "33% (1)" in body and "of 3 activities" in body
    assert "alice@example.org" in body and "Draft" in body
    csv = client.get(url + "?_export=csv").content.decode()
    assert "'=HYPERLINK(evil)" in csv  # formula escaped
    assert csv.count("\n") == 3  # header + 2 outstanding
