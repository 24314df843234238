"""The register's pure rules, without a database."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risks.scoring import (
    Band,
    Position,
    band_for,
    compare_refreshes,
    count_levels,
    direction,
    risk_level,
    risk_score,
)

scale = st.integers(min_value=1, max_value=5)


@pytest.mark.parametrize(
    ("likelihood", "impact", "score"), [(1, 1, 1), (4, 4, 16), (4, 5, 20), (3, 5, 15), (5, 5, 25)]
)
def test_the_score_is_likelihood_times_impact(likelihood, impact, score):
    assert risk_score(likelihood, impact) == score


@pytest.mark.parametrize(
    ("likelihood", "impact"), [(0, 3), (6, 1), (3, -1), (3, 6), (2.5, 2), (True, 3), (None, 2)]
)
def test_a_score_outside_the_1_to_5_scale_is_refused(likelihood, impact):
    with pytest.raises(ValueError):
        risk_score(likelihood, impact)


# An example table, not the council's: the council's lives in the RiskLevelBand table and is
# pinned against the migrated rows in test_band_table.py.
BANDS = (Band("Tolerable", 1, 9, "green"), Band("Intolerable", 12, 25, "red"))


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (1, "Tolerable"),
        (9, "Tolerable"),  # both ends of a band are in it
        (10, None),  # a score in no band has no level
        (11, None),
        (12, "Intolerable"),
        (25, "Intolerable"),
        (26, None),
        (0, None),
        (None, None),
    ],
)
def test_the_level_is_the_band_of_the_table_passed_in_that_holds_the_score(score, level):
    assert risk_level(score, BANDS) == level


def test_the_band_of_a_score_carries_its_colour():
    assert band_for(12, BANDS) == Band("Intolerable", 12, 25, "red")
    assert band_for(10, BANDS) is None
    assert band_for(None, BANDS) is None


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [(20, 15, "improved"), (12, 16, "worsened"), (9, 9, "same"), (None, 9, None), (9, None, None)],
)
def test_direction_is_improved_when_the_score_falls(previous, current, expected):
    assert direction(previous, current) == expected


def _pos(cl, ci, tl=1, ti=1, reason=""):
    return Position(cl, ci, tl, ti, reason)


def test_comparing_refreshes_finds_new_removed_and_changed_risks():
    previous = {"CRR0002": _pos(4, 5), "CRR0013": _pos(3, 4), "CRR0001": _pos(3, 5)}
    current = {
        "CRR0002": _pos(3, 5, reason="lowered"),
        "CRR0001": _pos(3, 5),
        "CRR0046": _pos(3, 5),
    }
    diff = compare_refreshes(previous, current)
    assert diff.new == ["CRR0046"]
    assert diff.removed == ["CRR0013"]
    assert [(c.ref, c.old_score, c.new_score, c.reason) for c in diff.changed] == [
        ("CRR0002", 20, 15, "lowered")
    ]


def test_a_change_of_target_alone_is_not_a_changed_current_score():
    diff = compare_refreshes({"A": _pos(3, 3, 2, 2)}, {"A": _pos(3, 3, 1, 1)})
    assert diff.changed == []


def test_swapping_likelihood_and_impact_keeps_the_score_unchanged():
    diff = compare_refreshes({"A": _pos(3, 4)}, {"A": _pos(4, 3)})
    assert diff.changed == []


positions = st.builds(_pos, scale, scale, scale, scale)
registers = st.dictionaries(st.sampled_from([f"CRR{n:04d}" for n in range(1, 15)]), positions)


@settings(deadline=None)  # timing varies on a shared 2-core machine
@given(registers, registers)
def test_every_risk_is_new_removed_kept_and_the_lists_do_not_overlap(previous, current):
    diff = compare_refreshes(previous, current)
    assert set(diff.new) == set(current) - set(previous)
    assert set(diff.removed) == set(previous) - set(current)
    changed = {c.ref for c in diff.changed}
    assert changed <= set(previous) & set(current)
    assert all(c.old_score != c.new_score for c in diff.changed)


@settings(deadline=None)  # timing varies on a shared 2-core machine
@given(registers)
def test_a_refresh_compared_with_itself_has_no_differences(register):
    diff = compare_refreshes(register, register)
    assert (diff.new, diff.removed, diff.changed) == ([], [], [])


def test_counting_levels_lists_every_band_even_when_empty():
    assert count_levels([20, 16, 15, 10], BANDS) == {"Tolerable": 0, "Intolerable": 3}
    assert count_levels([], BANDS) == {"Tolerable": 0, "Intolerable": 0}
