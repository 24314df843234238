"""The form and the importer give the same verdict on the same answers (monitoring.rules)."""

from __future__ import annotations

import pytest

from monitoring.forms import ReturnForm
from monitoring.imports import ReturnsImporter, _field
from monitoring.models import IssueTheme
from monitoring.rules import ANSWER_FIELDS, ISSUE_FIELDS
from tests.monitoring.factories import make_activity
from tests.monitoring.test_import import to_csv

# The answers every case starts from: a complete on-track return (SDP end 31/03/2020).
COMPLETE = {
    "delivery": "on_track",
    "started": "yes",
    "progress": "Design work finished.",
}
NOT_ON_TRACK = {
    **COMPLETE,
    "delivery": "remedial",
    "issues": ["capacity"],
    "issue_description": "Short of staff.",
    "mitigation": "Recruiting.",
    "risk_registers": ["project"],
}

# (case, answers, the fields the rules refuse)
CASES = [
    ("complete and on track", COMPLETE, set()),
    ("complete and not on track", NOT_ON_TRACK, set()),
    ("no delivery", {**COMPLETE, "delivery": ""}, {"delivery"}),
    ("not said whether started", {**COMPLETE, "started": ""}, {"started"}),
    ("no progress", {**COMPLETE, "progress": "  "}, {"progress"}),
    (
        "not on track, nothing about the issues",
        {**COMPLETE, "delivery": "unlikely"},
        {"issues", "issue_description", "mitigation", "risk_registers"},
    ),
    ("other issue unnamed", {**NOT_ON_TRACK, "issues": ["other"]}, {"other_issue_text"}),
    (
        "other issue named",
        {**NOT_ON_TRACK, "issues": ["other"], "other_issue_text": "Weather"},
        set(),
    ),
    (
        "mitigation and none yet",
        {**NOT_ON_TRACK, "mitigation_none_yet": True},
        {"mitigation_none_yet"},
    ),
    ("none yet instead", {**NOT_ON_TRACK, "mitigation": "", "mitigation_none_yet": True}, set()),
    (
        "no register and a register",
        {**NOT_ON_TRACK, "risk_registers": ["none", "project"]},
        {"risk_registers"},
    ),
    (
        "issues typed although on track are ignored",
        {**COMPLETE, "issues": ["other"], "risk_registers": ["none", "project"]},
        set(),
    ),
    (
        "new end date not after the SDP end",
        {**COMPLETE, "new_end_date": "2020-03-31"},
        {"new_end_date"},
    ),
    ("new end date after the SDP end", {**COMPLETE, "new_end_date": "2020-04-01"}, set()),
    (
        "new go-live not after the SDP end",
        {**COMPLETE, "new_go_live": "2020-03-31"},
        {"new_go_live"},
    ),
    (
        "other milestone unnamed",
        {**COMPLETE, "other_milestone_date": "2019-10-01"},
        {"milestone_other_text"},
    ),
    (
        "informal board reported, which not said",
        {**COMPLETE, "boards_reported": ["cmm", "informal"]},
        {"reported_informal_board"},
    ),
    (
        "informal board reported and named",
        {**COMPLETE, "boards_reported": ["informal"], "reported_informal_board": "icb"},
        set(),
    ),
    (
        "informal board named but not reported",
        {**COMPLETE, "boards_reported": ["cmm"], "reported_informal_board": "icb"},
        set(),
    ),
]


def as_form_data(answers: dict, themes: dict[str, int]) -> dict:
    data = {"version": "0", **{k: v for k, v in answers.items() if k != "other_milestone_date"}}
    data["issues"] = [themes[key] for key in answers.get("issues", [])]
    if answers.get("other_milestone_date"):
        data["milestone_other"] = answers["other_milestone_date"]
    if not (answers.get("new_end_date") or answers.get("new_go_live")):
        data["no_new_date"] = "on"  # the file has no such column: no date given means none
    if answers.get("mitigation_none_yet"):
        data["mitigation_none_yet"] = "on"
    return data


def as_file_row(answers: dict, activity) -> dict:
    row = {"quarter": "Q2 2019/20", "outcome": activity.outcome.number, "activity": activity.number}
    columns = {"other_issue_text": "other_issue"}
    for name, value in answers.items():
        if isinstance(value, list):
            value = "; ".join(value)
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        row[columns.get(name, name)] = value
    return row


@pytest.mark.parametrize(
    ("answers", "refused"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_the_form_and_the_importer_refuse_the_same_answers(alice, answers, refused):
    activity = make_activity(lead_officer=alice, number=1)  # the file takes 1-999
    themes = {t.key: t.pk for t in IssueTheme.objects.all()}
    rule_fields = {*ANSWER_FIELDS, *ISSUE_FIELDS, "milestone_other_text"}

    form = ReturnForm(as_form_data(answers, themes), activity=activity, submitting=True)
    form.is_valid()
    assert set(form.errors) & rule_fields == refused, form.errors

    plan = ReturnsImporter().plan(to_csv([as_file_row(answers, activity)]), "returns.csv")
    assert {_field(e.column) for e in plan.errors} == refused, [str(e) for e in plan.errors]
    assert set(form.errors) - rule_fields == set()


@pytest.mark.parametrize(
    ("answers", "refused"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_both_paths_give_the_same_messages(alice, answers, refused):
    activity = make_activity(lead_officer=alice, number=1)  # the file takes 1-999
    themes = {t.key: t.pk for t in IssueTheme.objects.all()}
    form = ReturnForm(as_form_data(answers, themes), activity=activity, submitting=True)
    form.is_valid()
    from_form = {(name, message) for name, errors in form.errors.items() for message in errors}
    plan = ReturnsImporter().plan(to_csv([as_file_row(answers, activity)]), "returns.csv")
    from_file = {(_field(e.column), e.message) for e in plan.errors}
    assert from_form == from_file
    assert all(str(e).startswith('Row 2, column "') for e in plan.errors)
