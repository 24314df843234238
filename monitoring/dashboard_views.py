"""CMT's outcome dashboards: every figure of the SDP monitoring report with the previous
quarter beside it, charts with tables, the per-activity summary table and the analysis."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_tables2 import RequestConfig

from kccperf import figure_cache, page_cache
from kccperf.counting import counting_statement
from kccperf.models import Outcome
from kccperf.navigation import Crumb, breadcrumbs
from kccperf.output.conventions import About
from kccperf.output.csv import csv_response
from kccperf.output.permissions import can_export
from kccperf.output.tables import EXPORT_FORMATS, requested_export, table_export
from kccperf.page_period import page_quarter, quarter_stage
from kccperf.periods import Quarter
from kccperf.text_limits import CharacterCountTextarea, limit
from kccperf.versioning import (
    OUT_OF_DATE,
    StaleEditError,
    VersionedForm,
    at_version,
    stale_context,
)
from monitoring import analysis, charts, figures, progress, services
from monitoring.changes import changes_for
from monitoring.models import Activity, AnalysisText
from monitoring.tables import SummaryTable

VIEW_ALL = "kccperf.view_all"
MANAGE = "monitoring.manage_monitoring"

# Sections of the analysis, each a heading and a table of its figures.
SECTIONS = [
    ("submissions", "1. Submissions", ["responses"]),
    ("delivery", "2. Delivery", ["delivery", "due_this_year", "not_on_track_type"]),
    ("milestones", "3. Milestones and revised dates", ["milestones", "revised_dates"]),
    ("issues", "4. Issues", ["issues", "issue_count"]),
    ("mitigation", "5. Mitigating actions or escalations", ["mitigation"]),
    ("governance", "6. Governance", ["governance_reported", "governance_expected"]),
    ("risk", "7. Risk registers", ["risk_register"]),
]


class AnalysisTextForm(VersionedForm):
    versioned_what = "analysis"

    text = forms.CharField(
        label="Analysis",
        help_text="Paragraphs separated by a blank line. CMT reads this text once saved.",
        widget=CharacterCountTextarea(attrs={"rows": 24}),
        max_length=limit(AnalysisText, "text"),
        error_messages={"required": "Enter the analysis, or discard the edits to use the draft"},
    )


def _card(d: figures.Dashboard, f: figures.Figure) -> dict:
    return {"figure": f, "change": f.change(d.previous_label) if d.has_previous else ""}


def _scope(outcome: Outcome | None) -> str:
    return f"Strategic Outcome {outcome.number}" if outcome else "the council"


def _dashboard_url(outcome: Outcome | None, quarter: Quarter) -> str:
    if outcome is None:
        return reverse("monitoring:council-dashboard", kwargs={"period": quarter})
    return reverse(
        "monitoring:outcome-dashboard", kwargs={"outcome": outcome.number, "period": quarter}
    )


def _index_crumb(quarter: Quarter) -> Crumb:
    """The link to the quarter's index of dashboards."""
    return "Outcome dashboards", reverse("monitoring:dashboard-index", kwargs={"period": quarter})


def _dashboard_label(outcome: Outcome | None) -> str:
    """The dashboard's name in a breadcrumb trail."""
    return f"Outcome {outcome.number}" if outcome else "Council-wide"


def _analysis_url(outcome: Outcome | None, quarter: Quarter) -> str:
    if outcome is None:
        return reverse("monitoring:council-analysis-edit", kwargs={"period": quarter})
    return reverse(
        "monitoring:analysis-edit", kwargs={"outcome": outcome.number, "period": quarter}
    )


def _saved_analysis(outcome: Outcome | None, quarter: Quarter) -> AnalysisText | None:
    return (
        AnalysisText.objects.filter(period__start=quarter.start, outcome=outcome)
        .select_related("updated_by")
        .first()
    )


def _figure_rows(d: figures.Dashboard, sections: list[str]) -> list[dict]:
    label = d.previous_label
    return [
        {"figure": f, "change": f.change(label) if d.has_previous else ""}
        for section in sections
        for f in d.section(section)
    ]


