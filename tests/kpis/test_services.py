"""record_result: values keep their history when revised; saving the same data is a no-op."""

from __future__ import annotations

from decimal import Decimal

from kccperf.models import ReportingPeriod
from kccperf.periods import Quarter
from kpis.models import KpiResult, KpiResultRevision
from kpis.scorecards import target_in_force
from kpis.services import record_result
from tests.kpis.factories import make_kpi, make_target

Q2 = Quarter(2019, 2)


def test_a_new_result_creates_its_reporting_period(db, dan):
    kpi = make_kpi()
    result, changed = record_result(kpi, Q2, Decimal("91.5"), "Note", "", dan)
    assert changed and result.period == ReportingPeriod.objects.for_quarter(Q2)
    assert (result.value, result.provisional, result.entered_by) == (Decimal("91.5"), True, dan)
    assert not KpiResultRevision.objects.exists()


def test_a_revised_value_keeps_the_old_one(db, dan, carol):
    kpi = make_kpi()
    record_result(kpi, Q2, Decimal(90), "First", "", dan)
    result, changed = record_result(kpi, Q2, Decimal(88), "Final", "", carol)
    assert changed and KpiResult.objects.get().value == Decimal(88)
    revision = result.revisions.get()
    assert (revision.old_value, revision.new_value) == (Decimal(90), Decimal(88))
    assert (revision.old_provisional, revision.new_provisional) == (True, True)
    assert revision.old_commentary == "First" and revision.revised_by == carol


def test_saving_the_same_data_again_changes_nothing(db, dan):
    kpi = make_kpi()
    first, _ = record_result(kpi, Q2, Decimal(90), "Same", "x", dan)
    again, changed = record_result(kpi, Q2, Decimal("90.000"), "Same", "x", dan)
    assert not changed and again.entered_at == first.entered_at
    assert not KpiResultRevision.objects.exists()


def test_a_commentary_change_updates_without_a_value_revision(db, dan):
    kpi = make_kpi()
    record_result(kpi, Q2, Decimal(90), "Old", "", dan)
    result, changed = record_result(kpi, Q2, Decimal(90), "New", "", dan)
    assert changed and result.commentary == "New"
    assert not KpiResultRevision.objects.exists()


def test_the_target_in_force_is_the_latest_revision_not_after_the_quarter(db):
    kpi = make_kpi()
    start = make_target(kpi, financial_year=2019, from_quarter=1, target=Decimal(90))
    revised = make_target(kpi, financial_year=2019, from_quarter=3, target=Decimal(40))
    last_year = make_target(kpi, financial_year=2018, from_quarter=1, target=Decimal(80))
    targets = [start, revised, last_year]
    assert target_in_force(targets, Quarter(2019, 1)) == start
    assert target_in_force(targets, Quarter(2019, 2)) == start
    assert target_in_force(targets, Quarter(2019, 3)) == revised
    assert target_in_force(targets, Quarter(2019, 4)) == revised
    assert target_in_force(targets, Quarter(2018, 4)) == last_year
    assert target_in_force(targets, Quarter(2020, 1)) is None
