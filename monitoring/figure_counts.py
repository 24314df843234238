"""The headline counts of one quarter (a step per section of the report), for figures.compute.

Pure: facts in, ``(count, base)`` per figure key out, with labels and sections, in the order
the report shows them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kccperf.periods import FinancialYear
from monitoring.figure_facts import (
    BOARD_LABELS,
    BOARDS,
    DELIVERIES,
    DELIVERY_SHORT,
    MILESTONE_SHORT,
    REGISTER_SHORT,
    REGISTERS,
    ActivityFacts,
    ReturnFacts,
    slug,
)
from monitoring.models import Board, Delivery, Milestone


class _Counts:
    """(count, base) per key for one quarter, with labels and sections, in insertion order."""

    def __init__(self) -> None:
        self.values: dict[str, tuple[int, int]] = {}
        self.labels: dict[str, tuple[str, str]] = {}

    def add(self, key: str, label: str, count: int, base: int, section: str) -> None:
        self.values[key] = (count, base)
        self.labels[key] = (label, section)


Counts = _Counts


@dataclass(frozen=True)
class _Scope:
    """One quarter's submitted returns and what the sections count them against."""

    returns: Sequence[tuple[ActivityFacts, ReturnFacts]]
    due: int
    year: FinancialYear
    theme_labels: dict[str, str]
    types: Sequence[str]
    issue_counts: Sequence[int]

    @property
    def responded(self) -> int:
        return len(self.returns)

    @property
    def not_on_track(self) -> list[tuple[ActivityFacts, ReturnFacts]]:
        return [(a, r) for a, r in self.returns if r.not_on_track]

    @property
    def n_not(self) -> int:
        return len(self.not_on_track)


def quarter_counts(
    returns: Sequence[tuple[ActivityFacts, ReturnFacts]],
    due: int,
    year: FinancialYear,
    theme_labels: dict[str, str],
    types: Sequence[str],
    issue_counts: Sequence[int],
) -> Counts:
    """Every headline count of one quarter, section by section."""
    scope = _Scope(returns, due, year, theme_labels, types, issue_counts)
    counts = _Counts()
    for count_section in _SECTIONS:
        count_section(counts, scope)
    return counts


def _count_responses(c: _Counts, q: _Scope) -> None:
    label = "Activities that submitted a return"
    c.add("responses.submitted", label, q.responded, q.due, "responses")


def _count_delivery(c: _Counts, q: _Scope) -> None:
    returns, responded = q.returns, q.responded
    by_delivery = Counter(r.delivery for _, r in returns)
    labels = {
        Delivery.ON_TRACK: "Activities on track for successful delivery",
        Delivery.REMEDIAL: "Activities that require remedial action",
        Delivery.UNLIKELY: "Activities unlikely to be achieved",
    }
    for d in DELIVERIES:
        c.add(f"delivery.{d}", labels[d], by_delivery[d], responded, "delivery")
    c.add("delivery.not_on_track", "Activities not on track", q.n_not, responded, "delivery")
    started = sum(1 for _, r in returns if r.started)
    c.add("delivery.started", "Activities formally started", started, responded, "delivery")


def _count_due_this_year(c: _Counts, q: _Scope) -> None:
    returns, responded, year = q.returns, q.responded, q.year
    due_year = [(a, r) for a, r in returns if a.sdp_end is not None and a.sdp_end in year]
    n_due = len(due_year)
    c.add(
        "due_this_year.total",
        f"Activities due to complete in {year.label} (SDP end date)",
        n_due,
        responded,
        "due_this_year",
    )
    c.add(
        "due_this_year.not_on_track",
        f"Activities due to complete in {year.label} that are not on track",
        sum(1 for _, r in due_year if r.not_on_track),
        n_due,
        "due_this_year",
    )
    due_delivery = Counter(r.delivery for _, r in due_year)
    for d in DELIVERIES:
        c.add(
            f"due_this_year.{d}",
            f"Due to complete in {year.label}: {DELIVERY_SHORT[d].lower()}",
            due_delivery[d],
            n_due,
            "due_this_year",
        )
    with_date = sum(1 for _, r in due_year if r.has_new_date)
    c.add(
        "due_this_year.new_date",
        f"Due to complete in {year.label} with a new end or go-live date",
        with_date,
        n_due,
        "due_this_year",
    )
    c.add(
        "due_this_year.no_new_date",
        f"Due to complete in {year.label} with no new date",
        n_due - with_date,
        n_due,
        "due_this_year",
    )


def _count_not_on_track_types(c: _Counts, q: _Scope) -> None:
    not_on_track, n_not, types = q.not_on_track, q.n_not, q.types
    type_counts = Counter(a.activity_type or "Not set" for a, _ in not_on_track)
    for name in types:
        c.add(
            f"not_on_track_type.{slug(name)}",
            f"Activities not on track that are {name} activities",
            type_counts[name],
            n_not,
            "not_on_track_type",
        )