def figures_csv(d: figures.Dashboard, about: About) -> HttpResponse:
    """One row per figure: key, label, count, base, percentage, previous quarter's count."""
    headers = ["key", "label", "count", "base", "percentage", "previous_count", "previous_base"]
    rows = [
        [f.key, f.label, f.count, f.base, f.percentage, f.previous, f.previous_base]
        for f in d.figures
    ]
    if d.like_for_like:  # a collecting quarter: what the comparison counts, and why
        headers += ["compared_count", "comparison"]
        for row, f in zip(rows, d.figures, strict=True):
            row += [f.compared, f.withheld or d.comparison_note]
    return csv_response(headers, rows, about)


def _dashboard(request: HttpRequest, quarter: Quarter, outcome: Outcome | None) -> HttpResponse:
    if not request.GET.get("_export"):
        return _dashboard_page(request, quarter, outcome)
    number = outcome.number if outcome else None
    visible = Activity.objects.visible_to(request.user)
    d = figures.dashboard(quarter, number, visible, quarter_stage(request, quarter))
    stem = f"sdp-outcome-{number}" if outcome else "sdp-council"
    export = requested_export(request, ("figures", *EXPORT_FORMATS))
    scope = "Council-wide" if outcome is None else f"Strategic Outcome {outcome.number}"
    if export == "figures":
        about = About(f"{stem}-figures", "SDP outcome dashboard figures", quarter, scope)
        return figures_csv(d, about)
    table = _summary_table(request, d, _scope(outcome))
    if export:
        about = About(f"{stem}-summary", "SDP activity summary", quarter, scope)
        return table_export(table, export, about, title=f"SDP summary {quarter.slug}")
    return _dashboard_page(request, quarter, outcome)


def _dashboard_page(
    request: HttpRequest, quarter: Quarter, outcome: Outcome | None
) -> HttpResponse:
    """The dashboard page: its content rendered once per version of the data it reads
    (kccperf.figure_cache), the rest of the page (period bar, who is signed in) per request."""
    stage = quarter_stage(request, quarter)
    flags = (request.user.has_perm(MANAGE), can_export(request.user))

    def render_content() -> str:
        visible = Activity.objects.visible_to(request.user)
        number = outcome.number if outcome else None
        d = figures.dashboard(quarter, number, visible, stage)
        table = _summary_table(request, d, _scope(outcome))
        context = _dashboard_context(request, d, outcome, table, visible)
        return render_to_string("monitoring/_dashboard_content.html", context, request=request)

    content = figure_cache.fragment(
        "sdp-dashboard",
        (request.get_full_path(), str(quarter), stage, flags),
        ("monitoring", "kccperf"),
        render_content,
    )
    context = {
        "quarter": quarter,
        "outcome": outcome,
        "content": content,
        "breadcrumbs": breadcrumbs(_index_crumb(quarter), _dashboard_label(outcome)),
    }
    return render(request, "monitoring/dashboard.html", context)


SUMMARY_PAGE_ROWS = 100


def _summary_table(request: HttpRequest, d: figures.Dashboard, scope: str) -> SummaryTable:
    """The per-activity summary, in pages of 100 rows (the council has 79 activities;
    synthetic data many more); the exports hold every row."""
    table = SummaryTable(
        d.summary,
        quarter=d.quarter,
        caption=f"Summary of each activity, {scope}, {d.quarter.label}",
    )
    RequestConfig(request, paginate=False).configure(table)  # ?sort= only
    # 100 rows a page whatever the URL says (?per_page=-1 broke the paginator); any ?page=
    # that is not a page number shows the nearest page (Django's Paginator.get_page).
    table.paginate(per_page=SUMMARY_PAGE_ROWS)
    table.page = table.paginator.get_page(request.GET.get(table.prefixed_page_field))
    return table


