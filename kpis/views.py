"""KPI scorecard pages. Each page that shows a quarter has a URL without the period (it
shows ``page_quarter(request)``, the chosen period) and one with ``<quarter:period>``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django_tables2 import RequestConfig

from kccperf import figure_cache, page_cache
from kccperf.models import Directorate
from kccperf.navigation import breadcrumbs
from kccperf.output.conventions import About
from kccperf.output.permissions import can_export
from kccperf.output.tables import requested_export, table_export
from kccperf.page_period import page_quarter, quarter_stage
from kccperf.periods import Quarter, quarters_between
from kccperf.versioning import StaleEditError, at_version, stale_context
from kpis import charts
from kpis.commentary_forms import DirectorateCommentaryForm
from kpis.filters import ScorecardFilter
from kpis.formatting import format_value, indicator_places, revision_rows, target_displays
from kpis.models import (
    ActivityIndicator,
    DirectorateCommentary,
    IndicatorValue,
    Kpi,
    KpiResult,
    KpiResultRevision,
    may_verify,
)
from kpis.scorecards import target_in_force, verification_of
from kpis.scoring import direction_of_travel, no_direction_reason
from kpis.services import save_commentary
from kpis.tables import ScorecardTable

VIEW_ALL = "kccperf.view_all"
TREND_QUARTERS = 8
SCORECARD_PAGE_ROWS = 50


def _url(name: str, quarter: Quarter, **kwargs) -> str:
    return reverse(f"kpis:{name}", kwargs={**kwargs, "period": quarter})


def _nav_directorates() -> list[Directorate]:
    """Directorates with KPIs, for the links between KPI pages (one query)."""
    return list(Directorate.objects.filter(kpis__isnull=False).distinct().order_by("order", "name"))


# /kpis/ ---------------------------------------------------------------------------------


@permission_required(VIEW_ALL, raise_exception=True)
@page_cache.per_person
def scorecard(request, period: Quarter | None = None) -> HttpResponse:
    """Every KPI for the quarter, filterable, sortable and exportable. The table is rendered
    once per version of the KPI data (kccperf.figure_cache)."""
    quarter = page_quarter(request, period)
    export_format = requested_export(request)  # 400 for a format not offered, 403 by the rule
    if export_format:
        table, _, _ = _scorecard_table(request, quarter)
        about = About("kpi-scorecard", "KPI scorecard", quarter, _filters_scope(request))
        return table_export(table, export_format, about, title=f"KPIs {quarter.slug}")
    exports = can_export(request.user)
    filterset = ScorecardFilter(request.GET or None, queryset=Kpi.objects.visible_to(request.user))
    invalid = filterset.is_bound and not filterset.is_valid()

    def render_content() -> str:
        table, rows, filterset = _scorecard_table(request, quarter)
        # 50 rows a page (the council has about 35 KPIs; synthetic data many more); the
        # exports hold every row. A ?page= that is not a page number shows the nearest page.
        table.paginate(per_page=SCORECARD_PAGE_ROWS)
        table.page = table.paginator.get_page(request.GET.get(table.prefixed_page_field))
        context = {
            "quarter": quarter,
            "table": table,
            "filter": filterset,
            "filtered": filterset.is_bound and filterset.is_valid() and filterset.active,
            "shown": len(rows),
            "can_export": exports,
            "nav_directorates": _nav_directorates(),
            "any_without_floor": any(not row.has_floor for row in rows if row.target),
            "verification": verification_of(rows, quarter),
        }
        return render_to_string("kpis/_scorecard_content.html", context, request=request)

    content = figure_cache.fragment(
        "kpi-scorecard",
        (request.get_full_path(), str(quarter), quarter_stage(request, quarter), exports),
        ("kpis", "kccperf"),
        render_content,
    )
    context = {
        "quarter": quarter,
        "filter": filterset,
        "invalid": invalid,
        "content": content,
        "can_verify": request.user.has_perm("kpis.verify_kpiresult"),
        "breadcrumbs": breadcrumbs(("KPI scorecard", None)),
    }
    return render(request, "kpis/scorecard.html", context)


def _filters_scope(request) -> str:
    """The scorecard's filters as the export's "About" sheet names them."""
    shown = [
        f"{key} = {value}"
        for key, value in request.GET.items()
        if value and key not in ("_export", "sort", "page")
    ]
    return ("Filtered: " + "; ".join(shown))[:300] if shown else "All KPIs"


def _scorecard_table(request, quarter: Quarter) -> tuple[ScorecardTable, list, ScorecardFilter]:
    """The scorecard's table of the KPIs the filters keep, sorted as asked."""
    kpis = Kpi.objects.visible_to(request.user)
    filterset = ScorecardFilter(request.GET or None, queryset=kpis)
    if filterset.is_bound and not filterset.is_valid():
        rows = []
    else:
        card = (filterset.qs if filterset.is_bound else kpis).scorecard(
            quarter, trend_quarters=TREND_QUARTERS, stage=quarter_stage(request, quarter)
        )
        rows = filterset.filter_rows(card.rows, card.basis()) if filterset.is_bound else card.rows
    table = ScorecardTable(rows, caption=f"KPI scorecard {quarter.label}")
    RequestConfig(request, paginate=False).configure(table)
    return table, rows, filterset


