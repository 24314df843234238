"""The task list at the top of the return form: its sections, in order, each with a status.

A status is the rules' verdict (:func:`monitoring.rules.return_errors` as if submitting, the
same call the form makes), not a second copy of them: a section is "Completed" when no rule
and no field error names one of its questions, "Incomplete" otherwise, and the issue
questions are "Not needed" when the activity is on track (what :func:`rules.applicable`
clears) and "Cannot start yet" until the on-track question is answered.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from monitoring import rules

if TYPE_CHECKING:
    from monitoring.forms import ReturnForm

COMPLETED = "Completed"
INCOMPLETE = "Incomplete"
NOT_NEEDED = "Not needed"
CANNOT_START = "Cannot start yet"

# (anchor id of the section's heading in monitoring/return_form.html, title, its questions)
MILESTONES = "milestones"  # the milestone_* fields, named by the form
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("section-delivery", "Delivery", ("delivery", "started", "progress")),
    ("section-issues", "Issues", rules.ISSUE_FIELDS),
    ("section-milestones", "Key milestones", (MILESTONES,)),
    ("section-revised-dates", "Revised dates", ("new_end_date", "new_go_live", "no_new_date")),
    ("section-governance", "Governance", ("boards_reported", "reported_informal_board")),
)


@dataclass(frozen=True)
class Task:
    anchor: str
    title: str
    status: str

    @property
    def status_key(self) -> str:
        return self.status.lower().replace(" ", "-")


def _section_of(field: str) -> str:
    return MILESTONES if field.startswith("milestone_") else field


def task_list(form: ReturnForm, *, governance_errors: bool = False) -> list[Task]:
    """The sections of ``form`` (bound or not) with their statuses."""
    if form.is_bound:
        data = dict(getattr(form, "cleaned_data", {}))
        field_errors = {_section_of(name) for name in form.errors}
    else:
        data = dict(form.initial)
        data["started"] = {"yes": True, "no": False}.get(data.get("started") or "")
        field_errors = set()
    # Every answer is judged: a field that could not be read is in field_errors already.
    answers = replace(form.answers(data), unreadable=frozenset())
    dates = rules.ActivityDates(form.activity.sdp_end, form.activity.go_live)
    failing = field_errors | {
        _section_of(name) for name, _ in rules.return_errors(answers, dates, submitting=True)
    }
    if governance_errors:
        failing.add("boards_reported")
    tasks = []
    for anchor, title, fields in SECTIONS:
        if fields == rules.ISSUE_FIELDS and answers.delivery == rules.ON_TRACK:
            status = NOT_NEEDED
        elif fields == rules.ISSUE_FIELDS and not answers.not_on_track:
            status = CANNOT_START
        else:
            status = INCOMPLETE if failing & set(fields) else COMPLETED
        tasks.append(Task(anchor, title, status))
    return tasks