def _dashboard_context(
    request: HttpRequest,
    d: figures.Dashboard,
    outcome: Outcome | None,
    table: SummaryTable,
    visible: QuerySet[Activity],
) -> dict[str, Any]:
    """The dashboard page: headline cards, sections of figures, charts, the summary table
    and the analysis (the saved text, else the draft generated from the figures)."""
    quarter, scope = d.quarter, _scope(outcome)
    saved = _saved_analysis(outcome, quarter)
    what_changed = _what_changed(d, request.GET.get("changed")) if outcome is not None else None
    trend = figures.delivery_trend(outcome.number if outcome else None, visible)
    base = _dashboard_url(outcome, quarter)
    return {
        "quarter": quarter,
        "outcome": outcome,
        "scope": scope,
        "d": d,
        "overview": [_card(d, f) for f in figures.overview_figures(d)],
        # "14 submitted, 12 signed off": where the returns stand, and what the figures count.
        "states": progress.sign_off_counts(quarter, visible.for_outcome(outcome)),
        "counting": counting_statement(),
        "sections": [
            {"id": sid, "title": title, "rows": _figure_rows(d, names)}
            for sid, title, names in SECTIONS
        ],
        "table": table,
        "charts": {
            "delivery": charts.delivery_chart(d),
            "themes": charts.issue_themes_chart(d),
            "trend": charts.trend_chart(trend),
        },
        "what_changed": what_changed,
        "saved_analysis": saved,
        "analysis_text": saved.text if saved else analysis.draft(d, scope),
        "can_edit_analysis": request.user.has_perm(MANAGE),
        "analysis_url": _analysis_url(outcome, quarter),
        "can_print_scorecards": outcome is not None and can_export(request.user),
        "can_export": can_export(request.user),
        "export_urls": {
            "figures": f"{base}?_export=figures",
            "csv": f"{base}?_export=csv",
            "xlsx": f"{base}?_export=xlsx",
        },
        "breadcrumbs": breadcrumbs(_index_crumb(quarter), _dashboard_label(outcome)),
    }


# "What changed" lists the changed activities 20 at a time (each with its changes, about
# 1.5 KB of HTML: every changed activity of a large outcome made the page 180 KB heavier).
WHAT_CHANGED_PAGE = 20


def _what_changed(d: figures.Dashboard, page_number: str | None = None) -> dict[str, Any]:
    """The outcome's activities whose delivery status or dates changed since the previous
    quarter's return, each with those changes, 20 a page (``?changed=<page>``; three queries,
    whatever the number)."""
    activities = [row.activity for row in d.summary]
    changes = changes_for([a.pk for a in activities], d.quarter)
    changed, first = [], []
    for activity in activities:
        c = changes[activity.pk]
        if c.current is None:
            continue
        if c.previous is None:
            first.append(activity)
        elif c.status_or_dates_changed:
            changed.append({"activity": activity, "changes": c})
    page = Paginator(changed, WHAT_CHANGED_PAGE).get_page(page_number)
    return {
        "previous": d.quarter.previous(),
        "changed": changed,
        "page": page,
        "page_numbers": list(page.paginator.get_elided_page_range(page.number))
        if page.paginator.num_pages > 1
        else [],
        "compared": sum(1 for c in changes.values() if c.comparable),
        "first": first,
    }


# /dashboards/ ----------------------------------------------------------------------------


@permission_required(VIEW_ALL, raise_exception=True)
def dashboard_index(request, period: Quarter | None = None) -> HttpResponse:
    """Each outcome and the council with their headline figures for the quarter.

    Loads the whole council once and splits it by outcome: the same queries as one
    dashboard, whatever the number of outcomes.
    """
    quarter = page_quarter(request, period)
    stage = quarter_stage(request, quarter)

    def render_content() -> str:
        return render_to_string(
            "monitoring/_dashboard_index_content.html",
            _index_context(request, quarter, stage),
            request=request,
        )

    content = figure_cache.fragment(
        "sdp-dashboard-index",
        (str(quarter), stage),
        ("monitoring", "kccperf"),
        render_content,
    )
    context = {
        "quarter": quarter,
        "content": content,
        "breadcrumbs": breadcrumbs("Outcome dashboards"),
    }
    return render(request, "monitoring/dashboard_index.html", context)


def _index_context(request: HttpRequest, quarter: Quarter, stage) -> dict[str, Any]:
    """Each outcome's and the council's headline figures (the whole council loaded once)."""
    loaded = figures.load(quarter, activities=Activity.objects.visible_to(request.user))
    outcomes = list(Outcome.objects.order_by("number"))
    cards = []
    for outcome in outcomes:
        rows = [r for r in loaded.rows if r.activity.outcome == outcome.number]
        cards.append(
            {
                "title": f"Outcome {outcome.number}: {outcome.title}",
                "url": _dashboard_url(outcome, quarter),
                "d": figures.compute(rows, quarter, loaded.theme_labels, stage),
            }
        )
    council = figures.compute(loaded.rows, quarter, loaded.theme_labels, stage)
    cards.append(
        {
            "title": "Council-wide: all outcomes",
            "url": _dashboard_url(None, quarter),
            "d": council,
        }
    )
    headline_keys = [
        "responses.submitted",
        "delivery.on_track",
        "delivery.remedial",
        "delivery.unlikely",
    ]
    for card in cards:
        d = card["d"]
        card["figures"] = [_card(d, d[k]) for k in headline_keys]
    return {"quarter": quarter, "cards": cards, "council_note": council.comparison_note}


