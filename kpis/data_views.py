"""Pages analysts use to load KPI data: the "Load data" index and the single-value form.

The upload -> preview -> confirm pages of the three file formats come from the shared
import machinery (``kccperf.import_views.import_urls`` over ``kpis.imports``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kccperf import figure_cache
from kccperf.models import ImportBatch
from kccperf.navigation import breadcrumbs
from kccperf.page_period import page_quarter
from kccperf.periods import Quarter
from kccperf.versioning import OUT_OF_DATE, StaleEditError, at_version, stale_context
from kpis.data_forms import ResultChooserForm, ResultForm, VerifyValuesForm
from kpis.formatting import revision_rows, target_displays
from kpis.imports import (
    IndicatorValuesImporter,
    KpiResultsImporter,
    KpiTargetsImporter,
    kpi_active,
)
from kpis.models import Kpi, KpiResult, may_verify
from kpis.scorecards import target_in_force
from kpis.services import NotAllowedToVerify, ReasonRequired, record_result, verify_results

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
    initial = page_quarter(request).label
    chooser = ResultChooserForm(
        request.GET if {"kpi", "quarter"} & set(request.GET) else None,
        initial={"quarter": initial},
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
        # Its list of every KPI (hundreds at 10x) rendered once per version of the KPIs.
        "chooser_html": figure_cache.fragment(
            "kpi-load-data-chooser",
            (request.GET.urlencode(), initial),
            ("kpis",),
            lambda: render_to_string(
                "kpis/_load_data_chooser.html", {"chooser": chooser}, request=request
            ),
        ),
        "verify_quarter": page_quarter(request),
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
        return {}
    return {
        # 91.5000 as stored -> "91.5"; "f" keeps 100 from becoming 1E+2.
        "value": format(result.value.normalize(), "f"),
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
        data["commentary"],
        data["data_period"],
        by=request.user,
        reason=data["reason"],
        base_version=form.base_version,
    )
    shown = kpi.format_value(result.value)
    if changed:
        messages.success(request, f"Saved {kpi.code} {quarter.label}: {shown}.")
    else:
        messages.info(request, f"Nothing changed: {kpi.code} {quarter.label} is {shown}.")


def _result_context(kpi: Kpi, quarter: Quarter, result: KpiResult | None, user) -> dict:
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
        "can_verify": result is not None and result.provisional and may_verify(user, kpi),
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
        .select_related("entered_by", "verified_by")
        .first()
    )
    version = result.version if result else 0
    form = ResultForm(request.POST or None, initial=_initial(result), version=version)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, kpi, quarter, form)
        except ReasonRequired as exc:
            form.add_error("reason", str(exc))
        except StaleEditError as exc:
            # Show what is stored now, keep the person's input, at the current version.
            stale = stale_context(exc)
            result = (
                KpiResult.objects.filter(kpi=kpi, period__start=quarter.start)
                .select_related("entered_by", "verified_by")
                .first()
            )
            form = ResultForm(at_version(request.POST, exc.current_version))
            form.is_valid()
        else:
            return redirect("kpis:kpi-detail", code=kpi.code, period=quarter)
    context = {
        **_result_context(kpi, quarter, result, request.user),
        "form": form,
        "stale": stale,
    }
    status = 409 if stale else 422 if form.errors else 200
    return render(request, "kpis/result_form.html", context, status=status)


# /kpis/load-data/value/<code>/<period>/verify/ ------------------------------------------


@require_POST
def result_verify(request, code: str, period: Quarter) -> HttpResponse:
    """Mark one value verified (analysts, or the KPI's data owner), at the version shown."""
    quarter = Quarter(period.start_year, period.number)
    kpi = _kpi_for_quarter(code, quarter)
    if not may_verify(request.user, kpi):
        raise PermissionDenied
    result = get_object_or_404(KpiResult, kpi=kpi, period__start=quarter.start)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        raise BadRequest(OUT_OF_DATE.format(what="value")) from None
    try:
        verify_results({result.pk: version}, request.user)
    except StaleEditError:
        messages.error(
            request,
            f"{kpi.code} {quarter.label} changed since you opened it: check the value "
            "below, then verify it again.",
        )
        return redirect("kpis:result-edit", code=kpi.code, period=quarter)
    messages.success(
        request, f"Verified {kpi.code} {quarter.label}: {kpi.format_value(result.value)}."
    )
    return redirect(request.POST.get("next") or _detail_url(kpi, quarter))


def _detail_url(kpi: Kpi, quarter: Quarter) -> str:
    return reverse("kpis:kpi-detail", kwargs={"code": kpi.code, "period": quarter})


# /kpis/verify/<period>/ -------------------------------------------------------------------


def _verifiable(user):
    """The KPIs whose values ``user`` may verify: all for analysts, else those they own."""
    kpis = Kpi.objects.all()
    if user.has_perm("kpis.verify_kpiresult"):
        return kpis
    return kpis.filter(data_owner=user)


def verify_quarter(request, period: Quarter | None = None) -> HttpResponse:
    """Analysts (and data owners, for their KPIs) verify a quarter's provisional values in
    one go: all or none, each at the version shown (a value revised meanwhile refuses the
    lot and says which)."""
    quarter = page_quarter(request, period)
    kpis = _verifiable(request.user)
    if not request.user.has_perm("kpis.verify_kpiresult") and not kpis.exists():
        raise PermissionDenied

    def load() -> list[KpiResult]:
        return list(
            KpiResult.objects.filter(kpi__in=kpis, period__start=quarter.start)
            .select_related("kpi", "entered_by", "verified_by")
            .order_by("kpi__code")
        )

    results = load()
    provisional = [r for r in results if r.provisional]
    form = VerifyValuesForm(request.POST if request.method == "POST" else None, results=provisional)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            count = verify_results(form.cleaned_data["verify"], request.user)
        except StaleEditError as exc:
            stale = stale_context(exc)
            results = load()
            provisional = [r for r in results if r.provisional]
            form = VerifyValuesForm(results=provisional)
        except NotAllowedToVerify as exc:
            raise PermissionDenied(str(exc)) from None
        else:
            plural = "s" if count != 1 else ""
            messages.success(request, f"Verified {count} value{plural} for {quarter.label}.")
            return redirect(request.path)
    context = {
        "quarter": quarter,
        "form": form,
        "stale": stale,
        "provisional": provisional,
        "verified": [_verify_row(r, quarter) for r in results if not r.provisional],
        "breadcrumbs": breadcrumbs(
            ("KPI scorecard", reverse("kpis:scorecard", kwargs={"period": quarter})),
            f"Verify values, {quarter.label}",
        ),
    }
    status = 409 if stale else 422 if form.errors else 200
    return render(request, "kpis/verify_quarter.html", context, status=status)


def _verify_row(result: KpiResult, quarter: Quarter) -> dict:
    return {
        "result": result,
        "value": result.kpi.format_value(result.value),
        "detail_url": _detail_url(result.kpi, quarter),
    }
