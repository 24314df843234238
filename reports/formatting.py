"""How report-table numbers are printed: at the precision they were given, with the unit."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PREFIX_UNITS = {"£"}


def format_cell(value: Decimal | None, places: int, unit: str = "", empty: str = "–") -> str:
    """``1,289,941``, ``76%``, ``£1.3``, ``274.79``; ``empty`` for no value."""
    if value is None:
        return empty
    quantum = Decimal(1).scaleb(-places)
    number = f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"
    if not unit:
        return number
    if unit in PREFIX_UNITS:
        return f"{unit}{number}"
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}"


def parse_cell(text: str) -> tuple[Decimal | None, int, str]:
    """The inverse of :func:`format_cell` for what people type: ``"76%"`` -> (76, 0, "%").

    Raises ValueError for text that is not a number."""
    raw = text.strip().replace(",", "")
    unit = ""
    if not raw:
        return None, 0, ""
    if raw.endswith("%"):
        raw, unit = raw[:-1].strip(), "%"
    elif raw.startswith("£"):
        raw, unit = raw[1:].strip(), "£"
    try:
        value = Decimal(raw)
    except ArithmeticError:
        raise ValueError(f"not a number ({text!r})") from None
    if not value.is_finite():
        raise ValueError(f"not a number ({text!r})")
    exponent = value.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return value, min(places, 4), unit
