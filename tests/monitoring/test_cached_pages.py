"""The monitoring pages served from the figure cache (kccperf.figure_cache): the home page's
panels and overview, the chase list, the printable scorecards and the analysis draft. A
write is on the very next request; per-person content never reaches another person."""

from __future__ import annotations

import re

from django.urls import reverse

from kccperf.models import Outcome
from monitoring.models import Return
from monitoring.scorecard_views import PRINT_PAGE_CARDS
from monitoring.views import home_panel
from reports.models import Report
from tests.monitoring.factories import Q2, make_activity, make_outcome, make_return

HOME = "/"
CHASE = reverse("monitoring:chase-period", kwargs={"period": Q2})


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_return_submitted_changes_the_response_rate_on_the_next_home_page(client, carol):
    first = make_activity()
    make_activity()
    client.force_login(carol)
    assert "0% (0)" in _get(client, HOME)
    assert "0% (0)" in _get(client, HOME)  # from the cache
    make_return(first, Q2)
    assert "50% (1)" in _get(client, HOME)


def test_a_report_published_shows_on_the_next_home_page(client, carol):
    from tests.reports.factories import make_published

    client.force_login(carol)
    assert "Quarterly Performance Report" not in _get(client, HOME)
    make_published(Report.Kind.QPR)
    html = _get(client, HOME)
    assert "Quarterly Performance Report, Q2 2019/20</a>: version 1" in html


def test_an_outcome_renamed_shows_on_the_next_home_page(client, carol):
    outcome = make_outcome(1)
    client.force_login(carol)
    _get(client, HOME)
    Outcome.objects.filter(pk=outcome.pk).update(title="Renamed outcome")
    assert "Renamed outcome" in _get(client, HOME)


def test_a_lead_officers_outstanding_count_is_theirs_alone(rf, alice, bob):
    make_activity(lead_officer=alice)
    make_activity(lead_officer=alice)
    request = rf.get("/")
    request.user = alice
    assert "You have 2 returns outstanding" in home_panel(request, Q2)
    request.user = bob  # same quarter and flags: not alice's panel from the cache
    assert "You have 0 returns outstanding" in home_panel(request, Q2)


def test_the_home_page_links_follow_the_readers_flags(client, carol, dan):
    make_activity()
    client.force_login(dan)
    assert "Chase outstanding" in _get(client, HOME)
    client.force_login(carol)  # CMT reads the same figures without the analysts' links
    html = _get(client, HOME)
    assert "0% (0)" in html and "Chase outstanding" not in html


def test_a_return_submitted_leaves_the_chase_list_on_the_next_request(client, dan, window):
    activity = make_activity(title="Late work")
    client.force_login(dan)
    html = _get(client, CHASE)
    assert "Late work" in html and "E-mail a reminder now" in html
    assert "Late work" in _get(client, CHASE)  # from the cache
    make_return(activity, Q2)
    html = _get(client, CHASE)
    assert "Late work" not in html and "Every return is in." in html
    assert "E-mail a reminder now" not in html


def test_the_chase_pages_reminder_form_carries_each_readers_own_token(client, dan, window):
    make_activity()
    client.force_login(dan)
    tokens = set()
    for _ in range(2):
        html = _get(client, CHASE)
        tokens |= set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    # Django masks the token afresh in every response: none is kept in the cached part.
    assert len(tokens) == 2


def _print_url(query: str = "") -> str:
    return reverse("monitoring:scorecards-print", kwargs={"outcome": 1, "period": Q2}) + query


def test_the_printable_scorecards_come_a_page_at_a_time(client, dan):
    outcome = make_outcome(1)
    for n in range(PRINT_PAGE_CARDS + 3):
        make_return(make_activity(outcome=outcome, number=n + 1, title=f"Work {n + 1}"), Q2)
    client.force_login(dan)
    first = _get(client, _print_url())
    assert first.count('class="scorecard page-break"') == PRINT_PAGE_CARDS
    total = PRINT_PAGE_CARDS + 3
    assert f"Scorecards 1 to {PRINT_PAGE_CARDS} of {total}" in first
    assert f"the PDF holds all {total}" in first
    assert 'href="?page=2"' in first
    second = _get(client, _print_url("?page=2"))
    assert second.count('class="scorecard page-break"') == 3
    assert f"Scorecards {PRINT_PAGE_CARDS + 1} to {total} of {total}" in second
    assert f"1.{total} Work {total}" in second and "1.1 Work 1<" not in second
    assert f"Scorecards {PRINT_PAGE_CARDS + 1} to {total}" in _get(client, _print_url("?page=99"))


def test_a_return_changed_is_on_the_next_printable_scorecards(client, dan):
    activity = make_activity(outcome=make_outcome(1), title="Printed")
    make_return(activity, Q2, progress="Week one of the work.")
    client.force_login(dan)
    assert "Week one of the work." in _get(client, _print_url())
    assert "Only one scorecard" not in _get(client, _print_url())
    Return.objects.filter(activity=activity).update(progress="Week two of the work.")
    html = _get(client, _print_url())
    assert "Week two of the work." in html and "Week one" not in html


def test_a_return_submitted_changes_the_analysis_draft_on_the_next_request(client, dan):
    outcome = make_outcome(1)
    activity = make_activity(outcome=outcome)
    make_activity(outcome=outcome)
    make_return(activity, Q2)
    url = reverse("monitoring:analysis-edit", kwargs={"outcome": 1, "period": Q2})
    client.force_login(dan)
    before = client.get(url).context["draft"]
    assert client.get(url).context["draft"] == before  # from the cache
    make_return(make_activity(outcome=outcome), Q2, delivery=Return.Delivery.REMEDIAL)
    after = client.get(url).context["draft"]
    assert after != before
