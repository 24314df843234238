"""Pure rules of the risk register: 5×5 scores, levels from the band table, and what changed
between two refreshes. No Django imports, so these are tested without a database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

SCALE_MIN = 1
SCALE_MAX = 5


@dataclass(frozen=True)
class Band:
    """One row of the band table: scores ``min_score``..``max_score`` inclusive are ``level``."""

    level: str
    min_score: int
    max_score: int
    colour: str = ""


# The council's band table has one home: the RiskLevelBand table, seeded by the migration
# risks/0002 and changed by the risk manager in the admin. Code reads it with
# ``RiskLevelBand.objects.as_bands()`` and passes it to the functions below.


def risk_score(likelihood: int, impact: int) -> int:
    """Likelihood × impact, each on the 1–5 scale; raises ``ValueError`` outside it."""
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be a whole number from 1 to 5, not {value!r}")
        if not SCALE_MIN <= value <= SCALE_MAX:
            raise ValueError(f"{name} must be from 1 to 5, not {value}")
    return likelihood * impact


def band_for(score: int | None, bands: Iterable[Band]) -> Band | None:
    """The band that holds ``score``; ``None`` for no score or a score in no band."""
    if score is None:
        return None
    for band in bands:
        if band.min_score <= score <= band.max_score:
            return band
    return None


def risk_level(score: int | None, bands: Iterable[Band]) -> str | None:
    """The level whose band holds ``score``; ``None`` for no score or a score in no band.

    Scores 7 and 11 cannot occur on a 5×5 grid (they are prime and > 5), which is why the
    council's table jumps from Low (up to 6) to Medium (from 8).
    """
    band = band_for(score, bands)
    return band.level if band else None


def direction(previous_score: int | None, current_score: int | None) -> str | None:
    """ "improved" when the score fell, "worsened" when it rose, "same", or None."""
    if previous_score is None or current_score is None:
        return None
    if current_score < previous_score:
        return "improved"
    if current_score > previous_score:
        return "worsened"
    return "same"


@dataclass(frozen=True)
class Position:
    """A risk's scores at one refresh."""

    current_likelihood: int
    current_impact: int
    target_likelihood: int
    target_impact: int
    reason: str = ""

    @property
    def current_score(self) -> int:
        return risk_score(self.current_likelihood, self.current_impact)

    @property
    def target_score(self) -> int:
        return risk_score(self.target_likelihood, self.target_impact)

    @classmethod
    def of(cls, source: object, reason: str = "") -> Position:
        """The position in the four score attributes of ``source`` (a risk, a refresh entry)."""
        return cls(**{name: getattr(source, name) for name in SCORE_FIELDS}, reason=reason)

    def scores(self) -> dict[str, int]:
        """The four scores by name (the inverse of :meth:`of`)."""
        return {name: getattr(self, name) for name in SCORE_FIELDS}


# The four scores of a position: also the field names of the models, forms and import columns
# that hold them, in the order forms show them.
SCORE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Position) if f.name != "reason")


@dataclass(frozen=True)
class Change:
    ref: str
    previous: Position
    current: Position

    @property
    def old_score(self) -> int:
        return self.previous.current_score

    @property
    def new_score(self) -> int:
        return self.current.current_score

    @property
    def reason(self) -> str:
        return self.current.reason


@dataclass(frozen=True)
class RefreshDiff:
    """What changed from one refresh to the next: refs sorted, changes of current score."""

    new: list[str]
    removed: list[str]
    changed: list[Change]


def compare_refreshes(
    previous_entries: Mapping[str, Position], current_entries: Mapping[str, Position]
) -> RefreshDiff:
    """New risks (only in ``current``), removed (only in ``previous``) and risks whose current
    score changed. Both arguments map a risk reference to its position at that refresh."""
    new = sorted(set(current_entries) - set(previous_entries))
    removed = sorted(set(previous_entries) - set(current_entries))
    changed = [
        Change(ref, previous_entries[ref], current_entries[ref])
        for ref in sorted(set(previous_entries) & set(current_entries))
        if previous_entries[ref].current_score != current_entries[ref].current_score
    ]
    return RefreshDiff(new=new, removed=removed, changed=changed)


def count_levels(scores: Iterable[int], bands: Sequence[Band]) -> dict[str, int]:
    """How many scores fall in each band, every band present (zero counts included)."""
    counts = {band.level: 0 for band in bands}
    for score in scores:
        level = risk_level(score, bands)
        if level is not None:
            counts[level] += 1
    return counts
