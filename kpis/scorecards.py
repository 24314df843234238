"""The scorecard of a quarter: one row per KPI with everything the pages and exports show.

Built in three queries whatever the number of KPIs or quarters on record: the KPIs (with
their directorate), their results in the trend window (which includes the previous
quarter), and their targets for the two financial years involved.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from kccperf.comparison import Basis, comparison_basis
from kccperf.models import Directorate, Stage
from kccperf.periods import Quarter
from kpis.formatting import format_value
from kpis.scoring import Direction, Rag, direction_of_travel, no_direction_reason, rag_rating

if TYPE_CHECKING:
    from kpis.models import Kpi, KpiResult, KpiTarget

RAG_ORDER = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2, None: 3}
DIRECTION_ORDER = {Direction.IMPROVED: 0, Direction.SAME: 1, Direction.WORSENED: 2, None: 3}


@dataclass
class ScorecardRow:
    kpi: Kpi
    quarter: Quarter
    current: KpiResult | None
    previous: KpiResult | None  # the previous quarter's
    target: KpiTarget | None  # in force for the quarter
    previous_target: KpiTarget | None  # in force for the previous quarter
    trend: list[tuple[Quarter, Decimal | None]] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.kpi.code

    @property
    def title(self) -> str:
        return self.kpi.title

    @property
    def directorate(self) -> Directorate:
        return self.kpi.directorate

    @property
    def value(self) -> Decimal | None:
        return self.current.value if self.current else None

    @property
    def previous_value(self) -> Decimal | None:
        return self.previous.value if self.previous else None

    @property
    def target_value(self) -> Decimal | None:
        return self.target.target if self.target else None

    @property
    def floor(self) -> Decimal | None:
        return self.target.floor if self.target else None

    @property
    def has_floor(self) -> bool:
        return self.target is not None and self.target.floor is not None

    @property
    def provisional(self) -> bool:
        return bool(self.current and self.current.provisional)

    @property
    def verification(self) -> str:
        """The value's state in words: "Provisional", "Verified", or "" with no value."""
        if self.current is None:
            return ""
        return "Provisional" if self.current.provisional else "Verified"

    @property
    def rag(self) -> Rag | None:
        return rag_rating(
            self.value,
            self.target_value,
            self.floor,
            self.kpi.higher_is_better,
            self.kpi.decimal_places,
        )

    @property
    def previous_rag(self) -> Rag | None:
        target = self.previous_target
        return rag_rating(
            self.previous_value,
            target.target if target else None,
            target.floor if target else None,
            self.kpi.higher_is_better,
            self.kpi.decimal_places,
        )

    @property
    def direction(self) -> Direction | None:
        return direction_of_travel(
            self.value, self.previous_value, self.kpi.higher_is_better, self.kpi.decimal_places
        )

    @property
    def no_direction(self) -> str:
        """Why :attr:`direction` is None ("" when it is not)."""
        return no_direction_reason(self.value, self.previous_value)

    def formatted(self, value: Decimal | None) -> str:
        return format_value(value, self.kpi.unit, self.kpi.decimal_places)

    @property
    def value_display(self) -> str:
        return self.formatted(self.value)

    @property
    def previous_display(self) -> str:
        return self.formatted(self.previous_value)

    @property
    def target_display(self) -> str:
        return self.formatted(self.target_value)

    @property
    def floor_display(self) -> str:
        return self.formatted(self.floor) if self.has_floor else "None"

    # Sort keys that never compare None with a number.
    @property
    def value_sort(self) -> tuple[bool, Decimal]:
        return (self.value is None, self.value or Decimal(0))

    @property
    def rag_sort(self) -> int:
        return RAG_ORDER[self.rag]

    @property
    def direction_sort(self) -> int:
        return DIRECTION_ORDER[self.direction]


@dataclass
class Summary:
    """Counts for the executive summary and directorate boxes.

    ``rag`` counts every KPI of the quarter. The comparison with the previous quarter
    (``compared_rag`` against ``previous_rag``) counts the KPIs its ``basis`` includes:
    all of them, or, while the quarter is collecting, those with a value in both quarters
    (:mod:`kccperf.comparison`).
    """

    total: int
    rag: Counter
    previous_rag: Counter
    direction: Counter
    compared_rag: Counter | None = None  # None: the same as ``rag``
    basis: Basis | None = None

    @property
    def like_for_like(self) -> bool:
        return self.basis is not None and self.basis.like_for_like

    @property
    def withheld(self) -> bool:
        """No comparison to show (no KPI has a value in both quarters yet)."""
        return self.basis is not None and self.basis.withheld

    @property
    def comparison_note(self) -> str:
        return self.basis.note if self.basis is not None else ""

    @property
    def green(self) -> int:
        return self.rag[Rag.GREEN]

    @property
    def amber(self) -> int:
        return self.rag[Rag.AMBER]

    @property
    def red(self) -> int:
        return self.rag[Rag.RED]

    @property
    def not_rated(self) -> int:
        return self.rag[None]

    @property
    def green_change(self) -> int:
        compared = self.rag if self.compared_rag is None else self.compared_rag
        return compared[Rag.GREEN] - self.previous_rag[Rag.GREEN]

    @property
    def improved(self) -> int:
        return self.direction[Direction.IMPROVED]

    @property
    def same(self) -> int:
        return self.direction[Direction.SAME]

    @property
    def worsened(self) -> int:
        return self.direction[Direction.WORSENED]

    @property
    def no_direction(self) -> int:
        return self.direction[None]


