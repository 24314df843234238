"""Which activities are due a return: the pure rule and its SQL twin agree on every boundary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from monitoring import figures
from monitoring.models import Activity
from monitoring.rules import is_due
from tests.monitoring.factories import Q1, Q2, make_activity, make_return

DAY = timedelta(days=1)
LONG = timedelta(days=400)

# (case, sdp_start, reporting_from, closed_from, return status or None, due in Q2 2019/20)
CASES = [
    ("starts on the quarter's last day", Q2.end, None, None, None, True),
    ("starts the day after the quarter", Q2.end + DAY, None, None, None, False),
    ("runs through the quarter", Q2.start - LONG, None, None, None, True),
    ("closed from the quarter", Q2.start - LONG, None, Q2.start, None, False),
    ("closed from the next quarter", Q2.start - LONG, None, Q2.end + DAY, None, True),
    ("closed before, with a submitted return", Q2.start - LONG, None, Q2.start, "submitted", True),
    ("closed before, with a draft return", Q2.start - LONG, None, Q2.start, "draft", True),
    ("added to the plan in the quarter", Q2.start - LONG, Q2.start, None, None, True),
    ("added to the plan the next quarter", Q2.start - LONG, Q2.end + DAY, None, None, False),
    ("starts after, with a draft return", Q2.end + DAY, None, None, "draft", True),
]


@pytest.mark.parametrize(
    ("start", "reporting_from", "closed_from", "status", "due"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_rule_says_which_activities_are_due(start, reporting_from, closed_from, status, due):
    assert (
        is_due(
            sdp_start=start,
            reporting_from=reporting_from,
            closed_from=closed_from,
            quarter=Q2,
            has_return=status is not None,
        )
        is due
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "reporting_from", "closed_from", "status", "due"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_sql_and_the_dashboard_agree_with_the_rule(
    alice, start, reporting_from, closed_from, status, due
):
    activity = make_activity(
        lead_officer=alice,
        sdp_start=start,
        sdp_end=start + LONG,
        reporting_from=reporting_from,
        is_active=closed_from is None,
        closed_from=closed_from,
    )
    if status:
        make_return(activity, Q2, status=status)
    assert Activity.objects.due_in(Q2).filter(pk=activity.pk).exists() is due
    rows = [r for r in figures.load(Q2).rows if r.activity.pk == activity.pk]
    # Loaded when due in Q2 or Q1; due_current is the same rule in Python.
    assert (rows and rows[0].due_current) is due or (not rows and not due)


@pytest.mark.django_db
def test_an_overdue_activity_without_a_return_is_counted_chased_and_reminded(alice, bob):
    """Past its SDP end date but not closed: still due, so it is in the base, on the chase
    list and in the reminders (the seed counts Outcome 1's activity 10 among its 14)."""
    from monitoring.chase import outstanding_rows
    from monitoring.progress import response_rate
    from monitoring.reminders import recipients
    from tests.monitoring.factories import make_window

    overdue = make_activity(lead_officer=alice, sdp_start=Q2.start - LONG, sdp_end=Q2.start - DAY)
    current = make_activity(lead_officer=bob, sdp_start=Q2.start - LONG, sdp_end=Q2.end + LONG)
    make_return(current, Q2, status="submitted")
    rate = response_rate(Q2)
    assert (rate.submitted, rate.expected) == (1, 2)
    assert [row["title"] for row in outstanding_rows(Q2, Activity.objects.all())] == [overdue.title]
    window = make_window(Q2)
    assert {person: [a.pk for a in acts] for person, acts in recipients(window).items()} == {
        alice: [overdue.pk]
    }


@pytest.mark.django_db
def test_closing_an_activity_later_keeps_earlier_quarters_bases(alice):
    """Closed while Q3 is being reported: Q2 (and its comparison with Q1) keep it; Q3 not."""
    from kccperf.models import ReportingPeriod
    from monitoring.progress import response_rate
    from tests.monitoring.factories import make_window

    Q3 = Q2.next()
    activity = make_activity(lead_officer=alice, sdp_start=Q2.start - LONG, sdp_end=Q2.end + LONG)
    other = make_activity(lead_officer=alice, sdp_start=Q2.start - LONG, sdp_end=Q2.end + LONG)
    make_return(other, Q1, status="submitted")
    make_return(other, Q2, status="submitted")
    for quarter in (Q1, Q2):
        ReportingPeriod.objects.ensure(quarter).close()
    make_window(Q3)
    before = {q: response_rate(q) for q in (Q1, Q2, Q3)}
    q2_rows = {r.activity.pk: (r.due_current, r.due_previous) for r in figures.load(Q2).rows}

    activity.is_active = False
    activity.save()

    activity.refresh_from_db()
    assert activity.closed_from == Q3.start
    assert response_rate(Q1) == before[Q1]
    assert response_rate(Q2) == before[Q2]
    assert {r.activity.pk: (r.due_current, r.due_previous) for r in figures.load(Q2).rows} == (
        q2_rows
    )
    assert response_rate(Q3).expected == before[Q3].expected - 1
    # Q3's comparison with Q2 still counts it on Q2's side.
    q3_row = next(r for r in figures.load(Q3).rows if r.activity.pk == activity.pk)
    assert (q3_row.due_current, q3_row.due_previous) == (False, True)
    # Reopening clears the closure: due again from the quarter it was closed in.
    activity.is_active = True
    activity.save()
    assert Activity.objects.due_in(Q3).filter(pk=activity.pk).exists()


def test_a_quarter_has_the_boundaries_the_cases_assume():
    assert (Q2.start, Q2.end) == (date(2019, 7, 1), date(2019, 9, 30))


@pytest.mark.django_db
def test_an_activity_added_in_the_admin_reports_from_the_quarter_being_reported(rf, alice, cast):
    """Added while Q3 is collecting, with an SDP start back in 2018: due from Q3, so Q2's
    base does not change; one starting later reports from its own start."""
    from django.contrib import admin

    from kccperf.models import ReportingPeriod
    from monitoring.admin import ActivityAdmin
    from tests.factories import make_directorate
    from tests.monitoring.factories import make_outcome, make_window

    Q3 = Q2.next()
    ReportingPeriod.objects.ensure(Q2).close()
    make_window(Q3)
    request = rf.post("/admin/")
    request.user = cast["root"]
    model_admin = ActivityAdmin(Activity, admin.site)
    base = {"outcome": make_outcome(), "directorate": make_directorate(), "lead_officer": alice}
    old = Activity(number=91, title="Old", sdp_start=date(2018, 4, 1), sdp_end=date(2021, 3, 31))
    later = Activity(
        number=92, title="Later", sdp_start=date(2020, 5, 1), sdp_end=date(2021, 3, 31)
    )
    for activity in (old, later):
        for name, value in base.items():
            setattr(activity, name, value)
        model_admin.save_model(request, activity, form=None, change=False)
    old.refresh_from_db()
    later.refresh_from_db()
    assert old.reporting_from == Q3.start and later.reporting_from is None
    assert not Activity.objects.due_in(Q2).filter(pk=old.pk).exists()
    assert Activity.objects.due_in(Q3).filter(pk=old.pk).exists()
