"""How KPI and indicator values are printed: at the reported precision, with the unit."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from kpis.scoring import at_precision

if TYPE_CHECKING:
    from kpis.models import Kpi, KpiResultRevision, KpiTarget


def format_number(value: Decimal | None, decimal_places: int) -> str:
    if value is None:
        return "–"
    return f"{at_precision(value, decimal_places):,.{decimal_places}f}"


def format_value(value: Decimal | None, unit: str, decimal_places: int) -> str:
    """``97%``, ``3,333``, ``£1,250``; an en dash for no value."""
    if value is None:
        return "–"
    number = format_number(value, decimal_places)
    if unit == "percentage":
        return f"{number}%"
    if unit == "money":
        return f"£{number}"
    return number


def indicator_places(values: list[Decimal | None]) -> int:
    """Decimal places an indicator series needs (its values are stored as given)."""
    places = 0
    for value in values:
        if value is None:
            continue
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            places = max(places, -exponent)
    return min(places, 2)


def target_displays(kpi: Kpi, target: KpiTarget | None) -> dict[str, str | None]:
    """A target and its floor standard as a page prints them (``None``: not set)."""
    return {
        "target_display": kpi.format_value(target.target) if target else None,
        "floor_display": (
            kpi.format_value(target.floor) if target and target.floor is not None else None
        ),
    }


def revision_rows(kpi: Kpi, revisions: Iterable[KpiResultRevision]) -> list[dict]:
    """Revisions of a KPI's results with their old and new values printed."""
    return [
        {
            "revision": revision,
            "old": kpi.format_value(revision.old_value),
            "new": kpi.format_value(revision.new_value),
        }
        for revision in revisions
    ]
