from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kccperf.periods import FinancialYear, Quarter, quarters_between


@pytest.mark.parametrize(
    ("label", "start", "end", "slug"),
    [
        ("Q1 2019/20", date(2019, 4, 1), date(2019, 6, 30), "2019-20-q1"),
        ("Q2 2019/20", date(2019, 7, 1), date(2019, 9, 30), "2019-20-q2"),
        ("Q3 2019/20", date(2019, 10, 1), date(2019, 12, 31), "2019-20-q3"),
        ("Q4 2019/20", date(2020, 1, 1), date(2020, 3, 31), "2019-20-q4"),
        ("Q4 2099/00", date(2100, 1, 1), date(2100, 3, 31), "2099-00-q4"),
    ],
)
def test_a_quarter_label_maps_to_its_period_and_back(label, start, end, slug):
    quarter = Quarter.parse(label)
    assert (quarter.start, quarter.end, quarter.slug, quarter.label) == (start, end, slug, label)
    assert Quarter.from_slug(slug) == quarter
    assert Quarter.containing(start) == quarter
    assert Quarter.containing(end) == quarter


@pytest.mark.parametrize("text", ["2019/20 Q2", "q2 2019-20", " Q2 2019/20 ", "2019-20-q2"])
def test_it_accepts_the_ways_people_write_a_quarter(text):
    assert Quarter.parse(text) == Quarter(2019, 2)


@pytest.mark.parametrize("text", ["Q5 2019/20", "Q2 2019/21", "2019", "", "Q0 2019/20"])
def test_it_rejects_what_is_not_a_quarter(text):
    with pytest.raises(ValueError):
        Quarter.parse(text)


def test_previous_and_next_cross_the_year_boundary():
    assert Quarter(2019, 1).previous() == Quarter(2018, 4)
    assert Quarter(2019, 4).next() == Quarter(2020, 1)
    assert Quarter(2019, 2).previous() == Quarter(2019, 1)


def test_same_quarter_last_year():
    assert Quarter(2019, 4).same_quarter_last_year() == Quarter(2018, 4)
    assert Quarter(2019, 4).same_quarter_last_year().start == date(2019, 1, 1)


def test_rolling_12_months_ends_with_the_quarter():
    assert Quarter(2019, 2).rolling_12_months() == (date(2018, 10, 1), date(2019, 9, 30))
    assert Quarter(2019, 4).rolling_12_months() == (date(2019, 4, 1), date(2020, 3, 31))


def test_a_window_is_the_last_n_quarters_oldest_first_across_year_ends():
    assert Quarter(2019, 2).window(4) == [
        Quarter(2018, 3),
        Quarter(2018, 4),
        Quarter(2019, 1),
        Quarter(2019, 2),
    ]
    assert Quarter(2019, 1).window(1) == [Quarter(2019, 1)]
    assert [q.slug for q in Quarter(2020, 1).window(6)] == [
        "2018-19-q4",
        "2019-20-q1",
        "2019-20-q2",
        "2019-20-q3",
        "2019-20-q4",
        "2020-21-q1",
    ]


@pytest.mark.parametrize("length", [0, -1])
def test_a_window_holds_at_least_one_quarter(length):
    with pytest.raises(ValueError, match="at least one quarter"):
        Quarter(2019, 2).window(length)


@given(st.integers(1990, 2100), st.integers(1, 4), st.integers(1, 40))
def test_a_window_steps_back_one_quarter_at_a_time(year, number, length):
    quarter = Quarter(year, number)
    window = quarter.window(length)
    assert len(window) == length and window[-1] == quarter
    assert all(window[i + 1].previous() == window[i] for i in range(length - 1))
    assert quarters_between(window[0], quarter) == window


def test_financial_year_runs_april_to_march():
    year = FinancialYear.parse("2019/20")
    assert (year.start, year.end, year.slug, year.label) == (
        date(2019, 4, 1),
        date(2020, 3, 31),
        "2019-20",
        "2019/20",
    )
    assert FinancialYear.containing(date(2020, 3, 31)) == year
    assert FinancialYear.containing(date(2020, 4, 1)) == year.next()
    assert [q.label for q in year.quarters()] == [
        "Q1 2019/20",
        "Q2 2019/20",
        "Q3 2019/20",
        "Q4 2019/20",
    ]
    assert date(2019, 3, 31) not in year


def test_quarters_between_is_inclusive():
    assert [q.slug for q in quarters_between(Quarter(2018, 4), Quarter(2019, 2))] == [
        "2018-19-q4",
        "2019-20-q1",
        "2019-20-q2",
    ]
    assert quarters_between(Quarter(2019, 2), Quarter(2019, 1)) == []


@given(st.dates(min_value=date(2000, 4, 1), max_value=date(2100, 3, 31)))
def test_every_day_falls_in_exactly_its_quarter(day):
    quarter = Quarter.containing(day)
    assert quarter.start <= day <= quarter.end
    assert quarter.next().start > day
    assert quarter.previous().end < day
    assert day in quarter.financial_year
    assert Quarter.from_slug(quarter.slug) == quarter