def _count_milestones(c: _Counts, q: _Scope) -> None:
    returns, responded = q.returns, q.responded
    with_milestones = [r for _, r in returns if r.has_milestones]
    n_ms = len(with_milestones)
    c.add(
        "milestones.identified",
        "Activities that identified key milestones",
        n_ms,
        responded,
        "milestones",
    )
    kind_counts = Counter(kind for r in with_milestones for kind in r.milestone_kinds)
    for kind in Milestone.Kind:
        c.add(
            f"milestones.{kind.value}",
            f"Activities with a milestone date for: {MILESTONE_SHORT[kind.value]}",
            kind_counts[kind.value],
            n_ms,
            "milestones",
        )


def _count_revised_dates(c: _Counts, q: _Scope) -> None:
    returns, responded = q.returns, q.responded
    revised = [r for _, r in returns if r.has_new_date]
    c.add(
        "revised_dates.total",
        "Activities with a new end or go-live date beyond the SDP date",
        len(revised),
        responded,
        "revised_dates",
    )
    revised_delivery = Counter(r.delivery for r in revised)
    for d in DELIVERIES:
        c.add(
            f"revised_dates.{d}",
            f"Revised dates: {DELIVERY_SHORT[d].lower()}",
            revised_delivery[d],
            len(revised),
            "revised_dates",
        )


def _count_issues(c: _Counts, q: _Scope) -> None:
    not_on_track, n_not = q.not_on_track, q.n_not
    theme_labels, issue_counts = q.theme_labels, q.issue_counts
    with_issues = [r for _, r in not_on_track if r.issues]
    c.add(
        "issues.identified",
        "Activities not on track that identified issues",
        len(with_issues),
        n_not,
        "issues",
    )
    theme_counts = Counter(key for _, r in not_on_track for key in set(r.issues))
    for key, label in theme_labels.items():
        c.add(
            f"issues.{key}",
            f"Activities not on track with issues of the theme: {label}",
            theme_counts[key],
            n_not,
            "issues",
        )
    c.add(
        "issues.more_than_one",
        "Activities not on track that identified more than one issue",
        sum(1 for _, r in not_on_track if len(set(r.issues)) > 1),
        n_not,
        "issues",
    )
    per_activity = Counter(len(set(r.issues)) for _, r in not_on_track)
    for n in issue_counts:
        c.add(
            f"issue_count.{n}",
            f"Activities not on track that identified {n} issue{'' if n == 1 else 's'}",
            per_activity[n],
            n_not,
            "issue_count",
        )


def _count_mitigation(c: _Counts, q: _Scope) -> None:
    not_on_track, n_not = q.not_on_track, q.n_not
    c.add(
        "mitigation.in_place",
        "Activities with issues that have mitigating actions or escalations",
        sum(1 for _, r in not_on_track if r.has_mitigation),
        n_not,
        "mitigation",
    )
    c.add(
        "mitigation.none_yet",
        "Activities with issues that have no mitigating actions yet",
        sum(1 for _, r in not_on_track if not r.has_mitigation),
        n_not,
        "mitigation",
    )


def _count_governance(c: _Counts, q: _Scope) -> None:
    returns, responded, year = q.returns, q.responded, q.year
    reported = Counter(b for _, r in returns for b in set(r.boards_reported))
    for b in BOARDS:
        c.add(
            f"governance.reported.{b}",
            f"Activities that reported to {BOARD_LABELS[b]} this quarter",
            reported[b],
            responded,
            "governance_reported",
        )
    expected = Counter(b for _, r in returns for b in r.expected_boards)
    for b in BOARDS:
        c.add(
            f"governance.expected.{b}",
            f"Activities expecting to report to {BOARD_LABELS[b]} in {year.label}",
            expected[b],
            responded,
            "governance_expected",
        )
    c.add(
        "governance.expected.none",
        f"Activities not expecting to report to any board in {year.label}",
        sum(1 for _, r in returns if not r.expected),
        responded,
        "governance_expected",
    )
    c.add(
        "governance.informal_forward_plan",
        "Activities expecting an informal governance board with the item on its forward plan",
        sum(1 for _, r in returns if r.informal_on_forward_plan),
        expected[Board.INFORMAL],
        "governance_expected",
    )


def _count_risk_registers(c: _Counts, q: _Scope) -> None:
    not_on_track, n_not = q.not_on_track, q.n_not
    c.add(
        "risk_register.recorded",
        "Activities not on track with the issues recorded on a risk register",
        sum(1 for _, r in not_on_track if r.registers),
        n_not,
        "risk_register",
    )
    register_counts = Counter(reg for _, r in not_on_track for reg in r.registers)
    for reg in REGISTERS:
        c.add(
            f"risk_register.{reg}",
            f"Activities not on track recorded on {REGISTER_SHORT[reg]} risk registers",
            register_counts[reg],
            n_not,
            "risk_register",
        )
    c.add(
        "risk_register.none",
        "Activities not on track not recorded on any risk register",
        sum(1 for _, r in not_on_track if not r.registers),
        n_not,
        "risk_register",
    )


_SECTIONS = (
    _count_responses,
    _count_delivery,
    _count_due_this_year,
    _count_not_on_track_types,
    _count_milestones,
    _count_revised_dates,
    _count_issues,
    _count_mitigation,
    _count_governance,
    _count_risk_registers,
)
