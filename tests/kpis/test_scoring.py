"""The pure KPI rules: RAG rating, direction of travel and expected-range flags (no DB)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpis.scoring import (
    Direction,
    Flag,
    Rag,
    at_precision,
    direction_of_travel,
    indicator_flag,
    rag_rating,
)

G, A, R = Rag.GREEN, Rag.AMBER, Rag.RED


@pytest.mark.parametrize(
    ("value", "target", "floor", "higher_is_better", "places", "expected"),
    [
        # higher is better: target 90, floor 80
        (95, 90, 80, True, 0, G),
        (90, 90, 80, True, 0, G),  # at target is achieved
        (89, 90, 80, True, 0, A),
        (80, 90, 80, True, 0, A),  # at floor is achieved
        (79, 90, 80, True, 0, R),
        (0, 90, 80, True, 0, R),
        # lower is better: target 1.5, floor 3.5 (NEET)
        (Decimal("1.0"), Decimal("1.5"), Decimal("3.5"), False, 1, G),
        (Decimal("1.5"), Decimal("1.5"), Decimal("3.5"), False, 1, G),
        (Decimal("3.1"), Decimal("1.5"), Decimal("3.5"), False, 1, A),
        (Decimal("3.5"), Decimal("1.5"), Decimal("3.5"), False, 1, A),
        (Decimal("3.6"), Decimal("1.5"), Decimal("3.5"), False, 1, R),
        # rounding edges at the reported precision (half up)
        (Decimal("89.5"), 90, 80, True, 0, G),
        (Decimal("89.49"), 90, 80, True, 0, A),
        (Decimal("79.5"), 90, 80, True, 0, A),
        (Decimal("79.49"), 90, 80, True, 0, R),
        (Decimal("1.54"), Decimal("1.5"), Decimal("3.5"), False, 1, G),
        (Decimal("1.55"), Decimal("1.5"), Decimal("3.5"), False, 1, A),
        (Decimal("0.025"), Decimal("0.03"), Decimal("0.05"), False, 2, G),
        (Decimal("0.035"), Decimal("0.03"), Decimal("0.05"), False, 2, A),
        (89.96, 90, 80, True, 1, G),
        (89.94, 90, 80, True, 1, A),
        # no floor standard: Green or Red only
        (90, 90, None, True, 0, G),
        (89, 90, None, True, 0, R),
        (11, 10, None, False, 0, R),
        (10, 10, None, False, 0, G),
        # floor equal to target (the revised EHCP standard): Green or Red
        (40, 40, 40, True, 0, G),
        (28, 40, 40, True, 0, R),
        # missing values are not rated
        (None, 90, 80, True, 0, None),
        (None, 90, None, False, 0, None),
        (90, None, None, True, 0, None),
    ],
)
def test_rag_rating_follows_the_key_to_kpi_ratings(
    value, target, floor, higher_is_better, places, expected
):
    assert rag_rating(value, target, floor, higher_is_better, places) == expected


@pytest.mark.parametrize(
    ("current", "previous", "higher_is_better", "places", "expected"),
    [
        (91, 90, True, 0, Direction.IMPROVED),
        (89, 90, True, 0, Direction.WORSENED),
        (90, 90, True, 0, Direction.SAME),
        (91, 90, False, 0, Direction.WORSENED),
        (89, 90, False, 0, Direction.IMPROVED),
        (Decimal("3.1"), Decimal("3.1"), False, 1, Direction.SAME),
        # differences smaller than the reported precision are "same"
        (Decimal("90.4"), Decimal("89.6"), True, 0, Direction.SAME),
        (Decimal("90.5"), Decimal("90.4"), True, 0, Direction.IMPROVED),
        (Decimal("0.024"), Decimal("0.015"), False, 2, Direction.SAME),
        (None, 90, True, 0, None),
        (90, None, True, 0, None),
        (None, None, False, 0, None),
    ],
)
def test_direction_of_travel_honours_polarity_and_precision(
    current, previous, higher_is_better, places, expected
):
    assert direction_of_travel(current, previous, higher_is_better, places) == expected


@pytest.mark.parametrize(
    ("value", "lower", "upper", "expected"),
    [
        (150, 100, 200, None),
        (100, 100, 200, None),  # on a threshold is within range
        (200, 100, 200, None),
        (201, 100, 200, Flag.ABOVE),
        (99, 100, 200, Flag.BELOW),
        (Decimal("99.99"), Decimal("100"), None, Flag.BELOW),
        (1_000_000, None, None, None),
        (None, 100, 200, None),
        (250, None, 200, Flag.ABOVE),
    ],
)
def test_indicator_flag_marks_values_outside_the_expected_range(value, lower, upper, expected):
    assert indicator_flag(value, lower, upper) == expected


def test_enum_members_compare_equal_to_the_strings_templates_use():
    assert Rag.GREEN == "GREEN" and Rag.AMBER.label == "Amber"
    assert Direction.SAME == "same" and Direction.SAME.label == "No change"
    assert Flag.ABOVE.label == "Above expected"


def test_at_precision_rounds_half_up_not_to_even():
    assert at_precision(Decimal("2.5"), 0) == Decimal("3")
    assert at_precision(Decimal("0.125"), 2) == Decimal("0.13")
    assert at_precision(2.675, 2) == Decimal("2.68")  # the float's repr, not its binary value


numbers = st.decimals(min_value=-10_000, max_value=10_000, allow_nan=False, places=3)
places = st.integers(min_value=0, max_value=3)


@given(
    value=numbers,
    target=numbers,
    spread=st.decimals(0, 1000, places=2),
    hib=st.booleans(),
    dp=places,
)
def test_a_rating_never_gets_better_as_the_value_gets_worse(value, target, spread, hib, dp):
    floor = target - spread if hib else target + spread
    worse = value - 1 if hib else value + 1
    order = {G: 0, A: 1, R: 2}
    assert (
        order[rag_rating(worse, target, floor, hib, dp)]
        >= order[rag_rating(value, target, floor, hib, dp)]
    )


@given(value=numbers, target=numbers, hib=st.booleans(), dp=places)
def test_without_a_floor_a_kpi_is_never_amber(value, target, hib, dp):
    assert rag_rating(value, target, None, hib, dp) in (G, R)


@given(value=numbers, target=numbers, hib=st.booleans(), dp=places)
def test_a_value_equal_to_its_target_is_green(value, target, hib, dp):
    assert rag_rating(target, target, None, hib, dp) == G


@given(current=numbers, previous=numbers, hib=st.booleans(), dp=places)
def test_direction_flips_with_polarity_and_with_swapping_the_values(current, previous, hib, dp):
    forward = direction_of_travel(current, previous, hib, dp)
    assert (
        direction_of_travel(current, previous, not hib, dp)
        == {
            Direction.IMPROVED: Direction.WORSENED,
            Direction.WORSENED: Direction.IMPROVED,
            Direction.SAME: Direction.SAME,
        }[forward]
    )
    assert direction_of_travel(previous, current, not hib, dp) == forward


@given(value=numbers, bound_a=numbers, bound_b=numbers)
def test_a_flagged_value_lies_outside_its_range(value, bound_a, bound_b):
    lower, upper = min(bound_a, bound_b), max(bound_a, bound_b)
    flag = indicator_flag(value, lower, upper)
    assert (flag is None) == (lower <= value <= upper)
    if flag == Flag.ABOVE:
        assert value > upper
    if flag == Flag.BELOW:
        assert value < lower


@pytest.mark.parametrize(
    ("current", "previous", "reason"),
    [
        (None, 90, "No current value"),
        (95, None, "No previous value"),
        (None, None, "No current value"),
        (95, 90, ""),
    ],
)
def test_no_direction_says_which_value_is_missing(current, previous, reason):
    from kpis.scoring import no_direction_reason

    assert no_direction_reason(current, previous) == reason