@permission_required(VIEW_ALL, raise_exception=True)
@page_cache.per_person
def outcome_dashboard(request, outcome: int, period: Quarter | None = None) -> HttpResponse:
    outcome_obj = Outcome.objects.numbered_or_404(outcome)
    return _dashboard(request, page_quarter(request, period), outcome_obj)


@permission_required(VIEW_ALL, raise_exception=True)
@page_cache.per_person
def council_dashboard(request, period: Quarter | None = None) -> HttpResponse:
    return _dashboard(request, page_quarter(request, period), None)


# /dashboards/.../analysis/ ------------------------------------------------------------------


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def analysis_edit(request, period: Quarter, outcome: int | None = None) -> HttpResponse:
    """An analyst edits the analysis (starting from the generated draft) and saves it; or
    discards the edits to go back to the draft generated from the figures."""
    if not request.user.has_perm(VIEW_ALL):
        raise PermissionDenied
    outcome_obj = Outcome.objects.numbered_or_404(outcome) if outcome is not None else None
    scope = _scope(outcome_obj)
    saved = _saved_analysis(outcome_obj, period)
    stage = quarter_stage(request, period)
    # The draft written from the figures is the same for every analyst: computed once per
    # version of the returns (plain text: the template escapes it).
    draft = figure_cache.value(
        "sdp-analysis-draft",
        (str(period), outcome, stage),
        ("monitoring", "kccperf"),
        lambda: analysis.draft(figures.dashboard(period, outcome, stage=stage), scope),
    )
    back = _dashboard_url(outcome_obj, period)
    if request.method == "POST":
        posted = _post_analysis(request, period, outcome_obj, saved, back)
        if isinstance(posted, HttpResponse):
            return posted
        form = posted
    else:
        form = AnalysisTextForm(
            initial={"text": saved.text if saved else draft}, version=saved.version if saved else 0
        )
    context = {
        "quarter": period,
        "outcome": outcome_obj,
        "scope": scope,
        "form": form,
        "saved": saved,
        "draft": draft,
        "back_url": back,
        "stale": getattr(form, "stale", None),
        "breadcrumbs": breadcrumbs(
            _index_crumb(period), (_dashboard_label(outcome_obj), back), "Edit analysis"
        ),
    }
    status = 409 if context["stale"] else 200
    return render(request, "monitoring/analysis_form.html", context, status=status)


def _post_analysis(
    request: HttpRequest,
    period: Quarter,
    outcome: Outcome | None,
    saved: AnalysisText | None,
    back: str,
) -> HttpResponse | AnalysisTextForm:
    """Discard the saved analysis or save the posted text: a redirect to the dashboard once
    done, else the bound form with its errors."""
    if request.POST.get("action") == "reset":
        try:
            base_version = int(request.POST.get("version", ""))
        except ValueError:
            raise BadRequest(OUT_OF_DATE.format(what="analysis")) from None
        try:
            services.discard_analysis(period, outcome, base_version)
        except StaleEditError as exc:
            current = _saved_analysis(outcome, period)
            form = AnalysisTextForm(
                initial={"text": current.text if current else ""}, version=exc.current_version
            )
            form.stale = stale_context(exc)  # type: ignore[attr-defined]
            return form
        messages.success(request, "The edited analysis was discarded: CMT reads the draft.")
        return redirect(back)
    form = AnalysisTextForm(request.POST)
    if not form.is_valid():
        return form
    try:
        services.save_analysis(
            period, outcome, form.cleaned_data["text"], request.user, form.base_version
        )
    except StaleEditError as exc:
        form = AnalysisTextForm(at_version(request.POST, exc.current_version))
        form.is_valid()
        form.stale = stale_context(exc)  # type: ignore[attr-defined]
        return form
    messages.success(request, "The analysis was saved and is what CMT now reads.")
    return redirect(f"{back}#analysis")
