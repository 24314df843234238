"""File names of downloads: report, period and extraction time in every name (the one rule
is ``kccperf.output.conventions.About.filename``; this is its short form for files that
have no "About" sheet, e.g. a PDF or Word file)."""

from __future__ import annotations

from kccperf.output.conventions import About
from kccperf.periods import Quarter


def export_filename(stem: str, quarter: Quarter | None, extension: str) -> str:
    """E.g. ``sdp-outstanding-returns-2019-20-Q2-extracted-2026-12-02-1415.csv``."""
    return About(stem, stem, quarter).filename(extension)
