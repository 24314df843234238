"""Checks of the house spreadsheet conventions (kccperf/output/conventions.py) on a download."""

from __future__ import annotations

import re

NAME = re.compile(r'attachment; filename="(?P<name>[^"]+)"')
EXTRACTED = r"-extracted-\d{4}-\d\d-\d\d-\d{4}"


def filename_of(response) -> str:
    match = NAME.fullmatch(response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    return match["name"]


def assert_named(response, start: str, extension: str) -> None:
    """The file is ``<start>-extracted-<yyyy-mm-dd>-<hhmm>.<extension>``: report and quarter
    (in ``start``), then the time of extraction."""
    name = filename_of(response)
    assert re.fullmatch(re.escape(start) + EXTRACTED + re.escape(f".{extension}"), name), name
