"""The pure figures of the SDP report (no database)."""

from datetime import date

import pytest

from kccperf.periods import Quarter
from monitoring.analysis import draft
from monitoring.figures import (
    ActivityFacts,
    ExpectedFacts,
    Figure,
    ReturnFacts,
    Row,
    compute,
    percent,
)

Q2 = Quarter.parse("Q2 2019/20")
THEMES = {"capacity": "Capacity", "complexity": "Complexity", "other": "Other"}


def activity(number, *, sdp_end=date(2021, 3, 31), activity_type="Transformation"):
    return ActivityFacts(
        pk=number,
        outcome=1,
        number=number,
        title=f"Activity {number}",
        activity_type=activity_type,
        sdp_end=sdp_end,
    )


def ret(delivery="on_track", **fields):
    return ReturnFacts(delivery=delivery, **fields)


@pytest.mark.parametrize(
    "count,base,expected",
    [(9, 14, 64), (4, 14, 29), (1, 14, 7), (5, 7, 71), (1, 8, 13), (0, 5, 0), (3, 0, None)],
)
def test_percentages_are_whole_and_round_halves_up(count, base, expected):
    assert percent(count, base) == expected


def test_a_figure_reads_like_the_report():
    f = Figure("delivery.remedial", "Remedial", 4, 14, previous=0, previous_base=14)
    assert f.display == "29% (4)"
    assert f.change("Q1") == "up from 0 in Q1"
    assert Figure("k", "l", 1, 14, previous=2).change("Q1") == "down from 2 in Q1"
    assert Figure("k", "l", 2, 14, previous=2).change("Q1") == "the same as in Q1"
    assert Figure("k", "l", 2, 14).change("Q4 2018/19") == "no returns in Q4 2018/19"
    assert Figure("k", "l", 2, 0).display == "2"


def test_delivery_and_responses_count_only_returned_activities_against_those_due():
    rows = [
        Row(activity(1), ret("on_track"), ret("on_track")),
        Row(activity(2), ret("remedial"), ret("on_track")),
        Row(activity(3), None, ret("unlikely")),  # due, no return this quarter
        Row(activity(4), None, None, due_current=False, due_previous=False),
    ]
    d = compute(rows, Q2, THEMES)
    assert (d["responses.submitted"].count, d["responses.submitted"].base) == (2, 3)
    assert d["responses.submitted"].previous == 3
    assert d["delivery.on_track"].display == "50% (1)"
    assert d["delivery.remedial"].previous == 0
    assert d["delivery.unlikely"].previous == 1
    assert d.previous_label == "Q1"
    # The summary lists activities due a return, with or without one.
    assert [r.activity.number for r in d.summary] == [1, 2, 3]
    assert d.summary[2].delivery == ""


def test_due_to_complete_this_year_uses_the_sdp_end_date_within_the_financial_year():
    rows = [
        Row(activity(1, sdp_end=date(2020, 3, 31)), ret("remedial"), None),
        Row(
            activity(2, sdp_end=date(2019, 4, 1)),
            ret("on_track", new_go_live=date(2020, 1, 1)),
            None,
        ),
        Row(activity(3, sdp_end=date(2020, 4, 1)), ret("unlikely"), None),  # next year
    ]
    d = compute(rows, Q2, THEMES)
    assert d["due_this_year.total"].count == 2
    assert d["due_this_year.not_on_track"].display == "50% (1)"
    assert d["due_this_year.new_date"].count == 1
    assert d["due_this_year.no_new_date"].count == 1
    assert d["delivery.not_on_track"].count == 2


def test_issue_themes_mitigations_and_registers_are_shares_of_those_not_on_track():
    rows = [
        Row(
            activity(1),
            ret(
                "remedial",
                issues=("capacity", "complexity"),
                mitigation="Plan",
                risk_registers=("project",),
            ),
            ret("unlikely", issues=("capacity",)),
        ),
        Row(
            activity(2),
            ret(
                "unlikely", issues=("capacity",), mitigation_none_yet=True, risk_registers=("none",)
            ),
            None,
        ),
        Row(activity(3), ret("on_track", issues=("complexity",)), None),  # ignored: on track
    ]
    d = compute(rows, Q2, THEMES)
    assert d["issues.capacity"].display == "100% (2)"
    assert d["issues.capacity"].previous == 1
    assert d["issues.complexity"].display == "50% (1)"
    assert d["issues.more_than_one"].count == 1
    assert d["issue_count.1"].count == 1 and d["issue_count.2"].count == 1
    assert d["mitigation.in_place"].display == "50% (1)"
    assert d["risk_register.project"].display == "50% (1)"
    assert d["risk_register.none"].count == 1
    assert [a.number for a in d.not_on_track_unrecorded] == [2]
    assert [r.mitigation for r in d.not_on_track] == ["Plan", ""]
    assert d.not_on_track[0].previous_delivery == "unlikely"


def test_milestones_count_only_those_with_a_date():
    rows = [
        Row(activity(1), ret(milestones=(("go_live", date(2020, 1, 1)), ("eqia", None))), None),
        Row(activity(2), ret(milestones=(("eqia", None),)), None),  # "not known" only
    ]
    d = compute(rows, Q2, THEMES)
    assert d["milestones.identified"].display == "50% (1)"
    assert d["milestones.go_live"].display == "100% (1)"
    assert d["milestones.eqia"].count == 0
    assert d.summary[0].milestones == 1


def test_governance_counts_activities_not_board_items():
    rows = [
        Row(
            activity(1),
            ret(
                boards_reported=("cmm",),
                expected=(
                    ExpectedFacts("cabinet_committee"),
                    ExpectedFacts("cabinet_committee"),
                    ExpectedFacts("informal", "scb", on_forward_plan=True),
                ),
            ),
            None,
        ),
        Row(activity(2), ret(expected=(ExpectedFacts("informal", "icb"),)), None),
        Row(activity(3), ret(), None),
    ]
    d = compute(rows, Q2, THEMES)
    assert d["governance.expected.cabinet_committee"].count == 1
    assert d["governance.expected.informal"].count == 2
    assert d["governance.expected.none"].count == 1
    assert d["governance.informal_forward_plan"].display == "50% (1)"
    assert d["governance.reported.cmm"].count == 1
    assert d.summary[0].boards["cmm"] == "Reported"
    assert d.summary[0].boards["cabinet_committee"] == "Expected"
    assert d.summary[2].boards["informal"] == ""


def test_every_figure_has_a_stable_unique_key_whatever_the_data():
    empty = compute([], Q2, THEMES)
    some = compute([Row(activity(1), ret("remedial", issues=("capacity",)), ret())], Q2, THEMES)
    assert len({f.key for f in empty.figures}) == len(empty.figures)
    assert {f.key for f in empty.figures} <= {f.key for f in some.figures}
    assert empty["responses.submitted"].previous is None
    assert not empty.has_previous


def test_the_draft_analysis_states_the_numbers_and_the_comparison():
    rows = [
        Row(
            activity(1),
            ret("remedial", issues=("capacity",), mitigation="Plan", risk_registers=("none",)),
            ret("on_track"),
        ),
        Row(activity(2), ret("on_track"), ret("on_track")),
    ]
    text = draft(compute(rows, Q2, THEMES), "Strategic Outcome 1")
    assert "Submissions: all 2 activities of Strategic Outcome 1 due a return for Q2" in text
    assert "2 of the 2" not in text  # "all 2 activities", never "2 of the 2"
    assert "1 (50%) requires remedial action (up from 0 in Q1)" in text
    assert "Not recorded on any risk register: 1. Activity 1." in text
    assert "\n\n" in text  # paragraphs
