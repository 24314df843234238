"""Pages of the monitoring app for the benchmark script (against the synthetic data)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from kccperf.models import ReportingPeriod
from monitoring.models import Activity, Return


def pages() -> list[tuple[str, str, str]]:
    period = ReportingPeriod.objects.order_by("-start").first()
    leads = Activity.objects.select_related("lead_officer").order_by("pk")
    # a synthetic lead officer's activity, else (the demo database) any led activity
    activity = (
        leads.filter(lead_officer__username__startswith="synthetic.lead").first()
        or leads.filter(lead_officer__isnull=False).first()
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
                reverse("monitoring:chase-period", kwargs={"period": period.quarter}),
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
    result += _sign_off_pages()
    result += _dashboard_pages(period, activity)
    return result


def _sign_off_pages() -> list[tuple[str, str, str]]:
    """ "Awaiting my sign-off" for the approver with the most returns waiting, and for the
    analyst (every other return waiting, paged)."""
    busiest = (
        Return.objects.filter(sign_off=Return.SignOff.AWAITING, approver__isnull=False)
        .values("approver__username")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    url = reverse("monitoring:sign-off-list")
    pages = [("Awaiting my sign-off (analyst)", url, "analyst")]
    if busiest:
        # The label stays the same at every scale (the growth table matches pages by it).
        pages.insert(0, ("Awaiting my sign-off (approver)", url, busiest["approver__username"]))
    return pages


def _dashboard_pages(period, activity) -> list[tuple[str, str, str]]:
    """CMT's dashboards, the summary export and scorecards (read as the analyst)."""
    if period is None:
        return []
    q = period.quarter
    outcome = {"outcome": 1, "period": q}
    pages = [
        ("Dashboard index", reverse("monitoring:dashboard-index", kwargs={"period": q})),
        ("Outcome 1 dashboard", reverse("monitoring:outcome-dashboard", kwargs=outcome)),
        (
            "Outcome 1 summary (XLSX)",
            reverse("monitoring:outcome-dashboard", kwargs=outcome) + "?_export=xlsx",
        ),
        (
            "Outcome 1 figures (CSV)",
            reverse("monitoring:outcome-dashboard", kwargs=outcome) + "?_export=figures",
        ),
        ("Council dashboard", reverse("monitoring:council-dashboard", kwargs={"period": q})),
        ("Edit analysis", reverse("monitoring:analysis-edit", kwargs=outcome)),
        ("Scorecards (print)", reverse("monitoring:scorecards-print", kwargs=outcome)),
        ("Scorecards (XLSX)", reverse("monitoring:scorecards-xlsx", kwargs=outcome)),
    ]
    if activity is not None:
        pages.append(
            (
                "Scorecard",
                reverse("monitoring:scorecard", kwargs={"activity_pk": activity.pk, "period": q}),
            )
        )
    return [(label, url, "analyst") for label, url in pages]
