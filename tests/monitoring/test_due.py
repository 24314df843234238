"""Which activities are due a return: the pure rule and its SQL twin agree on every boundary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from monitoring import figures
from monitoring.models import Activity
from monitoring.rules import is_due
from tests.monitoring.factories import Q2, make_activity, make_return

DAY = timedelta(days=1)
LONG = timedelta(days=400)

# (case, sdp_start, sdp_end, is_active, return status or None, due in Q2 2019/20)
CASES = [
    ("starts on the quarter's last day", Q2.end, Q2.end + LONG, True, None, True),
    ("starts the day after the quarter", Q2.end + DAY, Q2.end + LONG, True, None, False),
    ("ends on the quarter's first day", Q2.start - LONG, Q2.start, True, None, True),
    ("ended the day before the quarter", Q2.start - LONG, Q2.start - DAY, True, None, False),
    ("runs through the quarter", Q2.start - LONG, Q2.end + LONG, True, None, True),
    ("closed while running", Q2.start - LONG, Q2.end + LONG, False, None, False),
    ("closed, with a submitted return", Q2.start - LONG, Q2.end + LONG, False, "submitted", True),
    ("closed, with a draft return", Q2.start - LONG, Q2.end + LONG, False, "draft", True),
    ("ended before, with a draft return", Q2.start - LONG, Q2.start - DAY, True, "draft", True),
    ("starts after, with a draft return", Q2.end + DAY, Q2.end + LONG, True, "draft", True),
]


@pytest.mark.parametrize(
    ("start", "end", "active", "status", "due"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_rule_says_which_activities_are_due(start, end, active, status, due):
    assert (
        is_due(
            is_active=active,
            sdp_start=start,
            sdp_end=end,
            quarter=Q2,
            has_return=status is not None,
        )
        is due
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "active", "status", "due"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_sql_and_the_dashboard_agree_with_the_rule(alice, start, end, active, status, due):
    activity = make_activity(lead_officer=alice, sdp_start=start, sdp_end=end, is_active=active)
    if status:
        make_return(activity, Q2, status=status)
    assert Activity.objects.due_in(Q2).filter(pk=activity.pk).exists() is due
    rows = [r for r in figures.load(Q2).rows if r.activity.pk == activity.pk]
    # Loaded when due in Q2 or Q1; due_current is the same rule in Python.
    assert (rows and rows[0].due_current) is due or (not rows and not due)


def test_a_quarter_has_the_boundaries_the_cases_assume():
    assert (Q2.start, Q2.end) == (date(2019, 7, 1), date(2019, 9, 30))
