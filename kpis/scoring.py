"""Pure rules of the KPI scorecards: RAG rating, direction of travel, expected-range flags.

No database here: everything takes plain numbers so it can be tested exhaustively.
Values are compared at the precision the KPI is reported to (its ``decimal_places``),
rounding half up as the printed report does: 89.96% reported to 0 dp is 90% and meets a 90%
target.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

Number = Decimal | int | float


class Rag(StrEnum):
    """The seed report's "Key to KPI Ratings"."""

    GREEN = "GREEN"  # target achieved
    AMBER = "AMBER"  # floor standard achieved, target not met
    RED = "RED"  # floor standard not achieved

    @property
    def label(self) -> str:
        return self.value.title()


class Direction(StrEnum):
    """Direction of travel against the previous quarter."""

    IMPROVED = "improved"
    WORSENED = "worsened"
    SAME = "same"

    @property
    def label(self) -> str:
        return {"improved": "Improved", "worsened": "Worsened", "same": "No change"}[self.value]


class Flag(StrEnum):
    """An activity indicator value outside its expected range."""

    ABOVE = "above"
    BELOW = "below"

    @property
    def label(self) -> str:
        return f"{self.value.title()} expected"


def to_decimal(value: Number) -> Decimal:
    """A Decimal from a Decimal, int or float (floats through their shortest repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def at_precision(value: Number, decimal_places: int) -> Decimal:
    """``value`` rounded half up to ``decimal_places`` (the precision it is reported to)."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-decimal_places), rounding=ROUND_HALF_UP)


def achieves(value: Decimal, standard: Decimal, higher_is_better: bool) -> bool:
    """Whether ``value`` meets ``standard``; equality counts as achieved."""
    return value >= standard if higher_is_better else value <= standard


def rag_rating(
    value: Number | None,
    target: Number | None,
    floor: Number | None,
    higher_is_better: bool,
    decimal_places: int = 0,
) -> Rag | None:
    """RAG of a KPI value against its target and floor standard.

    GREEN: target achieved; AMBER: floor standard achieved but not the target; RED: floor
    standard not achieved. Without a floor standard a KPI is rated GREEN or RED only. No
    value (or no target) means "not rated": ``None``, never a colour.
    """
    if value is None or target is None:
        return None
    reported = at_precision(value, decimal_places)
    if achieves(reported, at_precision(target, decimal_places), higher_is_better):
        return Rag.GREEN
    if floor is None:
        return Rag.RED
    if achieves(reported, at_precision(floor, decimal_places), higher_is_better):
        return Rag.AMBER
    return Rag.RED


def direction_of_travel(
    current: Number | None,
    previous: Number | None,
    higher_is_better: bool,
    decimal_places: int = 0,
) -> Direction | None:
    """Improved / worsened / same against the previous value, at the reported precision.

    ``None`` when either value is missing.
    """
    if current is None or previous is None:
        return None
    now = at_precision(current, decimal_places)
    before = at_precision(previous, decimal_places)
    if now == before:
        return Direction.SAME
    return Direction.IMPROVED if (now > before) == higher_is_better else Direction.WORSENED


NO_CURRENT_VALUE = "No current value"
NO_PREVIOUS_VALUE = "No previous value"


def no_direction_reason(current: Number | None, previous: Number | None) -> str:
    """Why there is no direction of travel: the quarter has no value yet, or there is none to
    compare it with ("" when both are there)."""
    if current is None:
        return NO_CURRENT_VALUE
    if previous is None:
        return NO_PREVIOUS_VALUE
    return ""


def indicator_flag(value: Number | None, lower: Number | None, upper: Number | None) -> Flag | None:
    """ABOVE / BELOW when ``value`` is outside its expected range; a value on a threshold is
    within the range. Missing thresholds are not checked."""
    if value is None:
        return None
    number = to_decimal(value)
    if upper is not None and number > to_decimal(upper):
        return Flag.ABOVE
    if lower is not None and number < to_decimal(lower):
        return Flag.BELOW
    return None
