"""Pages analysts use to load KPI data: the "Load data" index and the single-value form.

The upload -> preview -> confirm pages of the three file formats come from the shared
import machinery (``kccperf.import_views.import_urls`` over ``kpis.imports``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from kccperf.models import ImportBatch
from kccperf.navigation import breadcrumbs
from kccperf.page_period import page_quarter
from kccperf.periods import Quarter
from kccperf.versioning import StaleEditError, at_version, stale_context
from kpis.data_forms import ResultChooserForm, ResultForm
from kpis.formatting import revision_rows, target_displays
from kpis.imports import (
    IndicatorValuesImporter,
    KpiResultsImporter,
    KpiTargetsImporter,
    kpi_active,
)
from kpis.models import Kpi, KpiResult
from kpis.scorecards import target_in_force
from kpis.services import record_result

LOAD = "kccperf.load_data"
RECENT_IMPORTS = 10

# (importer, URL name of its upload page, management command)
IMPORTS = [
    (KpiResultsImporter, "kpis:import-results", "import_kpi_results"),
    (KpiTargetsImporter, "kpis:import-targets", "import_kpi_targets"),
    (IndicatorValuesImporter, "kpis:import-indicators", "import_indicator_values"),
]


# /kpis/load-data/ -----------------------------------------------------------------------


@permission_required(LOAD, raise_exception=True)
def load_data(request) -> HttpResponse:
    """The three uploads with their templates, a form to pick a single value to enter or
    correct, and the latest KPI imports."""
    chooser = ResultChooserForm(
        request.GET if {"kpi", "quarter"} & set(request.GET) else None,
        initial={"quarter": page_quarter(request).label},
    )
    if chooser.is_bound and chooser.is_valid():
        return redirect(
            "kpis:result-edit",
            code=chooser.cleaned_data["kpi"].code,
            period=chooser.cleaned_data["quarter"],
        )
    kinds = {importer.kind: importer.title for importer, _, _ in IMPORTS}
    batches = list(
        ImportBatch.objects.filter(kind__in=kinds)
        .select_related("uploaded_by")
        .defer("content")[:RECENT_IMPORTS]
    )
    context = {
        "imports": [
            {
                "importer": importer,
                "upload_url": reverse(name),
                "template_csv_url": reverse(f"{name}-template", kwargs={"fmt": "csv"}),
                "template_xlsx_url": reverse(f"{name}-template", kwargs={"fmt": "xlsx"}),
                "command": command,
            }
            for importer, name, command in IMPORTS
        ],
        "chooser": chooser,
        "batches": [{"batch": b, "title": kinds[b.kind]} for b in batches],
        "breadcrumbs": breadcrumbs(("KPI scorecard", reverse("kpis:scorecard")), "Load KPI data"),
    }
    return render(request, "kpis/load_data.html", context)


# /kpis/load-data/value/<code>/<period>/ -------------------------------------------------


def _kpi_for_quarter(code: str, quarter: Quarter) -> Kpi:
    """The KPI, if it is reported in a quarter that has started (else 404)."""
    if quarter.start > timezone.localdate():
        raise Http404("That quarter has not started yet")
    kpi = get_object_or_404(Kpi.objects.select_related("directorate"), code=code)
    if not kpi_active(kpi, quarter):
        raise Http404(f"{kpi.code} is not reported in {quarter.label}")
    return kpi


def _initial(result: KpiResult | None) -> dict:
    if result is None:
        return {"provisional": True}
    return {
        # 91.5000 as stored -> "91.5"; "f" keeps 100 from becoming 1E+2.
        "value": format(result.value.normalize(), "f"),
        "provisional": result.provisional,
        "data_period": result.data_period,
        "commentary": result.commentary,
    }


def _save(request, kpi: Kpi, quarter: Quarter, form: ResultForm) -> None:
    """Record the form's value and say what happened; refuses with
    :class:`~kccperf.versioning.StaleEditError` when a value was saved since the form was read."""
    data = form.cleaned_data
    result, changed = record_result(
        kpi,
        quarter,
        data["value"],
        data["provisional"],
        data["commentary"],
        data["data_period"],
        by=request.user,
        base_version=form.base_version,
    )
    shown = kpi.format_value(result.value)
    if changed:
        messages.success(request, f"Saved {kpi.code} {quarter.label}: {shown}.")
    else:
        messages.info(request, f"Nothing changed: {kpi.code} {quarter.label} is {shown}.")


def _result_context(kpi: Kpi, quarter: Quarter, result: KpiResult | None) -> dict:
    """The stored value, the target in force and the value's revisions."""
    revisions = (
        result.revisions.select_related("revised_by").order_by("-revised_at") if result else []
    )
    target = target_in_force(kpi.targets.filter(financial_year=quarter.start_year), quarter)
    return {
        "kpi": kpi,
        "quarter": quarter,
        "result": result,
        "result_display": kpi.format_value(result.value) if result else None,
        "target": target,
        **target_displays(kpi, target),
        "revisions": revision_rows(kpi, revisions),
        "breadcrumbs": breadcrumbs(
            ("Load KPI data", reverse("kpis:load-data")), f"{kpi.code} {quarter.label}"
        ),
    }


@permission_required(LOAD, raise_exception=True)
def result_edit(request, code: str, period: Quarter) -> HttpResponse:
    """Enter or correct one KPI's value for a quarter, through ``record_result`` so a
    revised value keeps its history. A value saved by someone else since the form was
    shown is not overwritten: the page shows it and asks again."""
    quarter = Quarter(period.start_year, period.number)
    kpi = _kpi_for_quarter(code, quarter)
    result = (
        KpiResult.objects.filter(kpi=kpi, period__start=quarter.start)
        .select_related("entered_by")
        .first()
    )
    version = result.version if result else 0
    form = ResultForm(request.POST or None, initial=_initial(result), version=version)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, kpi, quarter, form)
        except StaleEditError as exc:
            # Show what is stored now, keep the person's input, at the current version.
            stale = stale_context(exc)
            result = (
                KpiResult.objects.filter(kpi=kpi, period__start=quarter.start)
                .select_related("entered_by")
                .first()
            )
            form = ResultForm(at_version(request.POST, exc.current_version))
            form.is_valid()
        else:
            return redirect("kpis:kpi-detail", code=kpi.code, period=quarter)
    context = {
        **_result_context(kpi, quarter, result),
        "form": form,
        "stale": stale,
    }
    status = 409 if stale else 422 if form.errors else 200
    return render(request, "kpis/result_form.html", context, status=status)
