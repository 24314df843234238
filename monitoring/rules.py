"""Pure rules of SDP monitoring: is a return complete, which activities are due, who edits.

The counterpart of ``kpis/scoring.py`` and ``risks/scoring.py``: plain data in, plain data
out, no database. The return form (:class:`monitoring.forms.ReturnForm`) and the returns
importer (:class:`monitoring.imports.ReturnsImporter`) both call :func:`return_errors` and
:func:`applicable`, so a browser submission and an imported row get the same verdict. The
dashboards, response rates and reminders all use :func:`is_due` (or its SQL twin
:func:`monitoring.models.due_in`).

Errors are ``(field, message)`` pairs; the field is the answer's name below (the form's
field name), and the importer maps it to its column.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from kccperf.periods import Quarter

# The vocabulary of the answers (the values of monitoring.models' TextChoices).
ON_TRACK = "on_track"
NOT_ON_TRACK = ("remedial", "unlikely")
NO_REGISTER = "none"
INFORMAL_BOARD = "informal"

# A return's own answers, as stored on ``Return`` (one home for the list: the form, the
# importer, the demo, the history and the exports read it from here).
ANSWER_FIELDS: tuple[str, ...] = (
    "delivery",
    "started",
    "progress",
    "new_end_date",
    "new_go_live",
    "no_new_date",
    "other_issue_text",
    "issue_description",
    "mitigation",
    "mitigation_none_yet",
    "risk_registers",
    "boards_reported",
    "reported_informal_board",
)
# Questions that only apply when the activity is not on track ("issues" is the themes).
ISSUE_FIELDS: tuple[str, ...] = (
    "issues",
    "other_issue_text",
    "issue_description",
    "mitigation",
    "mitigation_none_yet",
    "risk_registers",
)

Error = tuple[str, str]


@dataclass(frozen=True)
class Answers:
    """A return's answers as plain values (from the form's cleaned data or a file row).

    ``unreadable`` names answers whose input could not be read (e.g. not a date): they
    already carry an error, so the rules neither demand them nor add a second error.
    """

    delivery: str = ""
    started: bool | None = None
    progress: str = ""
    issues: tuple[str, ...] = ()
    other_issue_selected: bool = False
    other_issue_text: str = ""
    issue_description: str = ""
    mitigation: str = ""
    mitigation_none_yet: bool = False
    risk_registers: tuple[str, ...] = ()
    new_end_date: date | None = None
    new_go_live: date | None = None
    no_new_date: bool = False
    other_milestone_given: bool = False
    milestone_other_text: str = ""
    boards_reported: tuple[str, ...] = ()
    reported_informal_board: str = ""
    unreadable: frozenset[str] = field(default_factory=frozenset)

    @property
    def not_on_track(self) -> bool:
        return self.delivery in NOT_ON_TRACK


@dataclass(frozen=True)
class ActivityDates:
    """The activity's dates a return's revised dates are checked against."""

    sdp_end: date
    go_live: date | None = None


def applicable(answers: Answers) -> Answers:
    """The answers without those that do not apply (typed with JavaScript off, or in a file).

    On track: no issues. No "Other" theme: no other-issue text. No informal board reported:
    no informal board named.
    """
    if answers.delivery == ON_TRACK:
        answers = replace(
            answers,
            issues=(),
            other_issue_selected=False,
            other_issue_text="",
            issue_description="",
            mitigation="",
            mitigation_none_yet=False,
            risk_registers=(),
        )
    elif answers.not_on_track and not answers.other_issue_selected:
        answers = replace(answers, other_issue_text="")
    if INFORMAL_BOARD not in answers.boards_reported:
        answers = replace(answers, reported_informal_board="")
    return answers


def answer_values(answers: Answers) -> dict[str, object]:
    """The answers as ``Return``'s fields (:data:`ANSWER_FIELDS`; lists for multiple choices)."""
    values = {}
    for name in ANSWER_FIELDS:
        value = getattr(answers, name)
        values[name] = list(value) if isinstance(value, tuple) else value
    return values


def return_errors(
    answers: Answers, activity: ActivityDates | None, *, submitting: bool
) -> list[Error]:
    """Every (field, message) that stops these answers being saved (``submitting``: as a
    complete return). Consistency rules apply to drafts too; "required" ones on submitting.
    ``activity`` None (unknown activity in a file) skips the checks against its dates."""
    errors = _core_errors(answers, submitting)
    if answers.not_on_track:
        errors += _issue_errors(answers, submitting)
    if activity is not None:
        errors += _date_errors(answers, activity)
    errors += _new_date_errors(answers, submitting)
    if answers.other_milestone_given and not answers.milestone_other_text.strip():
        errors.append(("milestone_other_text", "Say what the other milestone is"))
    if (
        submitting
        and INFORMAL_BOARD in answers.boards_reported
        and not answers.reported_informal_board
    ):
        errors.append(
            ("reported_informal_board", "Select which informal governance board it reported to")
        )
    return [(name, message) for name, message in errors if name not in answers.unreadable]