# /kpis/summary/ -------------------------------------------------------------------------


@permission_required(VIEW_ALL, raise_exception=True)
def summary(request, period: Quarter | None = None) -> HttpResponse:
    """Executive summary: G/A/R of N and the change in Green, direction counts; every
    number links to the scorecard filtered to the KPIs behind it. The content is rendered
    once per version of the KPI data (kccperf.figure_cache); it is the same for every reader
    (the page is for those who read every KPI)."""
    quarter = page_quarter(request, period)
    stage = quarter_stage(request, quarter)

    def render_content() -> str:
        card = Kpi.objects.visible_to(request.user).scorecard(
            quarter, trend_quarters=2, stage=stage
        )
        context = {
            "quarter": quarter,
            "previous": quarter.previous(),
            "summary": card.summary(),
            "directorates": card.by_directorate(),
            "nav_directorates": _nav_directorates(),
            "scorecard_url": _url("scorecard", quarter),
        }
        return render_to_string("kpis/_summary_content.html", context, request=request)

    content = figure_cache.fragment(
        "kpi-summary",
        (request.get_full_path(), str(quarter), stage),
        ("kpis", "kccperf"),
        render_content,
    )
    context = {
        "quarter": quarter,
        "content": content,
        "breadcrumbs": breadcrumbs(
            ("KPI scorecard", _url("scorecard", quarter)),
            ("Executive summary", None),
        ),
    }
    return render(request, "kpis/summary.html", context)


# /kpis/directorates/<slug>/ -------------------------------------------------------------


def indicator_points(values: list[IndicatorValue]) -> list[charts.IndicatorPoint]:
    return [charts.IndicatorPoint(v.label, v.value, v.lower, v.upper, v.benchmark) for v in values]


def indicator_chart(indicator: ActivityIndicator, values: list[IndicatorValue], prefix: str):
    points = indicator_points(values)
    places = indicator_places([p.value for p in points] + [p.benchmark for p in points])

    def fmt(value):
        return format_value(value, indicator.unit, places)

    return charts.chart(
        f"{prefix}{indicator.slug}",
        # The indicator's title is the heading above the chart: say what the chart shows.
        "Value in each period against the expected range",
        charts.indicator_figure(points, indicator.get_unit_display()),
        charts.indicator_table(points, fmt, f"{indicator.title}: values and expected range"),
    ), points


def _indicator_charts(directorate: Directorate, quarter: Quarter) -> list[dict]:
    """The directorate's activity indicators, each with its chart over the trend window
    and its latest point (two queries)."""
    first = quarter.window(TREND_QUARTERS)[0]
    indicators = ActivityIndicator.objects.filter(directorate=directorate).prefetch_related(
        Prefetch(
            "values",
            queryset=IndicatorValue.objects.filter(
                period_start__gte=first.start, period_start__lte=quarter.end
            ).order_by("period_start"),
        )
    )
    items = []
    for indicator in indicators:
        chart, points = indicator_chart(indicator, list(indicator.values.all()), "indicator-")
        latest = points[-1] if points else None
        items.append({"indicator": indicator, "chart": chart, "latest": latest})
    return items


@permission_required(VIEW_ALL, raise_exception=True)
@page_cache.per_person
def directorate(request, slug: str, period: Quarter | None = None) -> HttpResponse:
    """A directorate's scorecard: who is responsible, summary counts, commentary, each KPI
    as a box, and its activity indicators with charts."""
    quarter = page_quarter(request, period)
    directorate = get_object_or_404(Directorate, slug=slug)
    stage = quarter_stage(request, quarter)
    export_format = requested_export(request)  # 400 for a format not offered, 403 by the rule
    if export_format:
        return _directorate_export(request, directorate, quarter, export_format)
    can_write = request.user.has_perm("kccperf.load_data")
    exports = can_export(request.user)

    def render_content() -> str:
        card = (
            Kpi.objects.visible_to(request.user)
            .filter(directorate=directorate)
            .scorecard(quarter, trend_quarters=2, stage=stage)
        )
        commentary = (
            DirectorateCommentary.objects.filter(
                directorate=directorate, period__start=quarter.start
            )
            .select_related("written_by")
            .first()
        )
        context = {
            "quarter": quarter,
            "directorate": directorate,
            "cabinet_members": directorate.cabinet_members_on(quarter.end),
            "rows": card.rows,
            "summary": card.summary(),
            "commentary": commentary,
            "indicators": _indicator_charts(directorate, quarter),
            "can_write_commentary": can_write,
            "nav_directorates": _nav_directorates(),
            "any_without_floor": any(not row.has_floor for row in card.rows if row.target),
            "verification": card.verification(),
            "scorecard_url": _url("scorecard", quarter),
            "can_export": exports,
        }
        return render_to_string("kpis/_directorate_content.html", context, request=request)

    content = figure_cache.fragment(
        "kpi-directorate",
        (request.get_full_path(), str(quarter), stage, can_write, exports),
        ("kpis", "kccperf"),
        render_content,
    )
    context = {
        "quarter": quarter,
        "directorate": directorate,
        "content": content,
        "has_indicators": ActivityIndicator.objects.filter(directorate=directorate).exists(),
        "breadcrumbs": breadcrumbs(
            ("KPI scorecard", _url("scorecard", quarter)),
            (directorate.name, None),
        ),
    }
    return render(request, "kpis/directorate.html", context)


