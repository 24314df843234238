"""File names of downloads: the period is in every name."""

from __future__ import annotations

from kccperf.periods import Quarter


def export_filename(stem: str, quarter: Quarter, extension: str) -> str:
    """E.g. ``sdp-outstanding-returns-2019-20-Q2.csv``."""
    return f"{stem}-{quarter.financial_year.slug}-Q{quarter.number}.{extension}"
