"""Acceptance: the demo data (seed figures) in the reports' pages, Word files and workbook.

The demo data is loaded once for the module (tests/reports/conftest.py::demo_module)."""

from decimal import Decimal

import pytest

from kccperf.periods import Quarter
from reports.models import ReportTable

pytestmark = pytest.mark.usefixtures("demo")


def grid_text(table: ReportTable) -> list[list[str]]:
    return [[cell["text"] for cell in row["cells"]] for row in table.as_data()["rows"]]


def test_demo_tables_have_the_seed_numbers():
    tables = {t.slug: t for t in ReportTable.objects.for_quarter(Quarter(2019, 2)).with_cells()}
    assert set(tables) == {
        "calls-by-service",
        "complaints-by-service",
        "digital-take-up",
        "s106-contributions",
        "local-growth-fund-projects",
        "children-in-care",
        "adult-social-care-survey",
    }
    calls = grid_text(tables["calls-by-service"])
    assert calls[0] == ["26", "28", "31", "31", "116", "127"]
    assert calls[-1] == ["127", "140", "130", "146", "543", "601"]
    complaints = grid_text(tables["complaints-by-service"])
    assert complaints[-1] == ["4,618", "5,142", "1,396", "1,770"]
    assert grid_text(tables["digital-take-up"])[0] == ["76%", "77%", "77%", "77%", "1,289,941"]
    assert grid_text(tables["s106-contributions"])[-2:] == [
        ["8,772", "2,237", "4,688", "1,341"],
        ["99%", "99%", "100%", "100%"],
    ]
    lgf = grid_text(tables["local-growth-fund-projects"])
    assert lgf[0] == ["50.4", "71.5", "55.29", "6.9", "90.7", "274.79"]
    assert lgf[2] == ["12", "5", "6", "1", "1", "25"]
    children = tables["children-in-care"].as_data()["rows"]
    totals = {
        r["label"]: [c["raw"] for c in r["cells"]] for r in children if r["group"] == "Status"
    }
    assert totals["Total"] == ["1604", "1590", "1664", "1767"]
    survey = grid_text(tables["adult-social-care-survey"])
    assert survey[1] == ["N/A*", "N/A*", "35%", "39%", "N/A*", "N/A*", "30%", "39%"]


def test_demo_tables_add_up_where_the_seed_is_not_rounded():
    table = ReportTable.objects.with_cells().get(slug="children-in-care").as_data()
    by_group: dict[str, list[list[Decimal]]] = {}
    for row in table["rows"]:
        by_group.setdefault(row["group"], []).append([Decimal(c["raw"]) for c in row["cells"]])
    total = by_group["Status"][2]
    for group in ("Gender", "Age group", "Ethnicity"):
        assert [sum(col) for col in zip(*by_group[group], strict=True)] == total
    lgf = ReportTable.objects.with_cells().get(slug="local-growth-fund-projects").as_data()
    rows = [[Decimal(c["raw"] or 0) for c in r["cells"]] for r in lgf["rows"]]
    for row in rows:
        assert sum(row[:-1]) == row[-1]
    for column in range(6):  # projects = complete + green + amber + red
        assert rows[2][column] == sum(rows[r][column] for r in (3, 4, 5, 6))
