"""Issue 12: one rule for who may export what (kccperf/output/permissions.py), the same on
every download path. Every download case of the permission matrix must agree with it."""

from __future__ import annotations

import pytest

from kccperf.output.permissions import can_export
from tests.matrix import LOGIN
from tests.test_permission_matrix import CASES

# Views that are downloads as a whole (the others are pages asked for with ?_export=).
DOWNLOAD_VIEWS = {
    "reports:workbook",
    "monitoring:scorecards-xlsx",
    "monitoring:scorecards-print",
}


def _download_cases():
    for case in CASES:
        if "_export=" in case.query or case.url_name in DOWNLOAD_VIEWS:
            yield pytest.param(case, id=f"{case.url_name}-{case.id or case.query}")


def test_the_matrix_covers_every_kind_of_download():
    names = {case.url_name for case in (p.values[0] for p in _download_cases())}
    assert {
        "kpis:scorecard",
        "risks:register",
        "monitoring:council-dashboard",
        "monitoring:outcome-dashboard",
        "monitoring:chase-period",
        "reports:qpr",
        "reports:sdp-council",
        "reports:sdp-outcome",
    } | DOWNLOAD_VIEWS <= names


@pytest.mark.parametrize("case", list(_download_cases()))
def test_every_download_follows_the_export_rule(cast, case):
    area = case.url_name.split(":")[0]
    for who, expected in case.expect.items():
        if who == "anonymous":
            assert expected == LOGIN
            continue
        if expected == 200:
            assert can_export(cast[who], area), f"{who} downloads without the export rule"
        elif can_export(cast[who], area):
            # Allowed by the rule; refused only for a reason of the page (not found, a role
            # that cannot see that data at all).
            assert expected in (403, 404), (who, expected)
        else:
            assert expected in (403, 404), f"{who} gets {expected} without the export rule"


@pytest.mark.parametrize(
    ("who", "area", "allowed"),
    [
        ("dan", None, True),  # analyst
        ("root", None, True),  # superuser
        ("carol", None, False),  # CMT read, never download
        ("alice", None, False),
        ("erin", None, False),
        ("erin", "risks", True),  # the risk manager exports the register they keep
        ("carol", "risks", False),
    ],
)
def test_the_export_rule(cast, who, area, allowed):
    assert can_export(cast[who], area) is allowed
