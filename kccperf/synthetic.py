"""Synthetic organisation data for benchmarks: quarters and people at N × the council's size."""

from __future__ import annotations

import random

from django.contrib.auth.models import Group
from django.utils import timezone

from kccperf.models import ReportingPeriod, User
from kccperf.periods import FinancialYear, Quarter

# The council's size, per the seed reports: 79 SDP activities with ~64 lead officers.
LEAD_OFFICERS = 64


def quarters_for(years: int, last_year: FinancialYear) -> list[Quarter]:
    """The quarters of the ``years`` financial years ending with ``last_year``, oldest first."""
    return last_year.quarters()[-1].window(4 * years)


def generate(scale: int, rng: random.Random, quarters: list[Quarter]) -> None:
    """Reporting periods and scale × 64 lead officers (the apps assign them activities)."""
    ReportingPeriod.objects.bulk_create(
        [ReportingPeriod(start=q.start, end=q.end, label=q.label) for q in quarters],
        ignore_conflicts=True,
    )
    lead_group = Group.objects.get(name="Lead officer")
    password = User.objects.get(username="analyst").password  # same hash: no slow hashing
    User.objects.bulk_create(
        [
            User(
                username=f"synthetic.lead{n}",
                first_name="Synthetic",
                last_name=f"Lead {n}",
                email=f"synthetic.lead{n}@example.org",
                password=password,
            )
            for n in range(1, LEAD_OFFICERS * scale + 1)
        ],
        ignore_conflicts=True,
    )
    lead_group.user_set.add(*User.objects.filter(username__startswith="synthetic.lead"))


def close_history() -> None:
    """Synthetic quarters are a fully reported history: every one is closed, so every role's
    pages open on the last of them (the benchmarks measure full quarters)."""
    ReportingPeriod.objects.filter(closed_at__isnull=True).update(closed_at=timezone.now())
