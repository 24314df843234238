"""The shapes the apps' reporting modules (``monitoring.reporting``, ``kpis.reporting``,
``risks.reporting``) hand to the reports app: plain values, no models or querysets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Sheet:
    """One sheet of the analyst workbook: its title, header row and rows of plain values
    (text, numbers as ``Decimal``/``int``, dates, booleans or ``None``). The workbook writer
    makes them safe for Excel; the app only says what is in them."""

    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
