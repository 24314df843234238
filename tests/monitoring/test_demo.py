from collections import Counter

import pytest

from kccperf import demo as organisation_demo
from kccperf.models import User
from kccperf.periods import Quarter
from monitoring import demo
from monitoring.models import Activity, ExpectedGovernance, Milestone, Return, SubmissionWindow

Q2 = Quarter.parse("Q2 2019/20")


@pytest.fixture
def demo_data(db):
    organisation_demo.load("pw")
    demo.load("pw")


def _snapshot():
    return (
        list(Activity.objects.order_by("pk").values_list("pk", "title", "lead_officer_id")),
        list(Return.objects.order_by("pk").values_list("pk", "delivery", "version")),
        list(Milestone.objects.order_by("pk").values_list("pk", "kind", "date")),
        list(ExpectedGovernance.objects.order_by("pk").values_list("pk", "board")),
    )


def test_the_demo_has_79_activities_and_two_quarters_of_returns(demo_data):
    assert Activity.objects.count() == 79
    assert Return.objects.for_quarter(Q2).count() == 79
    assert Return.objects.for_quarter(Q2.previous()).count() == 79
    assert SubmissionWindow.objects.count() == 3


def test_the_live_quarter_is_open_today_with_returns_prefilled_from_q2(demo_data):
    """Q3 2019/20's window is open on the day the demo is loaded; two in five activities
    have submitted (answers carried from Q2), one in five has a draft; the demo lead
    officer's two activities have not started."""
    from django.utils import timezone

    from kccperf.models import ReportingPeriod

    q3 = Q2.next()
    window = SubmissionWindow.objects.get(period__start=q3.start)
    assert window.is_open(timezone.localdate())
    assert ReportingPeriod.objects.for_quarter(q3).is_open_for_returns
    statuses = Counter(Return.objects.for_quarter(q3).values_list("status", flat=True))
    assert statuses == {"submitted": 32, "draft": 16}
    officer = User.objects.get(username="lead.officer")
    mine = Activity.objects.editable_by(officer)
    assert not Return.objects.for_quarter(q3).filter(activity__in=mine).exists()
    carried = Return.objects.for_quarter(q3).filter(status="submitted").first()
    before = Return.objects.for_quarter(Q2).get(activity=carried.activity)
    assert (carried.delivery, carried.progress) == (before.delivery, before.progress)
    assert list(carried.issues.values_list("key", flat=True).order_by("key")) == list(
        before.issues.values_list("key", flat=True).order_by("key")
    )


def test_the_demo_outcome_1_q2_delivery_split_matches_the_seed(demo_data):
    deliveries = Counter(
        Return.objects.for_quarter(Q2)
        .filter(activity__outcome__number=1)
        .values_list("delivery", flat=True)
    )
    assert deliveries == {"on_track": 9, "remedial": 4, "unlikely": 1}


def test_loading_the_demo_twice_changes_nothing(demo_data):
    before = _snapshot()
    demo.load("pw")
    assert _snapshot() == before


def test_the_demo_lead_officer_is_delegated_two_outcome_1_activities(demo_data):
    user = User.objects.get(username="lead.officer")
    visible = Activity.objects.visible_to(user)
    assert sorted((a.outcome.number, a.number) for a in visible) == [(1, 4), (1, 5)]
