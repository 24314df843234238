"""Importing activity indicator values, expected ranges and benchmarks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpis.imports import IndicatorValuesImporter, parse_month
from kpis.models import IndicatorValue
from tests.kpis.factories import make_indicator, make_indicator_value

pytestmark = pytest.mark.django_db

HEADER = "indicator,period,value,upper,lower,benchmark\n"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(f"{row}\n" for row in rows)).encode()


def messages(plan) -> list[str]:
    return [str(error) for error in plan.errors]


def stored() -> dict:
    return {
        (v.indicator.slug, v.label): (v.value, v.upper, v.lower, v.benchmark)
        for v in IndicatorValue.objects.select_related("indicator")
    }


def test_quarterly_and_monthly_values_are_created_with_their_labels(dan):
    make_indicator(slug="children-in-care")
    make_indicator(slug="dols", frequency="month")
    plan = IndicatorValuesImporter().run(
        csv(
            "children-in-care,Q2 2019/20,1650,1700,1500,",
            "dols,2019-09,120,,,100.5",
            "Dols,Aug 2019,110,130,90,",
        ),
        "i.csv",
        dan,
    )
    assert plan.summary()["new"] == 3
    assert stored() == {
        ("children-in-care", "Q2 2019/20"): (Decimal(1650), Decimal(1700), Decimal(1500), None),
        ("dols", "Sep 2019"): (Decimal(120), None, None, Decimal("100.5")),
        ("dols", "Aug 2019"): (Decimal(110), Decimal(130), Decimal(90), None),
    }
    assert IndicatorValue.objects.get(label="Sep 2019").period_start == date(2019, 9, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-09", date(2019, 9, 1)),
        ("2019-9", date(2019, 9, 1)),
        ("2019-09-01", date(2019, 9, 1)),  # an Excel date cell
        ("Sep 2019", date(2019, 9, 1)),
        ("September 2019", date(2019, 9, 1)),
        ("2019-09-15", None),
        ("2019-13", None),
        ("Q2", None),
    ],
)
def test_months_are_read_as_yyyy_mm_or_as_the_month_name(text, expected):
    assert parse_month(text) == expected


def test_every_error_kind_names_the_row_and_the_column():
    make_indicator(slug="quarterly")
    make_indicator(slug="monthly", frequency="month")
    plan = IndicatorValuesImporter().plan(
        csv(
            "unknown,Q2 2019/20,1,,,",  # row 2
            "quarterly,2019-09,1,,,",  # row 3: month for a quarterly indicator
            "monthly,Q2 2019/20,1,,,",  # row 4: quarter for a monthly indicator
            "quarterly,last quarter,1,,,",  # row 5: not a period
            "quarterly,Q1 2019/20,lots,,,",  # row 6: not a number
            "quarterly,Q3 2019/20,5,10,20,",  # row 7: lower above upper
            "quarterly,Q4 2019/20,,,,",  # row 8: nothing to record
            "monthly,2099-01,1,,,",  # row 9: not started
            "quarterly,Q2 2018/19,6,20,10,",  # row 10: fine
            "quarterly,2018-19-q2,7,20,10,",  # row 11: repeats row 10
        ),
        "i.csv",
    )
    assert messages(plan) == [
        "Row 2, column \"indicator\": unknown activity indicator ('unknown'); an import never "
        "creates indicators",
        'Row 3, column "period": quarterly is quarterly: give a quarter like Q2 2019/20',
        'Row 4, column "period": monthly is monthly: give a month like 2019-09',
        'Row 5, column "period": not a quarter like Q2 2019/20 or a month like 2019-09 '
        "('last quarter')",
        "Row 6, column \"value\": not a number ('lots')",
        'Row 7, column "lower": is above the upper threshold (20 > 10)',
        "Row 8: has no value, upper, lower or benchmark",
        'Row 9, column "period": Jan 2099 has not started yet',
        "Row 11: repeats row 10 (quarterly Q2 2018/19)",
    ]


def test_upper_and_lower_come_together():
    make_indicator(slug="quarterly")
    plan = IndicatorValuesImporter().plan(
        csv("quarterly,Q2 2019/20,1,5", header="indicator,period,value,upper\n"), "i.csv"
    )
    assert messages(plan) == ["Row 1: give the upper and lower columns together, or neither"]


def test_a_file_with_one_bad_row_changes_nothing(dan):
    indicator = make_indicator(slug="quarterly")
    make_indicator_value(indicator, "Q1 2019/20", 100)
    before = stored()
    plan = IndicatorValuesImporter().run(
        csv("quarterly,Q1 2019/20,101,,,", "quarterly,Q2 2019/20,x,,,"), "i.csv", dan
    )
    assert not plan.ok
    assert stored() == before


def test_changed_thresholds_are_updated_and_reimporting_changes_nothing(dan):
    indicator = make_indicator(slug="quarterly")
    make_indicator_value(indicator, "Q1 2019/20", 100, upper=Decimal(120), lower=Decimal(80))
    content = csv("quarterly,Q1 2019/20,100,125,85,90", "quarterly,Q2 2019/20,130,125,85,")
    plan = IndicatorValuesImporter().run(content, "i.csv", dan)
    assert plan.summary() == {"new": 1, "changed": 1, "unchanged": 0, "errors": 0}
    assert stored()[("quarterly", "Q1 2019/20")] == (
        Decimal(100),
        Decimal(125),
        Decimal(85),
        Decimal(90),
    )
    again = IndicatorValuesImporter().run(content, "i.csv", dan)
    assert again.summary() == {"new": 0, "changed": 0, "unchanged": 2, "errors": 0}


def test_a_file_with_values_only_keeps_the_stored_range(dan):
    indicator = make_indicator(slug="quarterly")
    make_indicator_value(indicator, "Q1 2019/20", 100, upper=Decimal(120), lower=Decimal(80))
    IndicatorValuesImporter().run(
        csv("quarterly,Q1 2019/20,105", header="indicator,period,value\n"), "i.csv", dan
    )
    assert stored()[("quarterly", "Q1 2019/20")] == (Decimal(105), Decimal(120), Decimal(80), None)


def test_planning_runs_the_same_queries_for_3_or_30_rows():
    indicators = [make_indicator(slug=f"ind-{n}") for n in range(30)]
    for indicator in indicators[::2]:
        make_indicator_value(indicator, "Q2 2019/20", 100)

    def count(n: int) -> int:
        content = csv(*(f"{i.slug},Q2 2019/20,110,120,80," for i in indicators[:n]))
        with CaptureQueriesContext(connection) as queries:
            assert IndicatorValuesImporter().plan(content, "i.csv").ok
        return len(queries)

    # The indicators named in the file; the stored values of the file's keys.
    assert count(3) == count(30) == 2
