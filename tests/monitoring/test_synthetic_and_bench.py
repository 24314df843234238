"""Synthetic data for benchmarks is deterministic and every benchmarked page answers."""

import random

import pytest

from kccperf import synthetic as organisation_synthetic
from kccperf.models import User
from kccperf.periods import FinancialYear
from monitoring import bench, synthetic
from monitoring.models import Activity, Return

QUARTERS = FinancialYear(2019).quarters()[:2]


def _generate(seed: int) -> list:
    organisation_synthetic.generate(1, random.Random(seed), QUARTERS)
    synthetic.generate(1, random.Random(seed), QUARTERS)
    return list(
        Return.objects.order_by(
            "activity__outcome__number", "activity__number", "period__start"
        ).values_list("delivery", "status", "sign_off", "approver__username")
    )


@pytest.fixture
def analyst(db):
    return User.objects.create_user("analyst", password="x")


def test_synthetic_data_has_the_councils_size_and_is_deterministic(analyst, django_db_blocker):
    first = _generate(7)
    assert Activity.objects.count() == 79
    assert Return.objects.count() == 79 * len(QUARTERS)
    # Outcome 1 needs sign-off: its latest quarter has returns in every sign-off state.
    latest = Return.objects.filter(period__start=QUARTERS[-1].start, activity__outcome__number=1)
    assert set(latest.values_list("sign_off", flat=True)) >= {"awaiting", "signed_off"}
    assert not Return.objects.exclude(activity__outcome__number=1).exclude(sign_off="").exists()
    Return.objects.all().delete()
    Activity.objects.all().delete()
    assert _generate(7) == first


def test_every_benchmarked_page_answers(client, analyst):
    from django.contrib.auth.models import Group

    analyst.groups.add(Group.objects.get(name="Analyst"))
    _generate(3)
    pages = bench.pages()
    assert {
        "My returns",
        "Return form",
        "Chase (council)",
        "Awaiting my sign-off (approver)",
        "Awaiting my sign-off (analyst)",
    } <= {label for label, _, _ in pages}
    for label, url, username in pages:
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == 200, label
