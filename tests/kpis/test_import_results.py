"""Importing KPI results: validation by row and column, all or nothing, revisions kept,
re-import a no-op, and planning queries that do not grow with the file."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from kccperf.models import ReportingPeriod
from kccperf.periods import Quarter
from kpis.imports import KpiResultsImporter
from kpis.models import KpiResult, KpiResultRevision
from kpis.services import record_result
from tests.kpis.factories import make_kpi, make_result

pytestmark = pytest.mark.django_db

HEADER = "kpi_code,quarter,value,provisional,commentary,data_period\n"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(f"{row}\n" for row in rows)).encode()


def messages(plan) -> list[str]:
    return [str(error) for error in plan.errors]


def stored() -> dict:
    return {
        (r.kpi.code, r.period.label): (r.value, r.provisional, r.commentary, r.data_period)
        for r in KpiResult.objects.select_related("kpi", "period")
    }


def test_a_new_result_is_created_with_who_entered_it(dan):
    make_kpi(code="CYPE05")
    plan = KpiResultsImporter().run(
        csv("CYPE05,Q2 2019/20,91.5,yes,Steady,12 months to Jun 2019"), "r.csv", dan
    )
    assert plan.ok and len(plan.new) == 1
    result = KpiResult.objects.get()
    assert (result.value, result.provisional, result.commentary, result.data_period) == (
        Decimal("91.5"),
        True,
        "Steady",
        "12 months to Jun 2019",
    )
    assert result.entered_by == dan
    assert result.period.label == "Q2 2019/20"


def test_every_error_kind_names_the_row_and_the_column():
    make_kpi(code="CYPE05", active_to=Quarter.parse("Q4 2018/19").end)
    make_kpi(code="ASC01")
    content = csv(
        "NOPE99,Q2 2019/20,90,,,",  # row 2: unknown KPI
        "ASC01,Q5 2019/20,90,,,",  # row 3: not a quarter
        "ASC01,Q2 2019/20,ninety,,,",  # row 4: not a number
        "ASC01,Q3 2019/20,,,,",  # row 5: empty value
        "ASC01,Q4 2019/20,90,maybe,,",  # row 6: not yes/no
        "ASC01,Q1 2019/20,90%,,,",  # row 7: fine
        "CYPE05,Q2 2019/20,90,,,",  # row 8: KPI no longer active
        ",Q2 2019/20,90,,,",  # row 9: empty code
        "ASC01,Q1 2099/00,90,,,",  # row 10: a quarter that has not started
        "ASC01,Q2 2018/19,90,,," + ",",  # row 11: fine (an extra empty cell)
        f"ASC01,Q3 2018/19,90,,,{'x' * 101}",  # row 12: data period too long
        "ASC01,Q2 2018/19,91,,,",  # row 13: repeats row 11
        "ASC01,Q4 2018/19,1e20,,,",  # row 14: too large
    )
    plan = KpiResultsImporter().plan(content, "r.csv")
    assert messages(plan) == [
        "Row 2, column \"kpi_code\": unknown KPI code ('NOPE99'); an import never creates KPIs",
        "Row 3, column \"quarter\": not a quarter like Q2 2019/20 ('Q5 2019/20')",
        "Row 4, column \"value\": not a number ('ninety')",
        'Row 5, column "value": is empty',
        "Row 6, column \"provisional\": must be yes or no ('maybe')",
        'Row 8, column "quarter": CYPE05 is not active in Q2 2019/20',
        'Row 9, column "kpi_code": is empty',
        'Row 10, column "quarter": Q1 2099/00 has not started yet',
        'Row 12, column "data_period": is 101 characters long; it can be at most 100',
        "Row 13: repeats row 11 (ASC01 Q2 2018/19 – a new quarter on record)",
        "Row 14, column \"value\": is too large ('1e20')",
    ]


def test_the_error_message_for_a_value_reads_like_the_issue_example():
    make_kpi(code="CYPE05")
    rows = [f"CYPE05,{q.label},90,,," for q in _quarters(12)]
    rows.append("CYPE05,Q2 2019/20,n/a,,,")
    plan = KpiResultsImporter().plan(csv(*rows), "r.csv")
    assert messages(plan) == ["Row 14, column \"value\": not a number ('n/a')"]


def _quarters(count: int) -> list[Quarter]:
    quarter, result = Quarter(2016, 2), []
    for _ in range(count):
        result.append(quarter)
        quarter = quarter.next()
    return result


def test_values_are_rounded_to_the_4_places_stored_so_a_reimport_changes_nothing(dan):
    make_kpi(code="CYPE05")
    content = csv("CYPE05,Q2 2019/20,91.66666666666667,,,", "CYPE05,Q1 2019/20,12.34565,,,")
    KpiResultsImporter().run(content, "r.csv", dan)
    assert sorted(KpiResult.objects.values_list("value", flat=True)) == [
        Decimal("12.3457"),
        Decimal("91.6667"),
    ]
    assert KpiResultsImporter().plan(content, "r.csv").summary()["unchanged"] == 2


def test_a_file_with_one_bad_row_changes_nothing(dan):
    kpi = make_kpi(code="CYPE05")
    make_result(kpi, "Q1 2019/20", 80)
    before = stored()
    periods = ReportingPeriod.objects.count()
    content = csv("CYPE05,Q1 2019/20,85,,,", "CYPE05,Q3 2019/20,86,,,", "CYPE05,Q2 2019/20,x,,,")
    plan = KpiResultsImporter().run(content, "r.csv", dan)
    assert not plan.ok
    assert stored() == before
    assert KpiResultRevision.objects.count() == 0
    assert ReportingPeriod.objects.count() == periods


def test_a_changed_value_is_a_revision_that_keeps_the_old_value(dan):
    kpi = make_kpi(code="CYPE05")
    make_result(kpi, "Q2 2019/20", 80, provisional=True, commentary="First")
    plan = KpiResultsImporter().run(csv("CYPE05,Q2 2019/20,82,no,Final,"), "r.csv", dan)
    # "provisional: no" is not a change: an import never verifies (test_verification.py).
    assert [change.fields for change in plan.changed] == [
        [
            ("value", Decimal("80.0000"), Decimal("82")),
            ("commentary", "First", "Final"),
        ]
    ]
    revision = KpiResultRevision.objects.get()
    assert (revision.old_value, revision.new_value) == (Decimal(80), Decimal(82))
    assert (revision.old_provisional, revision.new_provisional) == (True, True)
    assert revision.old_commentary == "First" and revision.reason == "Imported from r.csv"
    assert revision.revised_by == dan
    assert stored() == {("CYPE05", "Q2 2019/20"): (Decimal(82), True, "Final", "")}


def test_a_commentary_only_change_updates_without_a_revision(dan):
    kpi = make_kpi(code="CYPE05")
    make_result(kpi, "Q2 2019/20", 80, commentary="First")
    plan = KpiResultsImporter().run(csv("CYPE05,Q2 2019/20,80,no,Second,"), "r.csv", dan)
    assert len(plan.changed) == 1
    assert KpiResultRevision.objects.count() == 0
    assert KpiResult.objects.get().commentary == "Second"


def test_importing_the_same_file_again_changes_nothing(dan):
    make_kpi(code="CYPE05")
    make_kpi(code="ASC01")
    content = csv(
        "CYPE05,Q1 2019/20,79.5,yes,Rising,", "CYPE05,Q2 2019/20,81,,,", "asc01,2019-20-q2,5%,,,"
    )
    KpiResultsImporter().run(content, "r.csv", dan)
    first = {r.pk: r.entered_at for r in KpiResult.objects.all()}
    again = KpiResultsImporter().run(content, "r.csv", dan)
    assert again.summary() == {"new": 0, "changed": 0, "unchanged": 3, "errors": 0}
    assert {r.pk: r.entered_at for r in KpiResult.objects.all()} == first
    assert KpiResultRevision.objects.count() == 0


def test_optional_columns_left_out_keep_what_is_stored(dan):
    kpi = make_kpi(code="CYPE05")
    make_result(kpi, "Q2 2019/20", 80, provisional=True, commentary="Kept", data_period="Lagged")
    plan = KpiResultsImporter().run(
        csv("CYPE05,Q2 2019/20,80", header="kpi_code,quarter,value\n"), "r.csv", dan
    )
    assert plan.summary()["unchanged"] == 1
    KpiResultsImporter().run(
        csv("CYPE05,Q2 2019/20,81", header="kpi_code,quarter,value\n"), "r.csv", dan
    )
    assert stored() == {("CYPE05", "Q2 2019/20"): (Decimal(81), True, "Kept", "Lagged")}
    # In the file but empty: cleared.
    KpiResultsImporter().run(
        csv("CYPE05,Q2 2019/20,81,", header="kpi_code,quarter,value,commentary\n"), "r.csv", dan
    )
    assert KpiResult.objects.get().commentary == ""


def test_a_quarter_not_yet_on_record_is_put_on_record_when_applied_not_when_previewed(dan):
    make_kpi(code="CYPE05")
    ReportingPeriod.objects.ensure(Quarter(2019, 2))
    content = csv("CYPE05,Q2 2019/20,84,,,", "CYPE05,Q3 2019/20,85,,,")
    plan = KpiResultsImporter().plan(content, "r.csv")
    assert [row.label for row in plan.new] == [
        "CYPE05 Q2 2019/20",
        "CYPE05 Q3 2019/20 – a new quarter on record",
    ]
    assert not ReportingPeriod.objects.filter(label="Q3 2019/20").exists()
    KpiResultsImporter().run(content, "r.csv", dan)
    assert ReportingPeriod.objects.get(label="Q3 2019/20").start == Quarter(2019, 3).start


@time_machine.travel("2019-12-31 12:00", tick=False)
def test_a_result_for_the_current_quarter_is_accepted_but_not_the_next():
    make_kpi(code="CYPE05")
    plan = KpiResultsImporter().plan(
        csv("CYPE05,Q3 2019/20,85,,,", "CYPE05,Q4 2019/20,85,,,"), "r.csv"
    )
    assert messages(plan) == ['Row 3, column "quarter": Q4 2019/20 has not started yet']


def test_importing_gives_the_same_data_and_history_as_record_result(dan):
    """The bulk apply follows kpis.services.record_result, row by row."""
    by_import, by_service = make_kpi(code="IMP01"), make_kpi(code="SRV01")
    for kpi in (by_import, by_service):
        make_result(kpi, "Q1 2019/20", 70, provisional=True, commentary="a")
        make_result(kpi, "Q2 2019/20", 75, provisional=True)
    for kpi in (by_import, by_service):
        make_result(kpi, "Q4 2018/19", 60)  # verified
    rows = [
        ("Q4 2018/19", "60", True, "", ""),  # "provisional: yes" on a verified value
        ("Q1 2019/20", "70", False, "a", ""),  # unchanged
        ("Q2 2019/20", "76", True, "", "lag"),  # value: a revision
        ("Q3 2019/20", "77", True, "new", ""),  # new
    ]
    KpiResultsImporter().run(
        csv(*(f"IMP01,{q},{v},{'yes' if p else 'no'},{c},{d}" for q, v, p, c, d in rows)),
        "r.csv",
        dan,
    )
    for q, v, p, c, d in rows:
        record_result(
            by_service,
            Quarter.parse(q),
            Decimal(v),
            c,
            d,
            by=dan,
            reason="Imported from r.csv",
            mark_provisional=p,
        )

    def shape(code):
        results = sorted(
            (r.period.label, r.value, r.provisional, r.commentary, r.data_period, r.entered_by_id)
            for r in KpiResult.objects.filter(kpi__code=code).select_related("period")
        )
        revisions = sorted(
            (
                r.result.period.label,
                r.old_value,
                r.new_value,
                r.old_provisional,
                r.new_provisional,
                r.old_commentary,
                r.kind,
                r.reason,
            )
            for r in KpiResultRevision.objects.filter(result__kpi__code=code).select_related(
                "result__period"
            )
        )
        return results, revisions

    assert shape("IMP01") == shape("SRV01")
    assert len(shape("IMP01")[1]) == 2


def test_xlsx_files_import_like_csv(dan):
    make_kpi(code="CYPE05")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["kpi_code", "quarter", "value", "provisional"])
    sheet.append(["CYPE05", "Q2 2019/20", 91.25, "Yes"])
    sheet.append(["CYPE05", "Q1 2019/20", 88, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = KpiResultsImporter().run(buffer.getvalue(), "r.xlsx", dan)
    assert plan.ok
    assert stored() == {
        ("CYPE05", "Q1 2019/20"): (Decimal(88), True, "", ""),  # imports never verify
        ("CYPE05", "Q2 2019/20"): (Decimal("91.25"), True, "", ""),
    }


def test_planning_runs_the_same_queries_for_3_or_30_rows():
    kpis = [make_kpi(code=f"Q{n:03d}") for n in range(30)]
    for kpi in kpis[::2]:
        make_result(kpi, "Q2 2019/20", 50)

    def count(n: int) -> int:
        content = csv(*(f"{kpi.code},Q2 2019/20,60,yes,,\n" for kpi in kpis[:n]))
        with CaptureQueriesContext(connection) as queries:
            plan = KpiResultsImporter().plan(content, "r.csv")
        assert plan.ok and plan.rows == n
        return len(queries)

    # The KPIs named in the file, the quarters on record, the stored results of the file's keys.
    assert count(3) == count(30) == 3


def test_applying_runs_the_same_queries_for_3_or_30_rows(dan):
    kpis = [make_kpi(code=f"A{n:03d}") for n in range(60)]

    def count(chosen) -> int:
        for kpi in chosen:
            make_result(kpi, "Q1 2019/20", 50)
        content = csv(
            *(f"{kpi.code},Q1 2019/20,51,,,\n{kpi.code},Q2 2019/20,52,,," for kpi in chosen)
        )
        with CaptureQueriesContext(connection) as queries:
            plan = KpiResultsImporter().run(content, "r.csv", dan)
        assert plan.summary() == {
            "new": len(chosen),
            "changed": len(chosen),
            "unchanged": 0,
            "errors": 0,
        }
        return len(queries)

    ReportingPeriod.objects.ensure(Quarter(2019, 2))
    assert count(kpis[:3]) == count(kpis[3:33])
