"""The change log's pages for the benchmark script (against the synthetic or demo data)."""

from __future__ import annotations

from django.urls import reverse

from kccperf.models import ReportingPeriod, User


def pages() -> list[tuple[str, str, str]]:
    url = reverse("audit:change-log")
    result = [("change log (page 1)", url, "analyst")]
    if User.objects.filter(username="analyst").exists():
        result.append(("change log by person", f"{url}?person=analyst", "analyst"))
    result.append(("change log, SDP monitoring", f"{url}?area=monitoring", "analyst"))
    period = ReportingPeriod.objects.order_by("-start").first()
    if period is not None:
        result.append(("change log by quarter", f"{url}?quarter={period.pk}", "analyst"))
    return result
