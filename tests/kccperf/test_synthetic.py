import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from kccperf.models import ReportingPeriod, User
from kpis.models import KpiResult
from monitoring.models import Activity, Return
from risks.models import Risk

pytestmark = pytest.mark.django_db


def counts():
    return (
        ReportingPeriod.objects.count(),
        User.objects.filter(username__startswith="synthetic.lead").count(),
        Activity.objects.count(),
        Return.objects.count(),
        KpiResult.objects.count(),
        Risk.objects.count(),
    )


def test_generate_synthetic_scales_the_council_over_the_years():
    call_command("generate_synthetic", "--scale", "2", "--years", "2", verbosity=0)
    periods, leads, activities, returns, results, risks = counts()
    assert periods == 8
    assert leads == 2 * 64
    assert activities == 2 * 79
    assert returns > 0 and results > 0 and risks > 0
    assert ReportingPeriod.objects.order_by("start").last().label == "Q4 2019/20"


def fingerprint():
    """The generated data without database ids (sequences are not rolled back)."""
    return (
        counts(),
        list(
            Return.objects.order_by(
                "activity__outcome__number", "activity__number", "period__start"
            ).values_list("activity__title", "period__label", "delivery", "status")
        ),
        list(
            KpiResult.objects.order_by("kpi__code", "period__start").values_list(
                "kpi__code", "period__label", "value"
            )
        ),
        list(Risk.objects.order_by("ref").values_list("ref", "title", "current_score")),
    )


def run_and_roll_back(seed: str):
    with transaction.atomic():
        call_command(
            "generate_synthetic", "--scale", "1", "--years", "1", "--seed", seed, verbosity=0
        )
        result = fingerprint()
        transaction.set_rollback(True)
    return result


def test_generate_synthetic_is_deterministic_from_its_seed():
    first = run_and_roll_back("7")
    assert first[0][0] == 4
    assert run_and_roll_back("7") == first
    assert run_and_roll_back("8") != first


def test_generate_synthetic_refuses_a_database_that_holds_data():
    call_command("load_demo", "--no-migrate", password="x", verbosity=0)
    with pytest.raises(CommandError, match="already holds data"):
        call_command("generate_synthetic", "--scale", "1", "--years", "1", verbosity=0)
