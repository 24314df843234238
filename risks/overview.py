"""Read-side summaries of a refresh: what the QPR prints (counts per level, new / removed /
changed risks, the mitigating actions table) and the heat-map grids. A fixed number of
queries whatever the number of risks, refreshes or actions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from kccperf.comparison import Basis, comparison_basis
from kccperf.models import Stage
from risks.models import (
    ActionUpdate,
    MitigatingAction,
    Risk,
    RiskLevelBand,
    RiskRefresh,
    RiskRefreshEntry,
    ScaleLabel,
)
from risks.scoring import Band, Position, compare_refreshes, count_levels, risk_level

ACTION_COLUMNS = (
    ("completed", "Completed / closed"),
    ("outstanding", "Outstanding / partially complete"),
    ("regular_review", "Regular review"),
)
ACTION_BUCKET = {
    MitigatingAction.Status.COMPLETED: "completed",
    MitigatingAction.Status.CLOSED: "completed",
    MitigatingAction.Status.PLANNED: "outstanding",
    MitigatingAction.Status.IN_PROGRESS: "outstanding",
    MitigatingAction.Status.REGULAR_REVIEW: "regular_review",
}


def entries_of(refresh: RiskRefresh | None) -> dict[str, RiskRefreshEntry]:
    """The refresh's entries by risk reference, each with its risk (one query)."""
    if refresh is None:
        return {}
    entries = RiskRefreshEntry.objects.filter(refresh=refresh).select_related("risk")
    return {e.risk.ref: e for e in entries}


@dataclass
class LevelCount:
    level: str
    colour: str
    current: int
    target: int


@dataclass
class ChangedRisk:
    risk: Risk
    old_score: int
    new_score: int
    old_level: str | None
    new_level: str | None
    reason: str


@dataclass
class ActionRow:
    label: str
    cells: list[int]

    @property
    def total(self) -> int:
        return sum(self.cells)


@dataclass
class RefreshOverview:
    refresh: RiskRefresh
    previous: RiskRefresh | None
    bands: list[Band]
    levels: list[LevelCount]
    new: list[RiskRefreshEntry]
    removed: list[Risk]
    changed: list[ChangedRisk]
    action_rows: list[ActionRow]
    actions_by_risk: list[tuple[Risk, list[MitigatingAction]]] = field(default_factory=list)
    updates_since: date | None = None
    updates_until: date | None = None
    # While the refresh's quarter is collecting (kccperf.comparison): risks of the previous
    # refresh, still open, that this refresh does not cover yet (not "removed").
    not_yet_refreshed: list[Risk] = field(default_factory=list)
    basis: Basis | None = None

    @property
    def total_current(self) -> int:
        return sum(c.current for c in self.levels)

    @property
    def total_target(self) -> int:
        return sum(c.target for c in self.levels)


def level_counts(entries, bands: list[Band]) -> list[LevelCount]:
    current = count_levels((e.current_score for e in entries), bands)
    target = count_levels((e.target_score for e in entries), bands)
    return [LevelCount(b.level, b.colour, current[b.level], target[b.level]) for b in bands]


def refresh_stage(refresh: RiskRefresh) -> Stage | None:
    """The stage of the refresh's quarter (load ``period`` with the refresh: no query)."""
    return refresh.period.stage if refresh.period_id is not None else None


