"""What changed since last quarter: a return's narrative and dates against the previous
quarter's return, as a word-level difference CMT can read without both quarters side by side.

Pure comparison (:func:`word_diff`, :func:`compare`) plus one loader (:func:`changes_for`)
that reads the returns of both quarters for any number of activities in three queries (the
returns with their periods, their issue themes, their milestones).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from django.db.models import Prefetch

from kccperf.periods import Quarter
from monitoring.models import IssueTheme, Milestone, Return

Op = Literal["equal", "insert", "delete"]

# Words and the spaces between them, so that joining the pieces gives back the text.
_TOKENS = re.compile(r"\s+|\S+")


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """``old`` -> ``new`` word by word (difflib): runs of equal, deleted and inserted text.

    A replaced run is its deletion followed by its insertion. Spaces are compared as one
    space, so a re-wrapped text is not a change, and never marked on their own: joining the
    equal and inserted segments gives ``new``, the equal and deleted ones ``old`` (up to
    spacing).
    """
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    # Spaces never start a match: "on track" -> "unlikely to be achieved" is one change.
    matcher = difflib.SequenceMatcher(
        lambda token: token == " ", _spaced(a), _spaced(b), autojunk=False
    )
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            segments.extend(_marked("delete", "".join(a[i1:i2])))
        if j2 > j1:
            segments.extend(_marked("insert", "".join(b[j1:j2])))
    return _merged(segments)


def _spaced(tokens: list[str]) -> list[str]:
    return [" " if token.isspace() else token for token in tokens]


def _marked(op: Op, text: str) -> list[Segment]:
    """A deleted or inserted run with its outer spaces left unmarked."""
    core = text.strip()
    if not core:
        return [Segment("equal", text)]
    start = text.index(core)
    before, after = text[:start], text[start + len(core) :]
    return [
        *([Segment("equal", before)] if before else []),
        Segment(op, core),
        *([Segment("equal", after)] if after else []),
    ]


def _merged(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].op == segment.op:
            merged[-1] = Segment(segment.op, merged[-1].text + segment.text)
        else:
            merged.append(segment)
    return merged


@dataclass(frozen=True)
class FieldChange:
    """One answer of the return: what it was last quarter, what it is now, and the diff."""

    key: str
    label: str
    before: str
    after: str
    status_or_date: bool  # delivery status or a date (the dashboard lists only these)

    @property
    def changed(self) -> bool:
        return self.before.split() != self.after.split()

    @property
    def segments(self) -> list[Segment]:
        return word_diff(self.before, self.after)


@dataclass
class ReturnChanges:
    """An activity's return for ``quarter`` against its return for the quarter before."""

    activity_id: int
    quarter: Quarter
    current: Return | None
    previous: Return | None
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def previous_quarter(self) -> Quarter:
        return self.quarter.previous()

    @property
    def comparable(self) -> bool:
        return self.current is not None and self.previous is not None

    @property
    def why_not(self) -> str:
        """Why there is nothing to compare ("" when there is)."""
        if self.current is None:
            return f"No return for {self.quarter.label} yet, so nothing to compare."
        if self.previous is None:
            return (
                f"No submitted return for {self.previous_quarter.label} to compare with "
                f"(the activity's first quarter of reporting, or last quarter's return was "
                f"not submitted), so everything in the {self.quarter.label} return is new."
            )
        return ""

    @property
    def changed(self) -> list[FieldChange]:
        return [f for f in self.fields if f.changed]

    @property
    def unchanged(self) -> list[FieldChange]:
        return [f for f in self.fields if not f.changed]

    @property
    def status_or_dates_changed(self) -> list[FieldChange]:
        return [f for f in self.changed if f.status_or_date]


def _date(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "None"


def _milestone(milestones: dict[str, Milestone], kind: str) -> str:
    m = milestones.get(kind)
    if m is None:
        return "Not identified"
    when = _date(m.date) if m.date else "Not known"
    return f"{m.text}: {when}" if kind == Milestone.Kind.OTHER and m.text else when


def _answers(r: Return | None) -> dict[str, str]:
    """The compared answers of a return, as text ("" for no return)."""
    if r is None:
        return {}
    milestones = {m.kind: m for m in r.milestones.all()}
    issues = "; ".join(t.label for t in r.issues.all())
    if r.other_issue_text:
        issues = f"{issues} ({r.other_issue_text})" if issues else r.other_issue_text
    answers = {
        "delivery": r.get_delivery_display() if r.delivery else "Not answered",
        "new_end_date": _date(r.new_end_date),
        "new_go_live": _date(r.new_go_live),
    }
    for kind in Milestone.Kind:
        answers[f"milestone_{kind.value}"] = _milestone(milestones, kind.value)
    answers |= {
        "issues": issues or "None",
        "issue_description": r.issue_description,
        "mitigation": "None yet" if r.mitigation_none_yet else r.mitigation,
        "progress": r.progress,
    }
    return answers


# (key, label, is a status or date) in the order the scorecard shows them.
FIELDS: list[tuple[str, str, bool]] = [
    ("delivery", "Delivery status", True),
    ("new_end_date", "New end date", True),
    ("new_go_live", "New go-live date", True),
    *((f"milestone_{k.value}", f"Milestone: {k.label}", True) for k in Milestone.Kind),
    ("issues", "Issues", False),
    ("issue_description", "Description of the issues", False),
    ("mitigation", "Mitigating actions or escalations", False),
    ("progress", "Progress this quarter", False),
]


def compare(
    activity_id: int, quarter: Quarter, current: Return | None, previous: Return | None
) -> ReturnChanges:
    """The quarter's return against the previous quarter's, answer by answer."""
    changes = ReturnChanges(activity_id, quarter, current, previous)
    if changes.comparable:
        before, after = _answers(previous), _answers(current)
        changes.fields = [
            FieldChange(key, label, before[key], after[key], status_or_date)
            for key, label, status_or_date in FIELDS
        ]
    return changes


def changes_for(activity_ids: Iterable[int], quarter: Quarter) -> dict[int, ReturnChanges]:
    """Each activity's :class:`ReturnChanges` for ``quarter``, in three queries whatever the
    number of activities. The quarter's return counts once started (a draft is marked by its
    status where shown); the previous quarter's only when it was submitted."""
    ids = list(activity_ids)
    previous = quarter.previous()
    returns = (
        Return.objects.filter(
            activity_id__in=ids, period__start__in=[quarter.start, previous.start]
        )
        .exclude(status=Return.Status.NOT_STARTED)
        .select_related("period")
        .prefetch_related(
            Prefetch("issues", queryset=IssueTheme.objects.order_by("order", "label")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("kind")),
        )
    )
    current: dict[int, Return] = {}
    before: dict[int, Return] = {}
    for r in returns:
        if r.period.start == quarter.start:
            current[r.activity_id] = r
        elif r.status == Return.Status.SUBMITTED:
            before[r.activity_id] = r
    return {pk: compare(pk, quarter, current.get(pk), before.get(pk)) for pk in ids}
