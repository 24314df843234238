"""The figures of the SDP monitoring report (outcome dashboards), from the returns alone.

Two layers:

- :func:`load` reads one quarter and the quarter before it for an outcome (or the whole
  council) in a constant number of queries and turns the rows into plain facts
  (:class:`ActivityFacts`, :class:`ReturnFacts`);
- :func:`compute` is pure: facts in, :class:`Dashboard` out (every figure with its previous
  quarter's count, and the report's tables). Tests can drive it without a database.

Bases follow the report: delivery, milestones, revised dates and governance are shares of the
activities that responded; issue themes, mitigations and risk registers are shares of the
activities not on track; milestone types are shares of the activities that identified one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from kccperf.periods import FinancialYear, Quarter
from monitoring.models import (
    Activity,
    Board,
    Delivery,
    ExpectedGovernance,
    IssueTheme,
    Milestone,
    Return,
    RiskRegister,
    due_in,
    has_return_in,
)
from monitoring.rules import is_due

DELIVERIES: tuple[str, ...] = (Delivery.ON_TRACK, Delivery.REMEDIAL, Delivery.UNLIKELY)
DELIVERY_ORDER = {Delivery.ON_TRACK: 0, Delivery.REMEDIAL: 1, Delivery.UNLIKELY: 2}
NOT_ON_TRACK: frozenset[str] = frozenset({Delivery.REMEDIAL, Delivery.UNLIKELY})
DELIVERY_SHORT = {
    Delivery.ON_TRACK: "On track",
    Delivery.REMEDIAL: "Requires remedial action",
    Delivery.UNLIKELY: "Unlikely to be achieved",
}
BOARDS: tuple[str, ...] = (
    Board.CMM,
    Board.CORPORATE_BOARD,
    Board.INFORMAL,
    Board.CABINET_COMMITTEE,
)
BOARD_LABELS = {
    Board.CMM: "Cabinet Members Meeting",
    Board.CORPORATE_BOARD: "Corporate Board",
    Board.INFORMAL: "an informal governance board",
    Board.CABINET_COMMITTEE: "Cabinet Committees",
}
REGISTERS: tuple[str, ...] = (
    RiskRegister.PROJECT,
    RiskRegister.SERVICE,
    RiskRegister.DIRECTORATE,
    RiskRegister.CORPORATE,
)
REGISTER_SHORT = {
    RiskRegister.PROJECT: "project/programme",
    RiskRegister.SERVICE: "service/divisional",
    RiskRegister.DIRECTORATE: "directorate",
    RiskRegister.CORPORATE: "corporate",
}

MILESTONE_SHORT = {
    Milestone.Kind.APPROVAL: "approval to proceed",
    Milestone.Kind.EQIA: "EQIA initial screening",
    Milestone.Kind.CONSULTATION: "consultation start",
    Milestone.Kind.KEY_DECISION: "key decision",
    Milestone.Kind.GO_LIVE: "go-live",
    Milestone.Kind.OTHER: "other milestones",
}


def percent(count: int, base: int) -> int | None:
    """Whole per cent, halves rounded up (9 of 14 -> 64, 4 of 14 -> 29); None without a base."""
    if not base:
        return None
    return (200 * count + base) // (2 * base)


def short_label(quarter: Quarter, current: Quarter) -> str:
    """ "Q1" within the same financial year, else "Q4 2018/19"."""
    if quarter.financial_year == current.financial_year:
        return f"Q{quarter.number}"
    return quarter.label


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_")


# Facts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectedFacts:
    board: str
    informal_board: str = ""
    expected_date: date | None = None
    on_forward_plan: bool = False


@dataclass(frozen=True)
class ReturnFacts:
    """What the figures need from one submitted return."""

    delivery: str
    started: bool | None = None
    issues: tuple[str, ...] = ()  # theme keys
    mitigation: str = ""
    mitigation_none_yet: bool = False
    risk_registers: tuple[str, ...] = ()
    milestones: tuple[tuple[str, date | None], ...] = ()  # (kind, date or None: not known)
    new_end_date: date | None = None
    new_go_live: date | None = None
    boards_reported: tuple[str, ...] = ()
    expected: tuple[ExpectedFacts, ...] = ()

    @property
    def not_on_track(self) -> bool:
        return self.delivery in NOT_ON_TRACK

    @property
    def milestone_kinds(self) -> set[str]:
        """Milestones identified with a date ("not known" does not count as identified)."""
        return {kind for kind, when in self.milestones if when is not None}

    @property
    def has_milestones(self) -> bool:
        return bool(self.milestone_kinds)

    @property
    def has_new_date(self) -> bool:
        return self.new_end_date is not None or self.new_go_live is not None

    @property
    def has_mitigation(self) -> bool:
        return bool(self.mitigation.strip()) and not self.mitigation_none_yet

    @property
    def expected_boards(self) -> set[str]:
        return {e.board for e in self.expected}

    @property
    def informal_on_forward_plan(self) -> bool:
        return any(e.board == Board.INFORMAL and e.on_forward_plan for e in self.expected)

    @property
    def registers(self) -> set[str]:
        return {r for r in self.risk_registers if r != RiskRegister.NONE}


@dataclass(frozen=True)
class ActivityFacts:
    pk: int
    outcome: int
    number: int
    title: str
    activity_type: str = ""
    sdp_end: date | None = None
    go_live: date | None = None
    corporate_board: bool = False

    @property
    def reference(self) -> str:
        return f"{self.outcome}.{self.number}"

    @property
    def name(self) -> str:
        return f"{self.number}. {self.title}"


@dataclass(frozen=True)
class Row:
    """One activity with its submitted returns for the quarter and the one before."""

    activity: ActivityFacts
    current: ReturnFacts | None
    previous: ReturnFacts | None
    due_current: bool = True
    due_previous: bool = True


# Output --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    count: int
    base: int
    previous: int | None = None
    previous_base: int | None = None
    section: str = ""

    @property
    def percentage(self) -> int | None:
        return percent(self.count, self.base)

    @property
    def display(self) -> str:
        """ "64% (9)"; just the count when there is no base."""
        pct = self.percentage
        return str(self.count) if pct is None else f"{pct}% ({self.count})"

    def change(self, previous_label: str) -> str:
        """ "up from 0 in Q1", "down from 2 in Q1", "the same as in Q1"."""
        if self.previous is None:
            return f"no returns in {previous_label}"
        if self.count > self.previous:
            return f"up from {self.previous} in {previous_label}"
        if self.count < self.previous:
            return f"down from {self.previous} in {previous_label}"
        return f"the same as in {previous_label}"


@dataclass(frozen=True)
class NotOnTrackRow:
    activity: ActivityFacts
    previous_delivery: str  # "" when no previous return
    delivery: str
    issues: tuple[str, ...]  # theme labels
    mitigation: str
    registers: tuple[str, ...]

    @property
    def delivery_label(self) -> str:
        return Delivery(self.delivery).label

    @property
    def previous_delivery_label(self) -> str:
        return Delivery(self.previous_delivery).label if self.previous_delivery else ""


@dataclass(frozen=True)
class RevisedDateRow:
    activity: ActivityFacts
    delivery: str
    sdp_end: date | None
    new_end_date: date | None
    new_go_live: date | None

    @property
    def delivery_label(self) -> str:
        return Delivery(self.delivery).label


@dataclass(frozen=True)
class SummaryRow:
    activity: ActivityFacts
    delivery: str  # "" when no return
    milestones: int  # kinds identified with a date
    boards: dict[str, str]  # board -> "Reported", "Expected", "Reported and expected", ""

    @property
    def reference(self) -> str:
        return self.activity.reference

    # Sort keys for the summary table (django-tables2 sorts lists by accessor).
    @property
    def sort_activity(self) -> tuple[int, int]:
        return (self.activity.outcome, self.activity.number)

    @property
    def sort_delivery(self) -> int:
        return DELIVERY_ORDER.get(self.delivery, len(DELIVERY_ORDER))

    @property
    def sort_boards(self) -> dict[str, int]:
        """Reported before expected before neither."""
        order = {"Reported and expected": 0, "Reported": 1, "Expected": 2, "": 3}
        return {board: order[text] for board, text in self.boards.items()}


@dataclass
class Dashboard:
    quarter: Quarter
    previous_quarter: Quarter
    figures: list[Figure]
    not_on_track: list[NotOnTrackRow] = field(default_factory=list)
    revised_dates: list[RevisedDateRow] = field(default_factory=list)
    summary: list[SummaryRow] = field(default_factory=list)
    not_on_track_unrecorded: list[ActivityFacts] = field(default_factory=list)
    theme_labels: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_key = {f.key: f for f in self.figures}

    def __getitem__(self, key: str) -> Figure:
        return self._by_key[key]

    def get(self, key: str) -> Figure | None:
        return self._by_key.get(key)

    def section(self, name: str) -> list[Figure]:
        return [f for f in self.figures if f.section == name]

    @property
    def previous_label(self) -> str:
        return short_label(self.previous_quarter, self.quarter)

    @property
    def has_previous(self) -> bool:
        return self["responses.submitted"].previous is not None


# The pure computation --------------------------------------------------------------------


class _Counts:
    """(count, base) per key for one quarter, with labels and sections, in insertion order."""

    def __init__(self) -> None:
        self.values: dict[str, tuple[int, int]] = {}
        self.labels: dict[str, tuple[str, str]] = {}

    def add(self, key: str, label: str, count: int, base: int, section: str) -> None:
        self.values[key] = (count, base)
        self.labels[key] = (label, section)


def _quarter_counts(
    returns: Sequence[tuple[ActivityFacts, ReturnFacts]],
    due: int,
    year: FinancialYear,
    theme_labels: dict[str, str],
    types: Sequence[str],
    issue_counts: Sequence[int],
) -> _Counts:
    c = _Counts()
    responded = len(returns)
    c.add("responses.submitted", "Activities that submitted a return", responded, due, "responses")

    by_delivery = Counter(r.delivery for _, r in returns)
    labels = {
        Delivery.ON_TRACK: "Activities on track for successful delivery",
        Delivery.REMEDIAL: "Activities that require remedial action",
        Delivery.UNLIKELY: "Activities unlikely to be achieved",
    }
    for d in DELIVERIES:
        c.add(f"delivery.{d}", labels[d], by_delivery[d], responded, "delivery")
    not_on_track = [(a, r) for a, r in returns if r.not_on_track]
    n_not = len(not_on_track)
    c.add("delivery.not_on_track", "Activities not on track", n_not, responded, "delivery")
    started = sum(1 for _, r in returns if r.started)
    c.add("delivery.started", "Activities formally started", started, responded, "delivery")

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

    type_counts = Counter(a.activity_type or "Not set" for a, _ in not_on_track)
    for name in types:
        c.add(
            f"not_on_track_type.{slug(name)}",
            f"Activities not on track that are {name} activities",
            type_counts[name],
            n_not,
            "not_on_track_type",
        )

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
    return c


def _board_cell(reported: bool, expected: bool) -> str:
    if reported and expected:
        return "Reported and expected"
    if reported:
        return "Reported"
    if expected:
        return "Expected"
    return ""


def compute(
    rows: Iterable[Row],
    quarter: Quarter,
    theme_labels: dict[str, str],
) -> Dashboard:
    """Every figure for ``quarter`` with the previous quarter's count, and the tables.

    ``theme_labels``: issue theme key -> label, in the order to show (the managed list);
    themes found in returns but missing from it are added at the end.
    """
    rows = sorted(rows, key=lambda r: (r.activity.outcome, r.activity.number))
    previous_quarter = quarter.previous()
    current = [(r.activity, r.current) for r in rows if r.current is not None]
    previous = [(r.activity, r.previous) for r in rows if r.previous is not None]

    themes = dict(theme_labels)
    for _, ret in current + previous:
        for key in ret.issues:
            themes.setdefault(key, key.replace("_", " ").capitalize())
    types = sorted({a.activity_type or "Not set" for a, r in current + previous if r.not_on_track})
    counts = sorted(
        {len(set(r.issues)) for _, r in current + previous if r.not_on_track and r.issues}
    )

    now = _quarter_counts(
        current,
        sum(1 for r in rows if r.due_current),
        quarter.financial_year,
        themes,
        types,
        counts,
    )
    before = _quarter_counts(
        previous,
        sum(1 for r in rows if r.due_previous),
        previous_quarter.financial_year,
        themes,
        types,
        counts,
    )
    has_previous = bool(previous)
    figures = []
    for key, (count, base) in now.values.items():
        label, section = now.labels[key]
        prev_count, prev_base = before.values[key]
        figures.append(
            Figure(
                key=key,
                label=label,
                count=count,
                base=base,
                previous=prev_count if has_previous else None,
                previous_base=prev_base if has_previous else None,
                section=section,
            )
        )

    not_on_track_rows = []
    unrecorded = []
    revised_rows = []
    summary = []
    for row in rows:
        ret = row.current
        if ret is not None and ret.not_on_track:
            not_on_track_rows.append(
                NotOnTrackRow(
                    activity=row.activity,
                    previous_delivery=row.previous.delivery if row.previous else "",
                    delivery=ret.delivery,
                    issues=tuple(themes[k] for k in themes if k in ret.issues),
                    mitigation=ret.mitigation if ret.has_mitigation else "",
                    registers=tuple(REGISTER_SHORT[r] for r in REGISTERS if r in ret.registers),
                )
            )
            if not ret.registers:
                unrecorded.append(row.activity)
        if ret is not None and ret.has_new_date:
            revised_rows.append(
                RevisedDateRow(
                    activity=row.activity,
                    delivery=ret.delivery,
                    sdp_end=row.activity.sdp_end,
                    new_end_date=ret.new_end_date,
                    new_go_live=ret.new_go_live,
                )
            )
        if ret is None and not row.due_current:
            continue
        summary.append(
            SummaryRow(
                activity=row.activity,
                delivery=ret.delivery if ret else "",
                milestones=len(ret.milestone_kinds) if ret else 0,
                boards={
                    b: _board_cell(
                        ret is not None and b in ret.boards_reported,
                        ret is not None and b in ret.expected_boards,
                    )
                    for b in BOARDS
                },
            )
        )
    return Dashboard(
        quarter=quarter,
        previous_quarter=previous_quarter,
        figures=figures,
        not_on_track=not_on_track_rows,
        revised_dates=revised_rows,
        summary=summary,
        not_on_track_unrecorded=unrecorded,
        theme_labels=themes,
    )


# Loading from the database -------------------------------------------------------------


@dataclass
class Loaded:
    """The rows behind a dashboard and the managed list of issue themes."""

    rows: list[Row]
    theme_labels: dict[str, str]


def load(quarter: Quarter, outcome: int | None = None, activities=None) -> Loaded:
    """Activities due in ``quarter`` or the one before (of one outcome, or all) with their
    submitted returns for both quarters.

    Six queries whatever the number of activities: the activities, their submitted returns,
    the returns' issue themes, milestones and expected governance, and the managed list of
    issue themes. Plain values, not model instances: a council-wide dashboard reads
    thousands of rows.
    """
    previous = quarter.previous()
    queryset = Activity.objects.all() if activities is None else activities
    if outcome is not None:
        queryset = queryset.filter(outcome__number=outcome)
    # Subqueries rather than lists of ids: thousands of ids as parameters cost more.
    queryset = queryset.filter(due_in(quarter) | due_in(previous))
    # Any return (drafts too) makes an activity due, so ask for them beside the activity.
    activity_rows = list(
        queryset.order_by("outcome__number", "number")
        .annotate(has_current=has_return_in(quarter), has_previous=has_return_in(previous))
        .values(
            "has_current",
            "has_previous",
            "pk",
            "outcome__number",
            "number",
            "title",
            "activity_type__name",
            "sdp_start",
            "sdp_end",
            "go_live",
            "corporate_board",
            "is_active",
        )
    )
    returns_qs = Return.objects.submitted().filter(
        activity__in=queryset.values("pk"), period__start__in=[quarter.start, previous.start]
    )
    returns = list(
        returns_qs.order_by().values(
            "pk",
            "activity_id",
            "period__start",
            "delivery",
            "started",
            "mitigation",
            "mitigation_none_yet",
            "risk_registers",
            "new_end_date",
            "new_go_live",
            "boards_reported",
        )
    )
    return_pks = returns_qs.values("pk")
    issues: dict[int, list[str]] = {}
    for return_id, key in (
        Return.issues.through.objects.filter(return_id__in=return_pks)
        .order_by("issuetheme__order", "issuetheme__label")
        .values_list("return_id", "issuetheme__key")
    ):
        issues.setdefault(return_id, []).append(key)
    milestones: dict[int, list[tuple[str, date | None]]] = {}
    for return_id, kind, when in (
        Milestone.objects.filter(return_obj_id__in=return_pks)
        .order_by("kind")
        .values_list("return_obj_id", "kind", "date")
    ):
        milestones.setdefault(return_id, []).append((kind, when))
    expected: dict[int, list[ExpectedFacts]] = {}
    for return_id, board, informal, when, plan in (
        ExpectedGovernance.objects.filter(return_obj_id__in=return_pks)
        .order_by("expected_date", "board")
        .values_list("return_obj_id", "board", "informal_board", "expected_date", "on_forward_plan")
    ):
        expected.setdefault(return_id, []).append(ExpectedFacts(board, informal, when, plan))
    facts: dict[tuple[int, date], ReturnFacts] = {}
    for r in returns:
        facts[(r["activity_id"], r["period__start"])] = ReturnFacts(
            delivery=r["delivery"],
            started=r["started"],
            issues=tuple(issues.get(r["pk"], ())),
            mitigation=r["mitigation"],
            mitigation_none_yet=r["mitigation_none_yet"],
            risk_registers=tuple(r["risk_registers"]),
            milestones=tuple(milestones.get(r["pk"], ())),
            new_end_date=r["new_end_date"],
            new_go_live=r["new_go_live"],
            boards_reported=tuple(r["boards_reported"]),
            expected=tuple(expected.get(r["pk"], ())),
        )
    themes = {t.key: t.label for t in IssueTheme.objects.order_by("order", "label")}
    rows = []
    for a in activity_rows:
        current = facts.get((a["pk"], quarter.start))
        before = facts.get((a["pk"], previous.start))
        rows.append(
            Row(
                activity=ActivityFacts(
                    pk=a["pk"],
                    outcome=a["outcome__number"],
                    number=a["number"],
                    title=a["title"],
                    activity_type=a["activity_type__name"] or "",
                    sdp_end=a["sdp_end"],
                    go_live=a["go_live"],
                    corporate_board=a["corporate_board"],
                ),
                current=current,
                previous=before,
                due_current=_is_due(a, quarter, a["has_current"]),
                due_previous=_is_due(a, previous, a["has_previous"]),
            )
        )
    return Loaded(rows=rows, theme_labels=themes)


def _is_due(activity: dict, quarter: Quarter, has_return: bool) -> bool:
    return is_due(
        is_active=activity["is_active"],
        sdp_start=activity["sdp_start"],
        sdp_end=activity["sdp_end"],
        quarter=quarter,
        has_return=has_return,
    )


def dashboard(quarter: Quarter, outcome: int | None = None, activities=None) -> Dashboard:
    loaded = load(quarter, outcome, activities)
    return compute(loaded.rows, quarter, loaded.theme_labels)


# Trend -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    quarter: Quarter
    on_track: int
    remedial: int
    unlikely: int

    @property
    def total(self) -> int:
        return self.on_track + self.remedial + self.unlikely

    def percentage(self, delivery: str) -> int | None:
        return percent(getattr(self, delivery), self.total)


def delivery_trend(outcome: int | None = None, activities=None) -> list[TrendPoint]:
    """The delivery split of submitted returns in every quarter on record, in one query."""
    returns = Return.objects.submitted()
    if activities is not None:
        returns = returns.filter(activity__in=activities)
    if outcome is not None:
        returns = returns.filter(activity__outcome__number=outcome)
    rows = (
        returns.order_by()
        .values("period__start")
        .annotate(
            on_track=Count("pk", filter=Q(delivery=Delivery.ON_TRACK)),
            remedial=Count("pk", filter=Q(delivery=Delivery.REMEDIAL)),
            unlikely=Count("pk", filter=Q(delivery=Delivery.UNLIKELY)),
        )
        .order_by("period__start")
    )
    return [
        TrendPoint(
            Quarter.containing(r["period__start"]), r["on_track"], r["remedial"], r["unlikely"]
        )
        for r in rows
    ]


def overview_figures(d: Dashboard) -> list[Figure]:
    """The headline figures in the order of the seed's overview page: responses, delivery,
    due this year, the most frequent activity type and the four most frequent issue themes
    among activities not on track, milestones, mitigation, expected governance, registers.
    """
    types = sorted(d.section("not_on_track_type"), key=lambda f: -f.count)[:1]
    themes = sorted(
        (
            f
            for f in d.section("issues")
            if f.key not in ("issues.identified", "issues.more_than_one")
        ),
        key=lambda f: -f.count,
    )[:4]
    keys = ["responses.submitted", "delivery.on_track", "delivery.remedial", "delivery.unlikely"]
    result = [d[k] for k in keys]
    result.append(d["due_this_year.not_on_track"])
    result += [f for f in types if f.count]
    result.append(d["milestones.identified"])
    result += [f for f in themes if f.count]
    result += [
        d[k]
        for k in (
            "mitigation.in_place",
            "governance.expected.informal",
            "governance.expected.cabinet_committee",
            "risk_register.project",
            "risk_register.service",
        )
        if d.get(k) is not None
    ]
    return result
