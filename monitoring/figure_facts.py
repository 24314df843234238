"""The plain facts and results of the SDP figures: what :mod:`monitoring.figures` loads
(activities and their returns) and computes (figures, the report's table rows, the dashboard).
No database: frozen dataclasses and the labels the report uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kccperf.comparison import Basis
from kccperf.periods import Quarter
from monitoring.models import Board, Delivery, Milestone, RiskRegister

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
    sign_off: str = ""  # Return.SignOff value

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
    # Like for like (a collecting quarter, kccperf.comparison): the count among the
    # activities that responded in both quarters, which ``previous`` is compared with;
    # ``None`` when the comparison is plain (``count`` against ``previous``).
    compared: int | None = None
    withheld: str = ""  # why this figure is not compared (e.g. responses while collecting)

    @property
    def percentage(self) -> int | None:
        return percent(self.count, self.base)

    @property
    def display(self) -> str:
        """ "64% (9)"; just the count when there is no base."""
        pct = self.percentage
        return str(self.count) if pct is None else f"{pct}% ({self.count})"

    def change(self, previous_label: str) -> str:
        """ "up from 0 in Q1", "down from 2 in Q1", "the same as in Q1"; like for like,
        "3 like for like, down from 5 in Q1"."""
        if self.withheld:
            return self.withheld
        if self.previous is None:
            return f"no returns in {previous_label}"
        count = self.count if self.compared is None else self.compared
        prefix = "" if self.compared is None else f"{count} like for like, "
        if count > self.previous:
            return f"{prefix}up from {self.previous} in {previous_label}"
        if count < self.previous:
            return f"{prefix}down from {self.previous} in {previous_label}"
        return f"{prefix}the same as in {previous_label}"


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
    sign_off: str = ""  # "Signed off", "Awaiting sign-off", "Not needed"; "" when no return

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
    basis: Basis | None = None  # how the quarter is compared (kccperf.comparison)

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

    @property
    def like_for_like(self) -> bool:
        return self.basis is not None and self.basis.like_for_like

    @property
    def comparison_note(self) -> str:
        """Why and how the comparison counts fewer activities (empty when plain)."""
        return self.basis.note if self.basis is not None else ""