def _directorate_export(
    request, directorate: Directorate, quarter: Quarter, export_format: str
) -> HttpResponse:
    """The directorate's KPIs as the council scorecard's export shows them (same table,
    same columns), for this directorate only."""
    card = (
        Kpi.objects.visible_to(request.user)
        .filter(directorate=directorate)
        .scorecard(quarter, trend_quarters=2, stage=quarter_stage(request, quarter))
    )
    table = ScorecardTable(card.rows, caption=f"{directorate.name} KPIs {quarter.label}")
    RequestConfig(request, paginate=False).configure(table)
    about = About(
        f"kpi-scorecard-{directorate.slug}", "Directorate KPI scorecard", quarter, directorate.name
    )
    return table_export(table, export_format, about, title=f"{directorate.name} KPIs")


@permission_required("kccperf.load_data", raise_exception=True)
def commentary_edit(request, slug: str, period: Quarter) -> HttpResponse:
    """Analysts write the directorate's commentary for the quarter."""
    quarter = page_quarter(request, period)
    directorate = get_object_or_404(Directorate, slug=slug)
    existing = DirectorateCommentary.objects.filter(
        directorate=directorate, period__start=quarter.start
    ).first()
    initial = {"text": existing.text} if existing else {}
    data = request.POST if request.method == "POST" else None
    version = existing.version if existing else 0
    form = DirectorateCommentaryForm(data, initial=initial, version=version)
    stale = None
    if data is not None and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            save_commentary(directorate, quarter, text, request.user, form.base_version)
        except StaleEditError as exc:
            stale = stale_context(exc)
            form = DirectorateCommentaryForm(at_version(data, exc.current_version))
            form.is_valid()
        else:
            messages.success(request, f"Commentary for {directorate.name}, {quarter.label} saved.")
            return redirect(_url("directorate", quarter, slug=directorate.slug))
    context = {
        "stale": stale,
        "quarter": quarter,
        "directorate": directorate,
        "form": form,
        "existing": existing,
        "breadcrumbs": breadcrumbs(
            ("KPI scorecard", _url("scorecard", quarter)),
            (directorate.name, _url("directorate", quarter, slug=directorate.slug)),
            ("Commentary", None),
        ),
    }
    status = 409 if stale else 400 if form.errors else 200
    return render(request, "kpis/commentary_form.html", context, status=status)


# /kpis/kpi/<code>/ ----------------------------------------------------------------------


def _kpi_points(kpi: Kpi, results: list[KpiResult], targets: list) -> list[charts.KpiPoint]:
    """Every quarter from the first result on record to the last, against its target."""
    by_quarter = {r.period.quarter: r for r in results}
    quarters = quarters_between(min(by_quarter), max(by_quarter)) if by_quarter else []
    in_force = {}
    for q in quarters:
        target = target_in_force(targets, q)
        in_force[q] = (target.target, target.floor) if target else None
    return charts.kpi_series(
        quarters,
        {q: (r.value, r.provisional) for q, r in by_quarter.items()},
        in_force,
        kpi.higher_is_better,
        kpi.decimal_places,
    )


def _kpi_trend_chart(kpi: Kpi, points: list[charts.KpiPoint]) -> dict:
    return charts.chart(
        "kpi-trend",
        f"{kpi.code}: results by quarter against target and floor standard",
        charts.kpi_figure(points, kpi.get_unit_display()),
        charts.kpi_table(points, kpi.format_value, f"{kpi.code} results by quarter"),
    )


