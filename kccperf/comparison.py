"""How a quarter is compared with the one before: the one rule every page, report and
export uses (pure; the apps supply which items reported in each quarter).

A quarter still *collecting* is compared like with like: only the items (KPIs, activities,
risks) that reported in both quarters, so that data not yet in never reads as a fall ("Green
down 28" when 28 values are simply missing). When nothing reported last quarter is missing
from this one, the like-for-like comparison is the plain one and is shown as such. Closed
and published quarters are compared plainly, every item on both sides, as they always were.
A quarter with no comparison possible (nothing reported in both) has its comparison withheld,
with the reason.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import dataclass

from kccperf.models import ReportingPeriod, Stage
from kccperf.periods import Quarter


class Lookup:
    """A ``stage=`` argument's default: read the quarter's stage from the database (one
    query). Pages pass :func:`kccperf.page_period.quarter_stage` instead, which costs none."""


LOOKUP = Lookup()


def stage_of(quarter: Quarter, stage: Stage | None | Lookup) -> Stage | None:
    """``stage``, or the quarter's own when it is :data:`LOOKUP`."""
    if isinstance(stage, Lookup):
        return ReportingPeriod.objects.stage_of(quarter)
    return stage


def still_collecting(stage: Stage | None) -> bool:
    """A quarter not on record yet (``None``) has all its data to come: it is collecting."""
    return stage is None or stage == Stage.COLLECTING


@dataclass(frozen=True)
class Basis:
    """Which items a quarter's comparison with the previous quarter counts.

    ``noun`` names the items in a sentence ("KPIs with a value", "activities that
    responded"); ``matched`` are the keys reported in both quarters.
    """

    like_for_like: bool
    matched: frozenset
    current: int  # items reported this quarter
    previous: int  # items reported in the previous quarter
    missing: int  # reported in the previous quarter, not (yet) in this one
    noun: str
    previous_label: str

    def includes(self, key: Hashable) -> bool:
        """Whether the item ``key`` counts in the comparison (all items when plain)."""
        return not self.like_for_like or key in self.matched

    @property
    def withheld(self) -> bool:
        """Like for like with nothing to compare: no comparison is shown."""
        return self.like_for_like and not self.matched

    @property
    def note(self) -> str:
        """The sentence a page or report prints beside a like-for-like comparison (empty for
        a plain one)."""
        if not self.like_for_like:
            return ""
        if self.withheld:
            return (
                f"No comparison with {self.previous_label} yet: none of the {self.noun} in "
                f"{self.previous_label} has reported this quarter."
            )
        return (
            f"Compared with {self.previous_label} among the {len(self.matched)} {self.noun} "
            f"in both quarters ({self.missing} not in yet)."
        )


def comparison_basis(
    stage: Stage | None,
    current: Collection[Hashable],
    previous: Collection[Hashable],
    *,
    noun: str,
    previous_label: str,
) -> Basis:
    """The basis of a quarter's comparison, from the keys of the items reported in it
    (``current``) and in the quarter before (``previous``).

    Like for like while the quarter is collecting and something reported last quarter is
    not in yet; plain otherwise (see the module's docstring).
    """
    now, before = set(current), set(previous)
    missing = len(before - now)
    return Basis(
        like_for_like=still_collecting(stage) and missing > 0,
        matched=frozenset(now & before),
        current=len(now),
        previous=len(before),
        missing=missing,
        noun=noun,
        previous_label=previous_label,
    )


@dataclass(frozen=True)
class Completeness:
    """How much of a collecting quarter's data is in: ``done`` of ``total`` ``label``
    ("31 of 78 returns in"). Each app's ``reporting.completeness`` gives one."""

    done: int
    total: int
    label: str  # what is counted and where it stands: "returns in", "KPI values entered"

    @property
    def text(self) -> str:
        return f"{self.done} of {self.total} {self.label}"

    @property
    def complete(self) -> bool:
        return self.done >= self.total
