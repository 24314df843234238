"""The three import management commands: same checks and writes as the upload pages."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kpis.models import IndicatorValue, KpiResult, KpiTarget
from tests.kpis.factories import make_indicator, make_kpi

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    make_kpi(code="CYPE05")
    make_indicator(slug="children-in-care")


def run(command: str, path, *args) -> str:
    out = StringIO()
    call_command(command, str(path), *args, stdout=out)
    return out.getvalue()


def test_import_kpi_results_imports_and_reports_then_is_a_no_op(tmp_path, data, dan):
    file = tmp_path / "results.csv"
    file.write_text("kpi_code,quarter,value,provisional\nCYPE05,Q2 2019/20,91,yes\n")
    assert run("import_kpi_results", file, "--user", "dan") == (
        "Imported results.csv: 1 new, 0 changed, 0 unchanged rows.\n"
    )
    result = KpiResult.objects.get()
    assert (result.value, result.provisional, result.entered_by) == (91, True, dan)
    assert run("import_kpi_results", file) == (
        "Imported results.csv: 0 new, 0 changed, 1 unchanged rows.\n"
    )


def test_a_dry_run_writes_nothing(tmp_path, data):
    file = tmp_path / "targets.csv"
    file.write_text("kpi_code,financial_year,target,floor\nCYPE05,2019/20,90,80\n")
    assert run("import_kpi_targets", file, "--dry-run") == (
        "Would import targets.csv: 1 new, 0 changed, 0 unchanged rows.\n"
    )
    assert not KpiTarget.objects.exists()
    run("import_kpi_targets", file)
    assert KpiTarget.objects.get().target == 90


def test_import_indicator_values_imports(tmp_path, data):
    file = tmp_path / "indicators.csv"
    file.write_text(
        "indicator,period,value,upper,lower\nchildren-in-care,Q2 2019/20,1650,1700,1500\n"
    )
    run("import_indicator_values", file)
    value = IndicatorValue.objects.get()
    assert (value.value, value.upper, value.lower) == (1650, 1700, 1500)


def test_errors_are_printed_by_row_and_column_and_nothing_is_written(tmp_path, data, capsys):
    file = tmp_path / "results.csv"
    file.write_text("kpi_code,quarter,value\nCYPE05,Q2 2019/20,91\nNEW01,Q2 2019/20,abc\n")
    with pytest.raises(CommandError, match=r"results.csv: 2 error\(s\); nothing was imported"):
        call_command("import_kpi_results", str(file))
    err = capsys.readouterr().err
    assert "Row 3, column \"kpi_code\": unknown KPI code ('NEW01')" in err
    assert "Row 3, column \"value\": not a number ('abc')" in err
    assert not KpiResult.objects.exists()