def _quarter_figures(kpi: Kpi, points: list[charts.KpiPoint], targets: list, quarter: Quarter):
    """The quarter's result against the previous one and the target in force."""
    current = next((p for p in points if p.quarter == quarter), None)
    previous = next((p for p in points if p.quarter == quarter.previous()), None)
    current_target = target_in_force(targets, quarter)
    return {
        "current": current,
        "previous": previous,
        "current_target": current_target,
        "direction": direction_of_travel(
            current.value if current else None,
            previous.value if previous else None,
            kpi.higher_is_better,
            kpi.decimal_places,
        ),
        "no_direction": no_direction_reason(
            current.value if current else None, previous.value if previous else None
        ),
        "current_display": kpi.format_value(current.value if current else None),
        "previous_display": kpi.format_value(previous.value if previous else None),
        **target_displays(kpi, current_target),
        "no_floor": current_target is not None and current_target.floor is None,
    }


@permission_required(VIEW_ALL, raise_exception=True)
@page_cache.per_person
def kpi_detail(request, code: str, period: Quarter | None = None) -> HttpResponse:
    """Every quarter on record as a chart and table, targets, commentary and revisions."""
    quarter = page_quarter(request, period)
    kpi = get_object_or_404(
        Kpi.objects.visible_to(request.user).select_related("directorate"), code=code
    )
    results = list(
        KpiResult.objects.filter(kpi=kpi)
        .select_related("period", "entered_by", "verified_by")
        .order_by("period__start")
    )
    targets = list(kpi.targets.order_by("financial_year", "from_quarter"))
    revisions = (
        KpiResultRevision.objects.filter(result__kpi=kpi)
        .select_related("result__period", "revised_by")
        .order_by("-revised_at")
    )
    points = _kpi_points(kpi, results, targets)
    current_result = next((r for r in results if r.period.quarter == quarter), None)
    context = {
        "quarter": quarter,
        "kpi": kpi,
        "chart": _kpi_trend_chart(kpi, points),
        "current_result": current_result,
        "can_verify": current_result is not None
        and current_result.provisional
        and may_verify(request.user, kpi),
        **_quarter_figures(kpi, points, targets, quarter),
        "targets": [{"target": t, **target_displays(kpi, t)} for t in targets],
        "commentary": [r for r in reversed(results) if r.commentary],
        "revisions": revision_rows(kpi, revisions),
        "breadcrumbs": breadcrumbs(
            ("KPI scorecard", _url("scorecard", quarter)),
            (kpi.directorate.name, _url("directorate", quarter, slug=kpi.directorate.slug)),
            (kpi.code, None),
        ),
    }
    return render(request, "kpis/kpi_detail.html", context)


# /kpis/indicators/<slug>/ ---------------------------------------------------------------


@permission_required(VIEW_ALL, raise_exception=True)
def indicator_detail(request, slug: str, period: Quarter | None = None) -> HttpResponse:
    """An activity indicator: values against the expected range and benchmark."""
    quarter = page_quarter(request, period)
    indicator = get_object_or_404(
        ActivityIndicator.objects.select_related("directorate"), slug=slug
    )
    values = list(indicator.values.filter(period_start__lte=quarter.end).order_by("period_start"))
    chart, points = indicator_chart(indicator, values, "")
    places = indicator_places([p.value for p in points])
    context = {
        "quarter": quarter,
        "indicator": indicator,
        "chart": chart,
        "latest": points[-1] if points else None,
        "latest_display": (
            format_value(points[-1].value, indicator.unit, places) if points else None
        ),
        "has_range": any(p.upper is not None or p.lower is not None for p in points),
        "has_benchmark": any(p.benchmark is not None for p in points),
        "flagged": [p for p in points if p.flag],
        "breadcrumbs": breadcrumbs(
            ("KPI scorecard", _url("scorecard", quarter)),
            (
                indicator.directorate.name,
                _url("directorate", quarter, slug=indicator.directorate.slug),
            ),
            (indicator.title, None),
        ),
    }
    return render(request, "kpis/indicator_detail.html", context)


# Home page panel ------------------------------------------------------------------------


def home_panel(request, quarter: Quarter) -> str | None:
    """KPI summary for the council overview: G/A/R counts and the change in Green."""
    if not request.user.has_perm(VIEW_ALL):
        return None
    stage = quarter_stage(request, quarter)

    def render_panel() -> str:
        card = Kpi.objects.visible_to(request.user).scorecard(
            quarter, trend_quarters=2, stage=stage
        )
        if not card.rows:
            return ""
        context = {
            "quarter": quarter,
            "summary": card.summary(),
            "scorecard_url": _url("scorecard", quarter),
            "summary_url": _url("summary", quarter),
        }
        return render_to_string("kpis/_home_panel.html", context)

    # The G/A/R counts come from the figure cache: the scorecard is built once per version.
    panel = figure_cache.fragment(
        "kpi-home", (str(quarter), stage), ("kpis", "kccperf"), render_panel
    )
    return panel or None
