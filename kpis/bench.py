"""KPI pages for the benchmark script (against the synthetic data)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from kccperf.models import Directorate
from kpis.models import ActivityIndicator, Kpi


def pages() -> list[tuple[str, str, str]]:
    scorecard = reverse("kpis:scorecard")
    result = [
        ("KPI scorecard", scorecard, "analyst"),
        ("KPI scorecard filtered (Red)", scorecard + "?rag=RED", "analyst"),
        ("KPI scorecard sorted by RAG", scorecard + "?sort=rag", "analyst"),
        ("KPI scorecard CSV", scorecard + "?_export=csv", "analyst"),
        ("KPI scorecard XLSX", scorecard + "?_export=xlsx", "analyst"),
        ("KPI executive summary", reverse("kpis:summary"), "analyst"),
    ]
    directorate = (
        Directorate.objects.annotate(n=Count("kpis")).filter(n__gt=0).order_by("-n").first()
    )
    if directorate is not None:
        url = reverse("kpis:directorate", kwargs={"slug": directorate.slug})
        result.append(("KPI directorate scorecard", url, "analyst"))
    kpi = Kpi.objects.annotate(n=Count("results")).order_by("-n", "code").first()
    if kpi is not None:
        url = reverse("kpis:kpi-detail", kwargs={"code": kpi.code})
        result.append(("KPI detail", url, "analyst"))
    indicator = ActivityIndicator.objects.annotate(n=Count("values")).order_by("-n").first()
    if indicator is not None:
        url = reverse("kpis:indicator-detail", kwargs={"slug": indicator.slug})
        result.append(("Activity indicator detail", url, "analyst"))
    result += _load_data_pages(kpi)
    return result


def _load_data_pages(kpi: Kpi | None) -> list[tuple[str, str, str]]:
    """The analysts' data-loading pages (kpis.data_views and the three import uploads)."""
    from kccperf.models import ReportingPeriod

    result = [
        ("KPI load data", reverse("kpis:load-data"), "analyst"),
        ("KPI results import", reverse("kpis:import-results"), "analyst"),
        ("KPI targets import", reverse("kpis:import-targets"), "analyst"),
        ("Indicator values import", reverse("kpis:import-indicators"), "analyst"),
        (
            "KPI results template XLSX",
            reverse("kpis:import-results-template", kwargs={"fmt": "xlsx"}),
            "analyst",
        ),
    ]
    period = ReportingPeriod.objects.filter(kpi_results__kpi=kpi).order_by("-start").first()
    if kpi is not None and period is not None:
        url = reverse("kpis:result-edit", kwargs={"code": kpi.code, "period": period.quarter})
        result.append(("KPI value form", url, "analyst"))
    return result
