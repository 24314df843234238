"""Pages of the reports app for the benchmark script (against the synthetic data)."""

from __future__ import annotations

from django.urls import reverse

from kccperf.models import Directorate, Outcome, ReportingPeriod


def pages() -> list[tuple[str, str, str]]:
    period = ReportingPeriod.objects.order_by("-start").first()
    if period is None:
        return [("reports: index", reverse("reports:index"), "analyst")]
    q = period.quarter
    outcome = Outcome.objects.order_by("number").first()
    # The QPR's first directorate part (its first page): the report is shown in parts.
    directorate = Directorate.objects.filter(kpis__isnull=False).order_by("order").first()
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
    if directorate is not None:
        part = f"{qpr}?part={directorate.slug}"
        result.insert(3, ("reports: QPR directorate part, page 1 (published)", part, "analyst"))
    if outcome is not None:
        sdp = reverse("reports:sdp-outcome", kwargs={"period": q, "number": outcome.number})
        result += [
            ("reports: SDP outcome published", sdp, "analyst"),
            ("reports: SDP outcome draft", f"{sdp}?draft=1", "analyst"),
        ]
    return result
