"""A change log for the benchmark's synthetic data: a quarter's worth of acts by the synthetic
lead officers and analysts (returns saved, KPI values revised, sign-ins), each its own entry,
spread over the last 90 days."""

from __future__ import annotations

import random
import uuid

from django.db import connection
from pghistory import runtime

from audit.models import SignIn
from kccperf.models import User
from kccperf.periods import Quarter
from kpis.models import KpiResult
from monitoring.models import Return

ACTS_PER_SCALE = 400


def generate(scale: int, rng: random.Random, quarters: list[Quarter]) -> None:
    people = list(User.objects.order_by("pk").values_list("pk", "username"))
    returns = list(Return.objects.order_by("-pk").values_list("pk", flat=True)[: 200 * scale])
    results = list(KpiResult.objects.order_by("-pk").values_list("pk", flat=True)[: 100 * scale])
    if not people or not returns or not results:
        return
    saved = getattr(runtime._tracker, "value", None)
    try:
        for n in range(ACTS_PER_SCALE * scale):
            pk, username = rng.choice(people)
            # Each act its own entry, as a request would be (the command's own context is
            # put back afterwards).
            runtime._tracker.value = runtime.Context(
                id=uuid.uuid4(),
                metadata={
                    "source": "request",
                    "user": pk,
                    "username": username,
                    "method": "POST",
                    "url": "/synthetic/",
                    "synthetic": True,
                },
            )
            kind = n % 3
            if kind == 0:
                Return.objects.filter(pk=rng.choice(returns)).update(
                    progress=f"Progress noted at act {n}.", version=n
                )
            elif kind == 1:
                KpiResult.objects.filter(pk=rng.choice(results)).update(
                    commentary=f"Revised at act {n}.", version=n
                )
            else:
                SignIn.objects.create(outcome="signed_in", username=username, user_id=pk)
    finally:
        if saved is None:
            del runtime._tracker.value
        else:
            runtime._tracker.value = saved
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE pghistory_context SET created_at = now() - random() * interval '90 days' "
            "WHERE metadata ? 'synthetic'"
        )
