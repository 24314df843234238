"""Pages of the monitoring app for the benchmark script (against the synthetic data)."""

from __future__ import annotations

from django.urls import reverse

from kccperf.models import ReportingPeriod
from monitoring.models import Activity


def pages() -> list[tuple[str, str, str]]:
    period = ReportingPeriod.objects.order_by("-start").first()
    activity = (
        Activity.objects.filter(lead_officer__username__startswith="synth.lead")
        .select_related("lead_officer")
        .order_by("pk")
        .first()
    )
    result = []
    if activity is not None:
        lead = activity.lead_officer.username
        result.append(("My returns", reverse("monitoring:my-returns"), lead))
        if period is not None:
            kwargs = {"activity_pk": activity.pk, "period": period.quarter}
            result.append(("Return form", reverse("monitoring:return-edit", kwargs=kwargs), lead))
            result.append(
                ("Return history", reverse("monitoring:return-history", kwargs=kwargs), lead)
            )
    if period is not None:
        result.append(
            (
                "Chase (council)",
                reverse("monitoring:chase", kwargs={"period": period.quarter}),
                "analyst",
            )
        )
        result.append(
            (
                "Chase (outcome 1)",
                reverse(
                    "monitoring:chase-outcome", kwargs={"period": period.quarter, "outcome": 1}
                ),
                "analyst",
            )
        )
    result.append(("Submission windows", reverse("monitoring:window-list"), "analyst"))
    return result