@dataclass
class Scorecard:
    quarter: Quarter
    rows: list[ScorecardRow]
    stage: Stage | None = None  # the quarter's: how it is compared (kccperf.comparison)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def basis(self, rows: list[ScorecardRow] | None = None) -> Basis:
        """Which of ``rows`` (default: all) the comparison with the previous quarter counts."""
        rows = self.rows if rows is None else rows
        return comparison_basis(
            self.stage,
            [row.kpi.pk for row in rows if row.value is not None],
            [row.kpi.pk for row in rows if row.previous_value is not None],
            noun="KPIs with a value",
            previous_label=self.quarter.previous().label,
        )

    def summary(self, rows: list[ScorecardRow] | None = None) -> Summary:
        rows = self.rows if rows is None else rows
        basis = self.basis(rows)
        compared = [row for row in rows if basis.includes(row.kpi.pk)]
        return Summary(
            total=len(rows),
            rag=Counter(row.rag for row in rows),
            previous_rag=Counter(row.previous_rag for row in compared),
            direction=Counter(row.direction for row in rows),
            compared_rag=Counter(row.rag for row in compared) if basis.like_for_like else None,
            basis=basis,
        )

    def verification(self, rows: list[ScorecardRow] | None = None) -> Verification:
        """How many of ``rows`` (default: all) with a value are provisional."""
        rows = self.rows if rows is None else rows
        return verification_of(rows, self.quarter)

    def for_directorate(self, directorate: Directorate) -> list[ScorecardRow]:
        return [row for row in self.rows if row.kpi.directorate_id == directorate.pk]

    def by_directorate(self) -> list[tuple[Directorate, list[ScorecardRow], Summary]]:
        groups: dict[int, list[ScorecardRow]] = defaultdict(list)
        directorates: dict[int, Directorate] = {}
        for row in self.rows:
            groups[row.kpi.directorate_id].append(row)
            directorates[row.kpi.directorate_id] = row.kpi.directorate
        ordered = sorted(directorates.values(), key=lambda d: (d.order, d.name))
        return [(d, groups[d.pk], self.summary(groups[d.pk])) for d in ordered]


@dataclass(frozen=True)
class Verification:
    """Of a quarter's values shown, how many are provisional (not yet verified)."""

    quarter: Quarter
    with_value: int
    provisional: int

    @property
    def note(self) -> str:
        """The data-quality note, from the data: empty when there is no value."""
        if not self.with_value:
            return ""
        if not self.provisional:
            return f"All {self.with_value} values for {self.quarter.label} are verified."
        were = "is" if self.provisional == 1 else "are"
        return (
            f"{self.provisional} of {self.with_value} values for {self.quarter.label} {were} "
            "provisional, marked (p) or “provisional”: management information not yet "
            "verified, which may be revised."
        )


def verification_of(rows: Iterable[ScorecardRow], quarter: Quarter) -> Verification:
    with_value = [row for row in rows if row.current is not None]
    return Verification(quarter, len(with_value), sum(row.provisional for row in with_value))


def target_in_force(targets: Iterable[KpiTarget], quarter: Quarter) -> KpiTarget | None:
    """The target a quarter is rated against: in the quarter's financial year, the one with
    the latest ``from_quarter`` not after the quarter."""
    candidates = [
        t
        for t in targets
        if t.financial_year == quarter.start_year and t.from_quarter <= quarter.number
    ]
    return max(candidates, key=lambda t: t.from_quarter, default=None)


def build_scorecard(
    kpis: list[Kpi],
    quarter: Quarter,
    window: list[Quarter],
    results: Iterable[KpiResult],
    targets: Iterable[KpiTarget],
    stage: Stage | None = None,
) -> Scorecard:
    """Scorecard rows for ``kpis`` (in order) in ``quarter``, from their results in the
    trend ``window`` and their targets of this and the previous financial year (loaded by
    ``KpiQuerySet.scorecard``)."""
    previous = quarter.previous()
    results_by_kpi: dict[int, dict[Quarter, KpiResult]] = defaultdict(dict)
    targets_by_kpi: dict[int, list[KpiTarget]] = defaultdict(list)
    for result in results:
        results_by_kpi[result.kpi_id][result.period.quarter] = result
    for target in targets:
        targets_by_kpi[target.kpi_id].append(target)
    rows = []
    for kpi in kpis:
        by_quarter = results_by_kpi[kpi.pk]
        in_force = targets_by_kpi[kpi.pk]
        current = by_quarter.get(quarter)
        prior = by_quarter.get(previous)
        for result in (current, prior):
            if result is not None:
                result.kpi = kpi  # already loaded: no query when a result reads its KPI
        rows.append(
            ScorecardRow(
                kpi=kpi,
                quarter=quarter,
                current=current,
                previous=prior,
                target=target_in_force(in_force, quarter),
                previous_target=target_in_force(in_force, previous),
                trend=[(q, by_quarter[q].value if q in by_quarter else None) for q in window],
            )
        )
    return Scorecard(quarter=quarter, rows=rows, stage=stage)