def _core_errors(answers: Answers, submitting: bool) -> list[Error]:
    if not submitting:
        return []
    errors = []
    if not answers.delivery:
        errors.append(("delivery", "Select whether the activity is on track"))
    if answers.started is None:
        errors.append(("started", "Select whether the activity has formally started"))
    if not answers.progress.strip():
        errors.append(("progress", "Describe the progress this quarter"))
    return errors


def _issue_errors(answers: Answers, submitting: bool) -> list[Error]:
    """Rules for the questions asked when the activity is not on track."""
    errors = []
    registers = answers.risk_registers
    mitigation = answers.mitigation.strip()
    if answers.other_issue_selected and not answers.other_issue_text.strip():
        errors.append(("other_issue_text", "Say what the other issue is"))
    if NO_REGISTER in registers and len(registers) > 1:
        errors.append(("risk_registers", "Select the risk registers, or None, but not both"))
    if mitigation and answers.mitigation_none_yet:
        errors.append(
            (
                "mitigation_none_yet",
                "Either describe the mitigating actions or say there are none yet, not both",
            )
        )
    if not submitting:
        return errors
    if not answers.issues:
        errors.append(("issues", "Select at least one issue, as the activity is not on track"))
    if not answers.issue_description.strip():
        errors.append(("issue_description", "Describe the issues, as the activity is not on track"))
    if not mitigation and not answers.mitigation_none_yet:
        errors.append(
            (
                "mitigation",
                "Describe the mitigating actions or escalations, or tick that there are none yet",
            )
        )
    if not registers:
        errors.append(("risk_registers", "Select the risk registers, or None"))
    return errors


def _date_errors(answers: Answers, activity: ActivityDates) -> list[Error]:
    """Revised dates only make sense after the dates they revise."""
    errors = []
    if answers.new_end_date and answers.new_end_date <= activity.sdp_end:
        errors.append(
            (
                "new_end_date",
                f"The new end date must be after the SDP end date, {activity.sdp_end:%d/%m/%Y}",
            )
        )
    original = activity.go_live or activity.sdp_end
    if answers.new_go_live and answers.new_go_live <= original:
        which = "original go-live date" if activity.go_live else "SDP end date"
        errors.append(
            (
                "new_go_live",
                f"The new go-live date must be after the {which}, {original:%d/%m/%Y}",
            )
        )
    return errors


def _new_date_errors(answers: Answers, submitting: bool) -> list[Error]:
    given = bool(answers.new_end_date or answers.new_go_live)
    if given and answers.no_new_date:
        return [("no_new_date", "Either give a new date or say there is none, not both")]
    unreadable = {"new_end_date", "new_go_live"} & answers.unreadable
    if submitting and not (given or answers.no_new_date or unreadable):
        return [("new_end_date", "Give a new end or go-live date, or tick that there is none")]
    return []


# Which activities are due --------------------------------------------------------------


def is_due(
    *,
    sdp_start: date,
    reporting_from: date | None,
    closed_from: date | None,
    quarter: Quarter,
    has_return: bool,
) -> bool:
    """Whether an activity is expected to send a return for ``quarter``.

    A lifecycle fact, not a date coincidence: due from the quarter it started (or, when
    added to the plan later, the quarter it was added in: ``reporting_from``) until it is
    closed (``closed_from``: the first quarter it no longer reports). Passing its SDP end
    date does not end it: an overdue activity still reports, and is the one to chase. Any
    return (a draft counts) for the quarter makes it due too. Because both ends are
    recorded quarters, closing or adding an activity later never changes an earlier
    quarter's base. :func:`monitoring.models.due_in` is the same rule as a SQL filter.
    """
    if has_return:
        return True
    first = max(sdp_start, reporting_from) if reporting_from else sdp_start
    return first <= quarter.end and (closed_from is None or quarter.start < closed_from)


# Who may edit a return -----------------------------------------------------------------

SUBMIT_PERMISSION = "monitoring.submit_return"
SIGN_OFF_PERMISSION = "monitoring.sign_off_return"
ON_BEHALF_PERMISSION = "monitoring.sign_off_on_behalf"
