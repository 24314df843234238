"""The README's examples and the templates' example rows are valid files against the demo data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kpis.imports import IndicatorValuesImporter, KpiResultsImporter, KpiTargetsImporter

README = Path(__file__).resolve().parents[2] / "README.md"
IMPORTERS = {
    "kpi_code,quarter": KpiResultsImporter,
    "kpi_code,financial_year": KpiTargetsImporter,
    "indicator,period": IndicatorValuesImporter,
}


def readme_examples() -> list[str]:
    text = README.read_text()
    section = text.split("### KPI data import format", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"```csv\n(.*?)```", section, re.S)


def importer_for(content: str):
    return next(cls for prefix, cls in IMPORTERS.items() if content.startswith(prefix))


def test_the_readme_has_an_example_of_each_format():
    assert sorted(importer_for(e).kind for e in readme_examples()) == [
        "indicator-values",
        "kpi-results",
        "kpi-targets",
    ]


def test_the_readme_examples_import_cleanly(demo_data):
    for example in readme_examples():
        plan = importer_for(example)().plan(example.encode(), "example.csv")
        assert plan.errors == [], example
        assert plan.rows == example.strip().count("\n")


@pytest.mark.parametrize(
    "importer", [KpiResultsImporter, KpiTargetsImporter, IndicatorValuesImporter]
)
def test_each_templates_example_row_is_valid(demo_data, importer):
    plan = importer().plan(importer().template_csv(), "template.csv")
    assert plan.errors == []
    assert plan.rows == 1
