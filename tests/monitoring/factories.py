"""make_<thing>(**overrides) for monitoring tests."""

from __future__ import annotations

import itertools
from datetime import date

from kccperf.models import Outcome, ReportingPeriod
from kccperf.periods import Quarter
from monitoring.models import (
    Activity,
    ActivityType,
    ExpectedGovernance,
    IssueTheme,
    Milestone,
    Return,
    SubmissionWindow,
)
from tests.factories import make_directorate, make_user

_seq = itertools.count(1)
Q2 = Quarter.parse("Q2 2019/20")
Q1 = Quarter.parse("Q1 2019/20")


def make_outcome(number: int = 1) -> Outcome:
    outcome, _ = Outcome.objects.get_or_create(
        number=number, defaults={"title": f"Outcome {number} title"}
    )
    return outcome


def make_activity(**overrides) -> Activity:
    delegates = overrides.pop("delegates", [])
    n = next(_seq)
    fields = {
        # Activity numbers run 1 to 999 (the import checks it): a long test session wraps.
        "number": (n - 1) % 999 + 1,
        "title": f"Activity {n}",
        "sdp_start": date(2019, 1, 1),
        "sdp_end": date(2020, 3, 31),
        "go_live": None,
        "corporate_board": False,
    }
    fields.update(overrides)
    if "outcome" not in fields:
        fields["outcome"] = make_outcome()
    if "directorate" not in fields:
        fields["directorate"] = make_directorate()
    if "lead_officer" not in fields:
        fields["lead_officer"] = make_user()
    if "activity_type" not in fields:
        fields["activity_type"] = ActivityType.objects.order_by("order").first()
    activity = Activity.objects.create(**fields)
    if delegates:
        activity.delegates.set(delegates)
    return activity


def make_window(quarter: Quarter = Q2, **overrides) -> SubmissionWindow:
    period = ReportingPeriod.objects.ensure(quarter)
    fields = {"opens": date(2019, 8, 30), "closes": date(2019, 9, 13)}
    fields.update(overrides)
    window, _ = SubmissionWindow.objects.update_or_create(period=period, defaults=fields)
    return window


def make_return(activity: Activity, quarter: Quarter = Q2, **overrides) -> Return:
    issues = overrides.pop("issues", [])
    milestones = overrides.pop("milestones", {})
    expected = overrides.pop("expected", [])
    fields = {
        "status": Return.Status.SUBMITTED,
        "delivery": Return.Delivery.ON_TRACK,
        "started": True,
        "progress": "Going well.",
        "no_new_date": True,
        "version": 1,
        "submitted_by": activity.lead_officer,
        "updated_by": activity.lead_officer,
    }
    fields.update(overrides)
    ret = Return.objects.create(
        activity=activity, period=ReportingPeriod.objects.ensure(quarter), **fields
    )
    if issues:
        ret.issues.set(IssueTheme.objects.filter(key__in=issues))
    for kind, day in milestones.items():
        Milestone.objects.create(return_obj=ret, kind=kind, date=day)
    for board in expected:
        ExpectedGovernance.objects.create(return_obj=ret, board=board)
    return ret
