"""Synthetic KPI data for benchmarks, and the pages the benchmark measures."""

from __future__ import annotations

import random

from kccperf.demo import load as load_organisation
from kccperf.periods import FinancialYear
from kpis import bench, synthetic
from kpis.models import ActivityIndicator, IndicatorValue, Kpi, KpiResult, KpiTarget
from tests.factories import PASSWORD

QUARTERS = FinancialYear(2018).quarters() + FinancialYear(2019).quarters()


def test_it_makes_scale_times_the_councils_kpis_and_indicators_over_the_quarters(db):
    load_organisation(PASSWORD)
    synthetic.generate(2, random.Random(7), QUARTERS)
    assert Kpi.objects.count() == 70 and ActivityIndicator.objects.count() == 82
    assert KpiResult.objects.count() == 70 * 8
    assert KpiTarget.objects.count() == 70 * 2
    assert IndicatorValue.objects.count() == 82 * 8


def test_the_same_seed_gives_the_same_data(db):
    load_organisation(PASSWORD)
    synthetic.generate(1, random.Random(7), QUARTERS)
    first = list(KpiResult.objects.order_by("pk").values_list("value", flat=True))
    synthetic.generate(1, random.Random(7), QUARTERS)
    second = list(KpiResult.objects.order_by("pk").values_list("value", flat=True))[len(first) :]
    assert first == second


def test_every_benchmarked_page_answers(client, db):
    load_organisation(PASSWORD)
    synthetic.generate(1, random.Random(7), QUARTERS)
    pages = bench.pages()
    assert len(pages) == 9 + 6  # the scorecard pages, then the data-loading pages
    for label, url, username in pages:
        client.login(username=username, password=PASSWORD)
        assert client.get(url).status_code == 200, label
