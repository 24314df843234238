"""What changed since last quarter: the word-level diff (pure), the scorecard's and the outcome
dashboard's "what changed" with small data, the seed's demo (Q1 -> Q2 2019/20), the first
quarter (nothing to compare with), and query counts that do not grow with the activities."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from kccperf import demo as organisation_demo
from monitoring import demo
from monitoring.changes import Segment, word_diff
from monitoring.models import Activity
from tests.monitoring.factories import Q1, Q2, make_activity, make_outcome, make_return

# The pure diff ------------------------------------------------------------------------------


def test_equal_texts_are_one_equal_run():
    assert word_diff("Going well.", "Going well.") == [Segment("equal", "Going well.")]


def test_a_replaced_word_is_deleted_then_inserted_and_the_rest_kept():
    assert word_diff("Work starts in May.", "Work starts in June.") == [
        Segment("equal", "Work starts in "),
        Segment("delete", "May."),
        Segment("insert", "June."),
    ]


def test_added_and_removed_sentences():
    assert word_diff("A. B.", "A. B. C.") == [Segment("equal", "A. B. "), Segment("insert", "C.")]
    assert word_diff("A. B. C.", "A. C.") == [
        Segment("equal", "A. "),
        Segment("delete", "B."),
        Segment("equal", " C."),
    ]


def test_a_rewrapped_text_is_not_a_change():
    assert [s.op for s in word_diff("one two\nthree", "one  two three")] == ["equal"]


words = st.lists(st.sampled_from(["a", "b", "c", "delay", "April", "2021."]), max_size=12)


@given(words, words)
def test_the_diff_gives_back_both_texts(old_words, new_words):
    old, new = " ".join(old_words), " ".join(new_words)
    segments = word_diff(old, new)
    kept_new = "".join(s.text for s in segments if s.op != "delete")
    kept_old = "".join(s.text for s in segments if s.op != "insert")
    assert kept_new.split() == new.split()
    assert kept_old.split() == old.split()


# Pages with small data ------------------------------------------------------------------------


def _scorecard(client, activity, quarter=Q2):
    url = reverse("monitoring:scorecard", kwargs={"activity_pk": activity.pk, "period": quarter})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, start: str) -> str:
    return html[html.index(start) :]


@pytest.fixture
def changed(alice):
    activity = make_activity(lead_officer=alice, outcome=make_outcome(1), title="Short breaks")
    make_return(activity, Q1, progress="Strategy agreed; market engagement under way.")
    make_return(
        activity,
        Q2,
        delivery="unlikely",
        new_end_date=date(2021, 4, 1),
        progress="Strategy agreed; procurement combined with recommissioning.",
        issues=["capacity"],
        issue_description="Not enough people.",
        mitigation="Extra staff from April.",
        risk_registers=["none"],
    )
    return activity


def test_the_scorecard_shows_each_changed_answer_as_a_word_diff(client, carol, changed):
    client.force_login(carol)
    html = _section(_scorecard(client, changed), 'id="what-changed-title"')
    assert "What changed since Q1 2019/20" in html
    assert (
        '<dt>Delivery status</dt><dd><span class="diff"><del><span class="visually-hidden">'
        "[removed: </span>Yes,"
    ) in html
    assert "[added: </span>No,<" in html and "[added: </span>unlikely to be achieved" in html
    assert "<dt>New end date</dt>" in html and "[added: </span>01/04/2021" in html
    # The progress text: only what changed is marked.
    assert "Strategy agreed; <del>" in html
    assert "[removed: </span>market engagement under way." in html
    assert "[added: </span>procurement combined with recommissioning." in html
    unchanged = re.search(r"Unchanged since Q1 2019/20: (.*?)\.</p>", html).group(1)
    assert "Delivery status" not in unchanged and "Progress" not in unchanged
    assert "New go-live date; Milestone: Approval to proceed" in unchanged
    # Not colour alone: a key says how removed and added words look.
    assert "<del>removed words struck through</del>, <ins>added words underlined</ins>" in html


def test_the_first_quarter_says_there_is_nothing_to_compare_with(client, carol, alice):
    activity = make_activity(lead_officer=alice, outcome=make_outcome(1))
    make_return(activity, Q2)
    client.force_login(carol)
    html = _section(_scorecard(client, activity), 'id="what-changed-title"')
    assert "No submitted return for Q1 2019/20 to compare with" in html
    assert "everything in the Q2 2019/20 return is new" in html
    assert "<del>" not in html.split("</section>")[0]


def test_no_return_yet_says_so(client, carol, alice):
    activity = make_activity(lead_officer=alice, outcome=make_outcome(1))
    make_return(activity, Q1)
    client.force_login(carol)
    html = _section(_scorecard(client, activity), 'id="what-changed-title"')
    assert "No return for Q2 2019/20 yet, so nothing to compare." in html


def test_a_draft_of_last_quarter_is_not_compared_with(client, carol, alice):
    activity = make_activity(lead_officer=alice, outcome=make_outcome(1))
    make_return(activity, Q1, status="draft")
    make_return(activity, Q2)
    client.force_login(carol)
    html = _section(_scorecard(client, activity), 'id="what-changed-title"')
    assert "No submitted return for Q1 2019/20" in html


def _dashboard(client, outcome=1):
    url = reverse("monitoring:outcome-dashboard", kwargs={"outcome": outcome, "period": Q2})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_lists_only_activities_whose_status_or_dates_changed(client, carol, changed):
    outcome = changed.outcome
    same = make_activity(outcome=outcome, title="Steady work")
    make_return(same, Q1, progress="Week 1.")
    make_return(same, Q2, progress="Week 14.")  # narrative only: not listed
    first = make_activity(outcome=outcome, title="New this quarter")
    make_return(first, Q2)
    client.force_login(carol)
    html = _section(_dashboard(client), '<h2 id="what-changed">')
    assert "10. What changed since Q1 2019/20" in html
    assert (
        "Of the 2 activities with a return in both quarters, 1 changed its delivery status "
        "or dates since Q1 2019/20"
    ) in html
    assert f"1 had no submitted return for Q1 2019/20 to compare with: {first.reference}." in html
    summaries = re.findall(r"<summary>(.*?)</summary>", html, re.S)
    assert summaries == [f"{changed.reference} Short breaks: Delivery status; New end date"]
    assert "[added: </span>01/04/2021" in html
    assert "Strategy agreed" not in html  # the narrative is on the scorecard, linked
    assert f"Every change in the scorecard of {changed.reference}" in html


def _changing_activities(count: int) -> None:
    outcome = make_outcome(1)
    for n in range(count):
        activity = make_activity(outcome=outcome)
        make_return(activity, Q1, milestones={"go_live": date(2020, 3, 1)}, issues=["capacity"])
        make_return(
            activity,
            Q2,
            delivery="remedial" if n % 2 else "on_track",
            milestones={"go_live": date(2020, 6, 1)},
            issues=["capacity", "dependencies"],
            issue_description="Late." if n % 2 else "",
            mitigation="A plan." if n % 2 else "",
            risk_registers=["project"] if n % 2 else [],
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_what_changed_takes_the_same_queries_for_3_or_30_changed_activities(client, dan):
    _changing_activities(3)
    client.force_login(dan)
    dashboard = reverse("monitoring:outcome-dashboard", kwargs={"outcome": 1, "period": Q2})
    first = Activity.objects.order_by("pk").first()
    scorecard = reverse("monitoring:scorecard", kwargs={"activity_pk": first.pk, "period": Q2})
    small = (_queries(client, dashboard + "?n=3"), _queries(client, scorecard))
    listed = _section(client.get(dashboard).content.decode(), '<h2 id="what-changed">')
    assert listed.count("<summary>") == 3
    _changing_activities(27)
    large = (_queries(client, dashboard + "?n=30"), _queries(client, scorecard))
    listed = _section(client.get(dashboard + "?again").content.decode(), '<h2 id="what-changed">')
    # 20 a page (the section stays small), with the count and the way to the rest
    assert listed.count("<summary>") == 20
    assert "Changed activities 1 to 20 of 30:" in listed
    assert re.search(r"href=\"\?[^\"]*changed=2#what-changed\"", listed)
    rest = client.get(dashboard + "?changed=2").content.decode()
    listed = _section(rest, '<h2 id="what-changed">')
    assert listed.count("<summary>") == 10
    assert "Changed activities 21 to 30 of 30:" in listed
    assert large == small


# The seed's demo: Q1 -> Q2 2019/20 ------------------------------------------------------------


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            organisation_demo.load("pw")
            demo.load("pw")
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo_data(_demo_once, db):
    return None


def test_the_demo_outcome_1_dashboard_lists_the_seeds_changes_since_q1(demo_data, client, carol):
    client.force_login(carol)
    html = _section(_dashboard(client), '<h2 id="what-changed">')
    summaries = [
        re.sub(r"\s+", " ", s) for s in re.findall(r"<summary>(.*?)</summary>", html, re.S)
    ]
    references = [s.split()[0] for s in summaries]
    # The seed: 1.4, 1.5, 1.6, 1.10 and 1.11 changed delivery status between Q1 and Q2 (its
    # "not on track" table), and 1.2, 1.3 and 1.6 revised their end dates (its section 3.4).
    for reference in ("1.4", "1.5", "1.6", "1.10", "1.11", "1.2", "1.3"):
        assert reference in references
    six = next(s for s in summaries if s.startswith("1.6 "))
    assert "Delivery status" in six and "New end date" in six
    # 1.9 and 1.13 changed only their narrative (illustrative): not listed here.
    assert "1.9" not in references and "1.13" not in references
    assert len(references) == 12


def test_the_demo_scorecard_of_1_6_shows_the_q2_narrative_against_q1(demo_data, client, carol):
    activity = Activity.objects.get(outcome__number=1, number=6)
    client.force_login(carol)
    html = _section(_scorecard(client, activity), 'id="what-changed-title"')
    assert "[removed: </span>Yes, it is on track" in html or "[removed: </span>Yes," in html
    assert "[added: </span>01/04/2021" in html
    assert "moves completion to April 2021." in html
    assert "<dt>Progress this quarter</dt>" in html
