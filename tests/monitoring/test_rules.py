"""The pure rules of a complete return (monitoring.rules), without a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitoring.rules import (
    ANSWER_FIELDS,
    ActivityDates,
    Answers,
    answer_values,
    applicable,
    return_errors,
)

ACTIVITY = ActivityDates(sdp_end=date(2020, 3, 31))
COMPLETE = Answers(delivery="on_track", started=True, progress="Going well.", no_new_date=True)
NOT_ON_TRACK = replace(
    COMPLETE,
    delivery="remedial",
    issues=("capacity",),
    issue_description="Short of staff.",
    mitigation="Recruiting.",
    risk_registers=("project",),
)


def fields(answers: Answers, *, submitting: bool = True, activity=ACTIVITY) -> set[str]:
    return {name for name, _ in return_errors(answers, activity, submitting=submitting)}


def test_a_complete_return_passes():
    assert return_errors(COMPLETE, ACTIVITY, submitting=True) == []
    assert return_errors(NOT_ON_TRACK, ACTIVITY, submitting=True) == []


def test_an_empty_return_asks_for_every_required_answer_when_submitted():
    assert fields(Answers()) == {"delivery", "started", "progress", "new_end_date"}


def test_a_draft_may_be_incomplete():
    assert fields(Answers(), submitting=False) == set()
    assert fields(Answers(delivery="unlikely"), submitting=False) == set()


@pytest.mark.parametrize("delivery", ["remedial", "unlikely"])
def test_not_on_track_asks_about_the_issues(delivery):
    assert fields(replace(COMPLETE, delivery=delivery)) == {
        "issues",
        "issue_description",
        "mitigation",
        "risk_registers",
    }


def test_no_mitigation_yet_stands_in_for_the_mitigation_but_not_beside_it():
    assert fields(replace(NOT_ON_TRACK, mitigation="", mitigation_none_yet=True)) == set()
    both = replace(NOT_ON_TRACK, mitigation_none_yet=True)
    assert fields(both) == {"mitigation_none_yet"}
    assert fields(both, submitting=False) == {"mitigation_none_yet"}


def test_none_is_not_combined_with_a_register():
    assert fields(replace(NOT_ON_TRACK, risk_registers=("none",))) == set()
    assert fields(replace(NOT_ON_TRACK, risk_registers=("none", "project"))) == {"risk_registers"}


def test_the_other_issue_is_named():
    other = replace(NOT_ON_TRACK, issues=("other",), other_issue_selected=True)
    assert fields(other) == {"other_issue_text"}
    assert fields(replace(other, other_issue_text="Weather")) == set()


@pytest.mark.parametrize(
    ("end", "refused"),
    [(date(2020, 3, 30), True), (date(2020, 3, 31), True), (date(2020, 4, 1), False)],
)
def test_a_new_end_date_is_after_the_sdp_end(end, refused):
    answers = replace(COMPLETE, new_end_date=end, no_new_date=False)
    assert fields(answers) == ({"new_end_date"} if refused else set())


def test_a_new_go_live_is_after_the_original_go_live_or_else_the_sdp_end():
    answers = replace(COMPLETE, new_go_live=date(2020, 2, 1), no_new_date=False)
    assert fields(answers) == {"new_go_live"}
    early = ActivityDates(sdp_end=date(2020, 3, 31), go_live=date(2020, 1, 31))
    assert fields(answers, activity=early) == set()
    (message,) = [m for _, m in return_errors(answers, ACTIVITY, submitting=True)]
    assert message == "The new go-live date must be after the SDP end date, 31/03/2020"


def test_a_new_date_and_no_new_date_are_not_both_given():
    answers = replace(COMPLETE, new_end_date=date(2021, 1, 1), no_new_date=True)
    assert fields(answers) == {"no_new_date"}


def test_an_unknown_activity_skips_the_date_checks():
    answers = replace(COMPLETE, new_end_date=date(2016, 1, 1), no_new_date=False)
    assert fields(answers, activity=None) == set()


def test_the_other_milestone_is_named():
    assert fields(replace(COMPLETE, other_milestone_given=True)) == {"milestone_other_text"}
    named = replace(COMPLETE, other_milestone_given=True, milestone_other_text="Review")
    assert fields(named) == set()


def test_an_informal_board_reported_to_is_named_when_submitting():
    informal = replace(COMPLETE, boards_reported=("cmm", "informal"))
    assert fields(informal) == {"reported_informal_board"}
    assert fields(informal, submitting=False) == set()
    assert fields(replace(informal, reported_informal_board="scb")) == set()


def test_unreadable_answers_get_no_second_error():
    answers = replace(Answers(), unreadable=frozenset({"started", "new_go_live"}))
    assert fields(answers) == {"delivery", "progress"}


def test_on_track_clears_the_issue_answers():
    typed = replace(
        NOT_ON_TRACK, delivery="on_track", other_issue_selected=True, other_issue_text="x"
    )
    cleared = applicable(typed)
    assert cleared == replace(COMPLETE, delivery="on_track")


def test_other_issue_text_needs_the_other_theme_and_informal_board_the_informal_box():
    answers = replace(NOT_ON_TRACK, other_issue_text="x", reported_informal_board="scb")
    assert applicable(answers) == NOT_ON_TRACK
    kept = replace(answers, boards_reported=("informal",), other_issue_selected=True)
    assert applicable(kept) == kept


def test_answer_values_name_every_answer_field_of_a_return():
    values = answer_values(NOT_ON_TRACK)
    assert tuple(values) == ANSWER_FIELDS
    assert values["risk_registers"] == ["project"] and values["delivery"] == "remedial"


# Properties --------------------------------------------------------------------------------

# Timing varies on a shared 2-core machine.
SHARED_MACHINE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

texts = st.sampled_from(["", " ", "Some text."])
days = st.one_of(st.none(), st.dates(date(2015, 1, 1), date(2035, 12, 31)))
answers_strategy = st.builds(
    Answers,
    delivery=st.sampled_from(["", "on_track", "remedial", "unlikely"]),
    started=st.sampled_from([None, True, False]),
    progress=texts,
    issues=st.lists(st.sampled_from(["capacity", "other"]), unique=True).map(tuple),
    other_issue_selected=st.booleans(),
    other_issue_text=texts,
    issue_description=texts,
    mitigation=texts,
    mitigation_none_yet=st.booleans(),
    risk_registers=st.lists(st.sampled_from(["none", "project", "service"]), unique=True).map(
        tuple
    ),
    new_end_date=days,
    new_go_live=days,
    no_new_date=st.booleans(),
    other_milestone_given=st.booleans(),
    milestone_other_text=texts,
    boards_reported=st.lists(st.sampled_from(["cmm", "informal"]), unique=True).map(tuple),
    reported_informal_board=st.sampled_from(["", "scb", "bdg"]),
)


@SHARED_MACHINE
@given(answers_strategy)
def test_a_draft_is_never_refused_for_what_a_submission_accepts(answers):
    submitted = set(return_errors(answers, ACTIVITY, submitting=True))
    assert set(return_errors(answers, ACTIVITY, submitting=False)) <= submitted


@SHARED_MACHINE
@given(answers_strategy)
def test_clearing_what_does_not_apply_is_stable_and_never_adds_an_error(answers):
    cleared = applicable(answers)
    assert applicable(cleared) == cleared
    before = {name for name, _ in return_errors(answers, ACTIVITY, submitting=True)}
    after = {name for name, _ in return_errors(cleared, ACTIVITY, submitting=True)}
    assert after <= before


@SHARED_MACHINE
@given(answers_strategy)
def test_on_track_answers_are_never_refused_for_their_issues(answers):
    on_track = replace(answers, delivery="on_track")
    refused = {name for name, _ in return_errors(on_track, ACTIVITY, submitting=True)}
    assert not refused & {"issues", "issue_description", "mitigation", "risk_registers"}


@SHARED_MACHINE
@given(st.dates(date(2015, 1, 1), date(2035, 12, 31)))
def test_a_new_end_date_passes_exactly_when_after_the_sdp_end(day):
    answers = replace(COMPLETE, new_end_date=day, no_new_date=False)
    assert (fields(answers) == set()) is (day > ACTIVITY.sdp_end)
