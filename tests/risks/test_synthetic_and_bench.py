"""Synthetic data for benchmarks, and the benchmark's list of risk pages."""

from __future__ import annotations

import random

from kccperf.models import Role
from kccperf.periods import FinancialYear
from risks.bench import pages
from risks.models import MitigatingAction, Risk, RiskRefresh, RiskRefreshEntry
from risks.synthetic import ACTIONS_PER_RISK, RISKS_PER_SCALE, generate
from tests.factories import make_user
from tests.risks.factories import make_risk

QUARTERS = FinancialYear(2018).quarters() + FinancialYear(2019).quarters()


def test_the_generator_builds_a_register_with_a_refresh_each_quarter(db):
    existing = make_risk(ref="CRR0048")
    generate(2, random.Random(7), QUARTERS)
    risks = Risk.objects.exclude(pk=existing.pk)
    assert risks.count() == 2 * RISKS_PER_SCALE
    assert min(r.ref for r in risks) == "CRR0049"  # after the references already used
    assert RiskRefresh.objects.count() == len(QUARTERS)
    assert MitigatingAction.objects.count() == 2 * RISKS_PER_SCALE * ACTIONS_PER_RISK
    # every open risk is in the last refresh, and no removed risk after its removal
    last = RiskRefresh.objects.order_by("-date").first()
    in_last = set(RiskRefreshEntry.objects.filter(refresh=last).values_list("risk_id", flat=True))
    assert set(risks.open().values_list("pk", flat=True)) <= in_last
    for entry in RiskRefreshEntry.objects.select_related("risk", "refresh"):
        assert entry.current_score == entry.current_likelihood * entry.current_impact
        if entry.risk.removed_on:
            assert entry.refresh.date < entry.risk.removed_on
    # the register's stored scores are the latest refresh's
    for risk in risks.open()[:10]:
        latest = risk.refresh_entries.order_by("-refresh__date").first()
        assert risk.current_score == latest.current_score


def test_the_generator_is_deterministic_from_its_random_source(db):
    generate(1, random.Random(3), QUARTERS)
    first = list(Risk.objects.order_by("ref").values_list("current_score", "status"))
    Risk.objects.all().delete()
    RiskRefresh.objects.all().delete()
    generate(1, random.Random(3), QUARTERS)
    assert list(Risk.objects.order_by("ref").values_list("current_score", "status")) == first


def test_every_benchmarked_page_loads_for_its_user(client, db):
    make_user("analyst", role=Role.ANALYST)
    generate(1, random.Random(5), QUARTERS)
    listed = pages()
    assert {label for label, _, _ in listed} >= {
        "Risk register",
        "Risk overview",
        "Risk heat maps",
        "Risk register CSV",
        "Risk detail",
    }
    from kccperf.models import User

    for label, url, username in listed:
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == 200, label
