"""The council's band table as the migrations leave it: the one source of risk levels.

Runtime code, the demo and the seed's acceptance tests all read the RiskLevelBand table, so a
change to the rows the migration writes must fail here (not only a change to a constant)."""

from __future__ import annotations

import pytest

from risks.models import RiskLevelBand
from risks.scoring import risk_level, risk_score

# Kent County Council's corporate risk matrix: level, lowest and highest score, colour.
SCALE = range(1, 6)
COUNCIL_BANDS = [
    ("Low", 1, 6, "green"),
    ("Medium", 8, 15, "amber"),
    ("High", 16, 25, "red"),
]


@pytest.fixture
def bands(db):
    """The table as migrated (no demo, no factory writes bands)."""
    return RiskLevelBand.objects.as_bands()


def test_the_migrated_band_table_is_the_councils(bands):
    assert [(b.level, b.min_score, b.max_score, b.colour) for b in bands] == COUNCIL_BANDS


@pytest.mark.parametrize(
    ("score", "level"),
    [
        # The scores the seed's QPR names with their level (Corporate Risk Register – Overview):
        (20, "High"),  # CRR0002's previous score
        (15, "Medium"),  # CRR0002's current score
        (12, "Medium"),  # CRR0039's previous score
        (16, "High"),  # CRR0039's current score
        (9, "Medium"),  # CRR0040's current score
        # and the edges of each band.
        (1, "Low"),
        (6, "Low"),
        (8, "Medium"),
        (25, "High"),
    ],
)
def test_the_migrated_table_gives_the_seed_levels(bands, score, level):
    assert risk_level(score, bands) == level


def test_every_score_on_the_5x5_grid_has_one_level_and_levels_rise_with_the_score(bands):
    grid = sorted(
        {risk_score(likelihood, impact) for likelihood in range(1, 6) for impact in range(1, 6)}
    )
    order = [b.level for b in bands]
    levels = [risk_level(score, bands) for score in grid]
    assert None not in levels
    assert [order.index(level) for level in levels] == sorted(
        order.index(level) for level in levels
    )
    for score in grid:
        assert sum(b.min_score <= score <= b.max_score for b in bands) == 1
