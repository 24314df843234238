"""The register page's rows: each open risk with its current and target band (from the band
table) and its direction of travel between the last two refreshes. Two queries for the
refreshes whatever the number of risks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from risks.models import Risk, RiskRefresh, RiskRefreshEntry
from risks.scoring import Band, band_for, direction


@dataclass(frozen=True)
class LatestRefreshes:
    """The last two refreshes and every risk's current score at each of them."""

    latest: RiskRefresh | None = None
    previous: RiskRefresh | None = None
    scores: dict[tuple[int, int], int] = field(default_factory=dict)

    def score(self, risk: Risk, refresh: RiskRefresh | None) -> int | None:
        return self.scores.get((risk.pk, refresh.pk)) if refresh else None


def latest_refreshes() -> LatestRefreshes:
    """The latest refresh, the one before it and their entries' scores (two queries)."""
    latest_two = list(RiskRefresh.objects.order_by("-date")[:2])
    if not latest_two:
        return LatestRefreshes()
    entries = RiskRefreshEntry.objects.filter(refresh__in=latest_two)
    scores = {
        (risk_id, refresh_id): score
        for risk_id, refresh_id, score in entries.values_list(
            "risk_id", "refresh_id", "current_score"
        )
    }
    previous = latest_two[1] if len(latest_two) > 1 else None
    return LatestRefreshes(latest_two[0], previous, scores)


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register: the risk, its bands and its direction of travel."""

    risk: Risk
    current: Band | None
    target: Band | None
    previous_score: int | None
    latest_score: int | None
    direction: str | None
    direction_note: str


def register_row(risk: Risk, bands: Sequence[Band], refreshes: LatestRefreshes) -> RegisterRow:
    previous_score = refreshes.score(risk, refreshes.previous)
    latest_score = refreshes.score(risk, refreshes.latest)
    moved = direction(previous_score, latest_score)
    return RegisterRow(
        risk=risk,
        current=band_for(risk.current_score, bands),
        target=band_for(risk.target_score, bands),
        previous_score=previous_score,
        latest_score=latest_score,
        direction=moved,
        direction_note="" if moved else _no_direction_note(refreshes, latest_score),
    )


def _no_direction_note(refreshes: LatestRefreshes, latest_score: int | None) -> str:
    """Why a risk has no direction of travel."""
    if refreshes.latest is None or refreshes.previous is None:
        return "No previous refresh"
    if latest_score is None:
        return "Not yet in a refresh"
    return f"New at {refreshes.latest.label}"


def register_rows(
    risks: Iterable[Risk], bands: Sequence[Band], refreshes: LatestRefreshes
) -> list[RegisterRow]:
    return [register_row(risk, bands, refreshes) for risk in risks]