def overview_for(refresh: RiskRefresh, *, with_actions: bool = True) -> RefreshOverview:
    """Everything the overview page shows for ``refresh``, compared with the one before.

    While the refresh's quarter is collecting (:mod:`kccperf.comparison`), a risk of the
    previous refresh that is still open but not in this one is *not yet refreshed*, not
    removed: only risks taken off the register count as removed.
    """
    bands = RiskLevelBand.objects.as_bands()
    previous = refresh.previous()
    current_entries = entries_of(refresh)
    previous_entries = entries_of(previous)
    basis = comparison_basis(
        refresh_stage(refresh),
        current_entries,
        # A risk taken off the register is removed, not missing from this refresh.
        [ref for ref, e in previous_entries.items() if e.risk.is_open or ref in current_entries],
        noun="risks",
        previous_label=previous.label if previous else "",
    )
    diff = compare_refreshes(
        {ref: Position.of(e, e.reason) for ref, e in previous_entries.items()},
        {ref: Position.of(e, e.reason) for ref, e in current_entries.items()},
    )
    changed = [
        ChangedRisk(
            risk=current_entries[c.ref].risk,
            old_score=c.old_score,
            new_score=c.new_score,
            old_level=risk_level(c.old_score, bands),
            new_level=risk_level(c.new_score, bands),
            reason=c.reason,
        )
        for c in diff.changed
    ]
    overview = RefreshOverview(
        refresh=refresh,
        previous=previous,
        bands=bands,
        levels=level_counts(current_entries.values(), bands),
        new=[current_entries[ref] for ref in diff.new],
        removed=[
            previous_entries[ref].risk
            for ref in diff.removed
            if not (basis.like_for_like and previous_entries[ref].risk.is_open)
        ],
        changed=changed,
        action_rows=[],
        not_yet_refreshed=[
            previous_entries[ref].risk
            for ref in diff.removed
            if basis.like_for_like and previous_entries[ref].risk.is_open
        ],
        basis=basis,
    )
    if with_actions:
        _add_actions(overview, [e.risk for e in current_entries.values()])
    return overview


def _add_actions(overview: RefreshOverview, risks: list[Risk]) -> None:
    """The actions table (due by the refresh date vs later, by status) and, per risk, its
    actions with the updates recorded since the previous refresh (up to the next one)."""
    refresh = overview.refresh
    since = overview.previous.date if overview.previous else None
    following = RiskRefresh.objects.filter(date__gt=refresh.date).order_by("date").first()
    until = following.date if following else None
    updates = ActionUpdate.objects.order_by("date", "pk")
    if since:
        updates = updates.filter(date__gt=since)
    if until:
        updates = updates.filter(date__lte=until)
    actions = (
        MitigatingAction.objects.filter(risk__in=[r.pk for r in risks])
        .select_related("risk")
        .prefetch_related(Prefetch("updates", queryset=updates, to_attr="recent_updates"))
        .order_by("risk__ref", "order", "pk")
    )
    counts = {True: defaultdict(int), False: defaultdict(int)}
    by_risk: dict[int, list[MitigatingAction]] = defaultdict(list)
    risk_by_pk = {r.pk: r for r in risks}
    for action in actions:
        counts[action.is_due_by(refresh.date)][ACTION_BUCKET[action.status]] += 1
        by_risk[action.risk_id].append(action)
    day = refresh.date.strftime("%-d %B %Y")
    overview.action_rows = [
        ActionRow(f"Due by {day}", [counts[True][key] for key, _ in ACTION_COLUMNS]),
        ActionRow(f"Due after {day}", [counts[False][key] for key, _ in ACTION_COLUMNS]),
    ]
    overview.actions_by_risk = [
        (risk_by_pk[pk], by_risk[pk]) for pk in sorted(by_risk, key=lambda pk: risk_by_pk[pk].ref)
    ]
    overview.updates_since = since
    overview.updates_until = until


@dataclass
class HeatCell:
    likelihood: int
    impact: int
    score: int
    level: str | None
    colour: str
    risks: list[Risk]


@dataclass
class HeatRow:
    likelihood: int
    label: str
    cells: list[HeatCell]


def heat_map(positions: list[tuple[Risk, int, int]], bands: list[Band], labels) -> list[HeatRow]:
    """Rows from likelihood 5 (top) to 1, columns impact 1 to 5, each cell with its risks."""
    by_cell: dict[tuple[int, int], list[Risk]] = defaultdict(list)
    for risk, likelihood, impact in sorted(positions, key=lambda p: p[0].ref):
        by_cell[(likelihood, impact)].append(risk)
    colours = {b.level: b.colour for b in bands}
    rows = []
    for likelihood in range(5, 0, -1):
        cells = []
        for impact in range(1, 6):
            score = likelihood * impact
            level = risk_level(score, bands)
            cells.append(
                HeatCell(
                    likelihood,
                    impact,
                    score,
                    level,
                    colours.get(level, ""),
                    by_cell[(likelihood, impact)],
                )
            )
        rows.append(
            HeatRow(likelihood, labels[ScaleLabel.Axis.LIKELIHOOD].get(likelihood, ""), cells)
        )
    return rows
