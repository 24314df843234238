"""The register's pure rules, without a database."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risks.scoring import (
    COUNCIL_BANDS,
    Band,
    Position,
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


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (1, "Low"),
        (6, "Low"),
        (8, "Medium"),
        (9, "Medium"),
        (12, "Medium"),
        (15, "Medium"),
        (16, "High"),
        (20, "High"),
        (25, "High"),
        (None, None),
        (7, None),  # cannot occur on a 5×5 grid, so no band holds it
        (26, None),
    ],
)
def test_the_council_band_table_gives_the_seed_levels(score, level):
    assert risk_level(score, COUNCIL_BANDS) == level


def test_the_level_comes_from_the_band_table_passed_in():
    bands = [Band("Tolerable", 1, 10), Band("Intolerable", 11, 25)]
    assert risk_level(10, bands) == "Tolerable"
    assert risk_level(12, bands) == "Intolerable"


@settings(deadline=None)  # timing varies on a shared 2-core machine
@given(scale, scale)
def test_every_possible_score_has_a_council_level(likelihood, impact):
    assert risk_level(risk_score(likelihood, impact), COUNCIL_BANDS) in {"Low", "Medium", "High"}


@settings(deadline=None)  # timing varies on a shared 2-core machine
@given(scale, scale, scale, scale)
def test_a_higher_score_is_never_a_lower_level(l1, i1, l2, i2):
    order = {"Low": 0, "Medium": 1, "High": 2}
    a, b = risk_score(l1, i1), risk_score(l2, i2)
    if a <= b:
        assert order[risk_level(a, COUNCIL_BANDS)] <= order[risk_level(b, COUNCIL_BANDS)]


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
    assert count_levels([20, 16, 15], COUNCIL_BANDS) == {"Low": 0, "Medium": 1, "High": 2}
