"""Importing targets and floor standards: per financial year, revisable from a quarter."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpis.imports import KpiTargetsImporter
from kpis.models import KpiTarget
from tests.kpis.factories import make_kpi, make_target

pytestmark = pytest.mark.django_db

HEADER = "kpi_code,financial_year,from_quarter,target,floor,reason\n"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(f"{row}\n" for row in rows)).encode()


def messages(plan) -> list[str]:
    return [str(error) for error in plan.errors]


def stored() -> dict:
    return {
        (t.kpi.code, t.financial_year, t.from_quarter): (t.target, t.floor, t.reason)
        for t in KpiTarget.objects.select_related("kpi")
    }


def test_targets_and_an_in_year_revision_are_created(dan):
    make_kpi(code="CYPE05")
    plan = KpiTargetsImporter().run(
        csv(
            "CYPE05,2019/20,,90,80,Set at the start of the year",
            "CYPE05,2019-20,Q3,40,30,New national guidance",
        ),
        "t.csv",
        dan,
    )
    assert plan.summary()["new"] == 2
    assert stored() == {
        ("CYPE05", 2019, 1): (Decimal(90), Decimal(80), "Set at the start of the year"),
        ("CYPE05", 2019, 3): (Decimal(40), Decimal(30), "New national guidance"),
    }


def test_every_error_kind_names_the_row_and_the_column():
    make_kpi(code="UP01", higher_is_better=True)
    make_kpi(code="DOWN01", higher_is_better=False)
    plan = KpiTargetsImporter().plan(
        csv(
            "NOPE,2019/20,1,90,80,",  # row 2
            "UP01,2019,1,90,80,",  # row 3: a year, not a financial year
            "UP01,2019/21,1,90,80,",  # row 4: not a financial year
            "UP01,2019/20,5,90,80,",  # row 5: from_quarter
            "UP01,2019/20,1,,80,",  # row 6: no target
            "UP01,2019/20,2,90,high,",  # row 7: floor not a number
            "UP01,2019/20,3,90,95,",  # row 8: floor above the target (higher is better)
            "DOWN01,2019/20,1,10,5,",  # row 9: floor below the target (lower is better)
            "DOWN01,2019/20,,10,15,",  # row 10: fine (an empty from_quarter is 1)
            "DOWN01,2019/20,Q1,11,15,",  # row 11: repeats row 10
        ),
        "t.csv",
    )
    assert messages(plan) == [
        "Row 2, column \"kpi_code\": unknown KPI code ('NOPE'); an import never creates KPIs",
        "Row 3, column \"financial_year\": not a financial year like 2019/20 ('2019')",
        "Row 4, column \"financial_year\": not a financial year like 2019/20 ('2019/21')",
        "Row 5, column \"from_quarter\": must be 1, 2, 3 or 4 ('5')",
        'Row 6, column "target": is empty',
        "Row 7, column \"floor\": not a number ('high')",
        'Row 8, column "floor": is above the target (95 > 90); for UP01 higher is better, so '
        "the floor standard must not be above the target",
        'Row 9, column "floor": is below the target (5 < 10); for DOWN01 lower is better, so '
        "the floor standard must not be below the target",
        "Row 11: repeats row 10 (DOWN01 2019/20 from Q1)",
    ]


def test_a_file_with_one_bad_row_changes_nothing(dan):
    kpi = make_kpi(code="CYPE05")
    make_target(kpi, target=Decimal(90), floor=Decimal(80))
    before = stored()
    plan = KpiTargetsImporter().run(
        csv("CYPE05,2019/20,1,95,85,", "CYPE05,2020/21,1,x,85,"), "t.csv", dan
    )
    assert not plan.ok
    assert stored() == before


def test_a_corrected_target_is_changed_and_reimporting_changes_nothing(dan):
    kpi = make_kpi(code="CYPE05")
    make_target(kpi, target=Decimal(90), floor=Decimal(80), reason="Old")
    content = csv("CYPE05,2019/20,1,92,,Corrected", "CYPE05,2020/21,1,93,85,")
    plan = KpiTargetsImporter().run(content, "t.csv", dan)
    assert [change.fields for change in plan.changed] == [
        [
            ("target", Decimal("90.0000"), Decimal(92)),
            ("floor", Decimal("80.0000"), None),
            ("reason", "Old", "Corrected"),
        ]
    ]
    assert stored() == {
        ("CYPE05", 2019, 1): (Decimal(92), None, "Corrected"),
        ("CYPE05", 2020, 1): (Decimal(93), Decimal(85), ""),
    }
    again = KpiTargetsImporter().run(content, "t.csv", dan)
    assert again.summary() == {"new": 0, "changed": 0, "unchanged": 2, "errors": 0}


def test_without_a_floor_column_the_stored_floor_is_kept(dan):
    kpi = make_kpi(code="CYPE05")
    make_target(kpi, target=Decimal(90), floor=Decimal(80))
    KpiTargetsImporter().run(
        csv("CYPE05,2019/20,91", header="kpi_code,financial_year,target\n"), "t.csv", dan
    )
    assert stored()[("CYPE05", 2019, 1)] == (Decimal(91), Decimal(80), "")


def test_planning_runs_the_same_queries_for_3_or_30_rows():
    kpis = [make_kpi(code=f"Q{n:03d}") for n in range(30)]
    for kpi in kpis[::3]:
        make_target(kpi)

    def count(n: int) -> int:
        content = csv(*(f"{kpi.code},2019/20,1,91,81," for kpi in kpis[:n]))
        with CaptureQueriesContext(connection) as queries:
            assert KpiTargetsImporter().plan(content, "t.csv").ok
        return len(queries)

    # The KPIs named in the file; the stored targets of their financial years.
    assert count(3) == count(30) == 2
