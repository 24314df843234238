"""Pages of the risk register for the benchmark script (against the synthetic data)."""

from __future__ import annotations

from django.urls import reverse

from kccperf.models import User
from risks.models import Risk, RiskRefresh
from risks.synthetic import RISK_MANAGER


def _risk_manager() -> str:
    """The synthetic risk manager, else any user who records refreshes (the demo's
    risk.manager): the benchmark runs on the demo database too."""
    if User.objects.filter(username=RISK_MANAGER).exists():
        return RISK_MANAGER
    user = (
        User.objects.filter(groups__permissions__codename="record_refresh")
        .order_by("username")
        .first()
    )
    return user.username if user else "analyst"


def pages() -> list[tuple[str, str, str]]:
    manager = _risk_manager()
    refresh = RiskRefresh.objects.select_related("period").order_by("-date").first()
    risk = Risk.objects.open().order_by("-current_score", "ref").first()
    result = [
        ("Risk register", reverse("risks:register"), "analyst"),
        ("Risk register CSV", reverse("risks:register") + "?_export=csv", manager),
        ("Risk register XLSX", reverse("risks:register") + "?_export=xlsx", manager),
        ("Risk overview", reverse("risks:overview"), "analyst"),
        ("Risk heat maps", reverse("risks:heatmap"), "analyst"),
        ("Record a refresh (form)", reverse("risks:refresh-record"), manager),
        ("Risk cross-check", reverse("risks:crosscheck"), manager),
    ]
    if refresh is not None:
        result.append(
            (
                "Risk overview (refresh)",
                reverse("risks:overview-refresh", args=[refresh.pk]),
                "analyst",
            )
        )
        if refresh.period_id:
            quarter = refresh.period.quarter
            result.append(
                (
                    "Risk overview (period)",
                    reverse("risks:overview-period", args=[quarter]),
                    "analyst",
                )
            )
            result.append(
                (
                    "Risk heat maps (period)",
                    reverse("risks:heatmap-period", args=[quarter]),
                    "analyst",
                )
            )
    if risk is not None:
        result.append(("Risk detail", reverse("risks:risk-detail", args=[risk.ref]), "analyst"))
    return result
