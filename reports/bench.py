"""Pages of the reports app for the benchmark script (against the synthetic data)."""

from __future__ import annotations

from django.urls import reverse

from kccperf.models import Outcome, ReportingPeriod
from reports.models import ReportVersion


def pages() -> list[tuple[str, str, str]]:
    period = ReportingPeriod.objects.order_by("-start").first()
    if period is None:
        return [("reports: index", reverse("reports:index"), "analyst")]
    q = period.quarter
    outcome = Outcome.objects.order_by("number").first()
    # The published QPR's first directorate (its part's first page): the slug alone is read
    # from the snapshot.
    first = (
        ReportVersion.objects.filter(report__kind="qpr", report__period=period)
        .order_by("-number")
        .values_list("data__directorates__0__slug", flat=True)
        .first()
    )
    qpr = reverse("reports:qpr", kwargs={"period": q})
    council = reverse("reports:sdp-council", kwargs={"period": q})
    result = [
        ("reports: index", reverse("reports:index-period", kwargs={"period": q}), "analyst"),
        ("reports: QPR published", qpr, "analyst"),
        ("reports: QPR draft (live data)", f"{qpr}?draft=1", "analyst"),
        ("reports: QPR .docx (draft: generated)", f"{qpr}?draft=1&_export=docx", "analyst"),
        ("reports: QPR .docx (published)", f"{qpr}?version=1&_export=docx", "analyst"),
        (
            "reports: analyst workbook .xlsx",
            reverse("reports:workbook", kwargs={"period": q}),
            "analyst",
        ),
        ("reports: SDP council-wide published", council, "analyst"),
        ("reports: SDP council-wide draft", f"{council}?draft=1", "analyst"),
        ("reports: SDP council-wide .docx (draft)", f"{council}?draft=1&_export=docx", "analyst"),
        (
            "reports: supporting tables",
            reverse("reports:tables-period", kwargs={"period": q}),
            "analyst",
        ),
        ("reports: QPR texts form", reverse("reports:qpr-texts", kwargs={"period": q}), "analyst"),
        ("reports: QPR versions", reverse("reports:qpr-versions", kwargs={"period": q}), "analyst"),
        ("reports: import tables (form)", reverse("reports:import-tables"), "analyst"),
    ]
    if first:
        part = f"{qpr}?part={first}"
        result.insert(3, ("reports: QPR directorate part, page 1 (published)", part, "analyst"))
    if outcome is not None:
        sdp = reverse("reports:sdp-outcome", kwargs={"period": q, "number": outcome.number})
        result += [
            ("reports: SDP outcome published", sdp, "analyst"),
            ("reports: SDP outcome draft", f"{sdp}?draft=1", "analyst"),
        ]
    return result
