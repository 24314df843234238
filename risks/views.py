from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_tables2 import RequestConfig

from kccperf import figure_cache, page_cache
from kccperf.navigation import Crumb, breadcrumbs
from kccperf.output import permissions as output_permissions
from kccperf.output.conventions import About
from kccperf.output.pdf import page_pdf
from kccperf.output.tables import requested_export, table_export
from kccperf.output.text import clean_text
from kccperf.page_period import page_quarter
from kccperf.periods import Quarter
from kccperf.versioning import StaleEditError, at_version, stale_context
from risks import overview as ov
from risks.charts import ScorePoint, score_history_chart
from risks.filters import RiskFilter
from risks.forms import (
    ActionForm,
    ActionUpdateForm,
    RefreshForm,
    RefreshLineForm,
    RemoveRiskForm,
    RiskForm,
)
from risks.models import (
    MitigatingAction,
    Risk,
    RiskLevelBand,
    RiskRefresh,
    RiskRefreshEntry,
    ScaleLabel,
    can_read_register,
)
from risks.register import LatestRefreshes, latest_refreshes, register_rows
from risks.scoring import SCORE_FIELDS, Band, Position, band_for, risk_level
from risks.services import (
    DuplicateRefreshError,
    RefreshLine,
    add_action_update,
    record_refresh,
    register_version,
    remove_risk,
    save_action,
    save_risk,
)
from risks.tables import RiskTable


def can_export(user) -> bool:
    return output_permissions.can_export(user, "risks")


def register_reader(view):
    """CMT and analysts (kccperf.view_all) and risk managers (risks.view_risk) read."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_read_register(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _crumbs(*trail: Crumb | str) -> list[dict[str, str | None]]:
    """Home › Risk register › ``trail``."""
    return breadcrumbs(("Risk register", reverse("risks:register")), *trail)


def _risk_crumbs(risk: Risk, page: str) -> list[dict[str, str | None]]:
    """Home › Risk register › CRR0001 › ``page``."""
    return _crumbs((risk.ref, risk.get_absolute_url()), page)


def _get_risk(request, ref: str) -> Risk:
    return get_object_or_404(Risk.objects.visible_to(request.user), ref=ref)


def _edit_perms(user) -> dict[str, bool]:
    return {
        "can_add": user.has_perm("risks.add_risk"),
        "can_change": user.has_perm("risks.change_risk"),
        "can_refresh": user.has_perm("risks.record_refresh"),
        "can_update_action": user.has_perm("risks.update_action"),
    }


# /risks/ ---------------------------------------------------------------------------------


@register_reader
def register(request) -> HttpResponse:
    """Every open risk with its current and target score and level and its direction of
    travel between the last two refreshes; filters; CSV/XLSX export of the same table."""
    export_format = requested_export(request, area="risks")  # 400 unknown, 403 by the rule
    if export_format:
        bands = RiskLevelBand.objects.as_bands()
        refreshes = latest_refreshes()
        table = _register_table(request, _register_filter(request, bands), bands, refreshes)
        return _register_export(request, table, export_format, refreshes.latest)
    perms = {**_edit_perms(request.user), "can_export": can_export(request.user)}

    def render_content() -> str:
        bands = RiskLevelBand.objects.as_bands()
        filterset = _register_filter(request, bands)
        refreshes = latest_refreshes()
        table = _register_table(request, filterset, bands, refreshes)
        # 50 risks a page (the council has about 20; synthetic data many more); the exports
        # hold every row.
        table.paginate(per_page=REGISTER_PAGE_ROWS)
        table.page = table.paginator.get_page(request.GET.get(table.prefixed_page_field))
        context = {
            "table": table,
            "filter": filterset,
            "latest": refreshes.latest,
            "previous": refreshes.previous,
            "bands": bands,
            **perms,
        }
        return render_to_string("risks/_register_content.html", context, request=request)

    content = figure_cache.fragment(
        "risk-register",
        (request.get_full_path(), sorted(perms.items())),
        ("risks", "kccperf"),
        render_content,
    )
    context = {"content": content, "breadcrumbs": breadcrumbs("Risk register")}
    return render(request, "risks/register.html", context)


REGISTER_PAGE_ROWS = 50


def _register_filter(request, bands: list[Band]) -> RiskFilter:
    risks = Risk.objects.visible_to(request.user).open()
    owners = sorted(set(risks.values_list("owner_name", flat=True)))
    return RiskFilter(request.GET or None, queryset=risks, bands=bands, owners=owners)


def _register_table(
    request, filterset: RiskFilter, bands: list[Band], refreshes: LatestRefreshes
) -> RiskTable:
    risks = filterset.qs if filterset.is_bound else filterset.queryset
    rows = register_rows(risks.order_by("ref"), bands, refreshes)
    table = RiskTable(rows)
    table.caption = f"Open risks ({len(rows)})"
    RequestConfig(request, paginate=False).configure(table)
    return table


def _register_export(
    request, table: RiskTable, export_format: str, latest: RiskRefresh | None
) -> HttpResponse:
    if not can_export(request.user):
        raise PermissionDenied
    # The register as of its latest refresh: that refresh's quarter names the file.
    quarter = Quarter.containing(latest.date) if latest else None
    scope = f"Open risks at the {latest.label} refresh" if latest else "Open risks"
    about = About("risk-register", "Corporate risk register", quarter, scope)
    return table_export(table, export_format, about, title="Corporate risk register")


# /risks/overview/ ------------------------------------------------------------------------


def _refresh_for(request, period: Quarter | None, pk: int | None) -> RiskRefresh | None:
    if pk is not None:
        return get_object_or_404(RiskRefresh.objects.select_related("period"), pk=pk)
    quarter = page_quarter(request, period)
    return RiskRefresh.objects.select_related("period").for_quarter(quarter)


@register_reader
def overview(request, period: Quarter | None = None, pk: int | None = None) -> HttpResponse:
    """The QPR's overview of a refresh: levels now vs target, what changed since the previous
    refresh, and the mitigating actions table with the updates per risk (50 risks a page; the
    PDF holds them all). The content is rendered once per version of the register's data
    (kccperf.figure_cache), the page around it per request."""
    refresh = _refresh_for(request, period, pk)
    export = requested_export(request, ("pdf",), area="risks")  # 400 unknown, 403 by the rule
    # The content's one flag (a download link): part of its key.
    perms = {"can_export": can_export(request.user)}
    context = {
        "refresh": refresh,
        "quarter": page_quarter(request, period),
        "breadcrumbs": _crumbs("Overview"),
        "can_refresh": request.user.has_perm("risks.record_refresh"),
        **perms,
    }
    if export == "pdf":
        if refresh is None:
            raise Http404("No refresh of the register to print")
        context["content"] = _overview_content(refresh, perms, page=None)
        name = f"risk-overview-{refresh.date:%Y-%m-%d}.pdf"
        return page_pdf(request, "risks/overview.html", context, name)
    if refresh is not None:
        page = request.GET.get("page", "")
        context["content"] = figure_cache.fragment(
            "risk-overview",
            (refresh.pk, page, sorted(perms.items())),
            ("risks", "kccperf"),
            lambda: _overview_content(refresh, perms, page=page),
        )
    return render(request, "risks/overview.html", context)


# Risks a page in the overview's "actions and updates by risk" (the council has about 20).
OVERVIEW_PAGE_RISKS = 50


def _overview_content(refresh: RiskRefresh, perms: dict[str, bool], *, page: str | None) -> str:
    """The overview's content for ``refresh``: with ``page`` (the ``?page=`` asked for), that
    page of the actions by risk; with None (the PDF), every risk's."""
    overview = ov.overview_for(refresh)
    actions_page = None
    actions_by_risk = overview.actions_by_risk
    if page is not None:
        actions_page = Paginator(actions_by_risk, OVERVIEW_PAGE_RISKS).get_page(page)
        actions_by_risk = list(actions_page.object_list)
    context = {
        "refresh": refresh,
        "overview": overview,
        "refreshes": RiskRefresh.objects.order_by("-date"),
        "action_columns": ov.ACTION_COLUMNS,
        "actions_by_risk": actions_by_risk,
        "actions_page": actions_page,
        **perms,
    }
    # Without the request: the content needs no context processor (and may hold nothing
    # of the reader's beyond the flags in its key).
    return render_to_string("risks/_overview_content.html", context)


# /risks/heatmaps/ ------------------------------------------------------------------------


@register_reader
def heatmap(request, period: Quarter | None = None) -> HttpResponse:
    """5×5 grids of the current and target positions at the period's refresh (or of the live
    register if no refresh has been recorded yet). The grids are rendered once per version of
    the register's data (kccperf.figure_cache)."""
    refresh = _refresh_for(request, period, None)
    quarter = page_quarter(request, period)

    def render_content() -> str:
        bands = RiskLevelBand.objects.as_bands()
        labels = ScaleLabel.labels()
        positions = _heat_positions(request, refresh)
        context = {
            "refresh": refresh,
            "quarter": quarter,
            "grids": [
                {
                    "id": "current",
                    "title": "Current risk levels",
                    "rows": ov.heat_map(
                        [(risk, p.current_likelihood, p.current_impact) for risk, p in positions],
                        bands,
                        labels,
                    ),
                },
                {
                    "id": "target",
                    "title": "Target risk levels",
                    "rows": ov.heat_map(
                        [(risk, p.target_likelihood, p.target_impact) for risk, p in positions],
                        bands,
                        labels,
                    ),
                },
            ],
            "impact_labels": [(n, labels["impact"].get(n, "")) for n in range(1, 6)],
            "bands": bands,
            "count": len(positions),
        }
        return render_to_string("risks/_heatmap_content.html", context)

    content = figure_cache.fragment(
        "risk-heatmap",
        (refresh.pk if refresh else None, str(quarter)),
        ("risks", "kccperf"),
        render_content,
    )
    context = {
        "refresh": refresh,
        "content": content,
        "breadcrumbs": _crumbs("Heat maps"),
    }
    return render(request, "risks/heatmap.html", context)


def _heat_positions(request, refresh: RiskRefresh | None) -> list[tuple[Risk, Position]]:
    """Each risk with its position at ``refresh``, or every open risk now if there is none."""
    if refresh is None:
        risks = Risk.objects.visible_to(request.user).open().order_by("ref")
        return [(risk, risk.position) for risk in risks]
    entries = (
        RiskRefreshEntry.objects.filter(refresh=refresh)
        .select_related("risk")
        .order_by("risk__ref")
    )
    return [(entry.risk, entry.position) for entry in entries]


# /risks/CRR0001/ -------------------------------------------------------------------------


@register_reader
def risk_detail(request, ref: str) -> HttpResponse:
    """A risk: scores, details, score history chart and table, actions with their updates,
    links and history. The content is rendered once per version of the data it reads and the
    reader's edit flags (kccperf.figure_cache); the page around it per request."""
    risk = get_object_or_404(
        Risk.objects.visible_to(request.user)
        .only("pk", "ref", "title")
        .annotate(has_history=Exists(RiskRefreshEntry.objects.filter(risk=OuterRef("pk")))),
        ref=ref,
    )
    perms = _edit_perms(request.user)

    def render_content() -> str:
        return render_to_string("risks/_risk_detail_content.html", _detail_context(request, ref))

    content = figure_cache.fragment(
        "risk-detail",
        (risk.pk, sorted(perms.items())),
        # Linked SDP activities and KPIs are printed by name.
        ("risks", "kccperf", "monitoring", "kpis"),
        render_content,
    )
    context = {
        "risk": risk,
        "content": content,
        "has_chart": risk.has_history,
        "breadcrumbs": _crumbs(risk.ref),
    }
    return render(request, "risks/risk_detail.html", context)


def _detail_context(request, ref: str) -> dict:
    risk = _risk_for_detail(request, ref)
    bands = RiskLevelBand.objects.as_bands()
    labels = ScaleLabel.labels()
    series = _score_history(risk, bands)
    return {
        "risk": risk,
        "current_band": band_for(risk.current_score, bands),
        "target_band": band_for(risk.target_score, bands),
        "scale": {
            "cl": labels["likelihood"].get(risk.current_likelihood, ""),
            "ci": labels["impact"].get(risk.current_impact, ""),
            "tl": labels["likelihood"].get(risk.target_likelihood, ""),
            "ti": labels["impact"].get(risk.target_impact, ""),
        },
        "chart": score_history_chart(series, bands, chart_id="score-history") if series else None,
        "linked_activities": list(risk.activities.all()),
        "linked_kpis": list(risk.kpis.all()),
        **_edit_perms(request.user),
    }


def _risk_for_detail(request, ref: str) -> Risk:
    actions = MitigatingAction.objects.prefetch_related("updates__by")
    return get_object_or_404(
        Risk.objects.visible_to(request.user)
        .select_related("category", "cabinet_member", "owner_user")
        .prefetch_related("directorates", Prefetch("actions", queryset=actions), "history__by"),
        ref=ref,
    )


def _score_history(risk: Risk, bands: list[Band]) -> list[ScorePoint]:
    entries = risk.refresh_entries.select_related("refresh").order_by("refresh__date")
    return [
        ScorePoint(
            e.refresh.label,
            e.current_score,
            risk_level(e.current_score, bands),
            e.target_score,
            risk_level(e.target_score, bands),
            e.reason,
        )
        for e in entries
    ]


@permission_required("risks.add_risk", raise_exception=True)
@require_http_methods(["GET", "POST"])
def risk_create(request) -> HttpResponse:
    form = RiskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        risk = save_risk(form, request.user)
        messages.success(request, f"Risk {risk.ref} added to the register.")
        return redirect(risk)
    context = {
        "form": form,
        "creating": True,
        "breadcrumbs": _crumbs("New risk"),
    }
    return render(request, "risks/risk_form.html", context)


@permission_required("risks.change_risk", raise_exception=True)
@require_http_methods(["GET", "POST"])
def risk_edit(request, ref: str) -> HttpResponse:
    risk = _get_risk(request, ref)
    form = RiskForm(request.POST or None, instance=risk)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            save_risk(form, request.user)
        except StaleEditError as exc:
            stale = stale_context(exc)
            risk = _get_risk(request, ref)
            form = RiskForm(at_version(request.POST, exc.current_version), instance=risk)
        else:
            messages.success(request, f"Risk {risk.ref} saved.")
            return redirect(risk)
    context = {
        "form": form,
        "risk": risk,
        "creating": False,
        "stale": stale,
        "breadcrumbs": _risk_crumbs(risk, "Edit"),
    }
    return render(request, "risks/risk_form.html", context, status=409 if stale else 200)


@permission_required("risks.change_risk", raise_exception=True)
@require_http_methods(["GET", "POST"])
def risk_remove(request, ref: str) -> HttpResponse:
    risk = _get_risk(request, ref)
    if not risk.is_open:
        messages.info(request, f"{risk.ref} was already removed.")
        return redirect(risk)
    form = RemoveRiskForm(request.POST or None, initial={"removed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        remove_risk(
            risk, form.cleaned_data["removed_on"], form.cleaned_data["reason"], request.user
        )
        messages.success(request, f"Risk {risk.ref} removed from the register.")
        return redirect(risk)
    context = {
        "form": form,
        "risk": risk,
        "breadcrumbs": _risk_crumbs(risk, "Remove"),
    }
    return render(request, "risks/risk_remove.html", context)


# /risks/refreshes/new/ -------------------------------------------------------------------

# The open risks listed to pick from, a page at a time (the form holds fields only for the
# risks picked, so its size does not grow with the register).
REFRESH_LIST_ROWS = 50
# The refresh form's buttons that change only what the form shows: nothing is saved, what
# has been typed is kept. A post with none of them records the refresh.
REFRESH_STEPS = ("update", "unpick", "goto", "find", "show_all")


@dataclass(frozen=True)
class RefreshListRow:
    """One open risk in the list to pick from: its scores as text."""

    risk: Risk
    current_level: str | None
    target_level: str | None
    picked: bool


@permission_required("risks.record_refresh", raise_exception=True)
@require_http_methods(["GET", "POST"])
@page_cache.per_person
def refresh_record(request) -> HttpResponse:
    """Record a quarterly refresh. The risk manager picks, from a paged list of the open risks
    (reference, title, scores as text), the risks whose scores changed and enters the new
    scores and the reason for those only; every other open risk is recorded at its current
    scores. Picking, paging and finding are buttons of the one form, so it works without
    JavaScript and keeps what has been typed; "Record the refresh" saves the whole refresh in
    one transaction (services.record_refresh, carrying the other risks forward), or nothing."""
    post = request.POST if request.method == "POST" else None
    source = post if post is not None else request.GET
    recording = post is not None and not any(name in post for name in REFRESH_STEPS)
    picked = _picked_refs(source)
    version = register_version()
    if recording:
        header = RefreshForm(post, version=version)
    elif post is not None:
        # Showing the form again: what was typed, not yet checked; the version it was read at.
        typed = {name: post.get(name, "") for name in ("date", "label")}
        header = RefreshForm(initial=typed, version=_int_or(post.get("version"), version))
    else:
        header = RefreshForm(initial=_next_refresh_initial(request), version=version)
    labels = ScaleLabel.labels() if picked else {}
    risks = Risk.objects.open().filter(ref__in=picked).order_by("ref") if picked else []
    lines = [_refresh_line(risk, post, labels, bound=recording) for risk in risks]
    waiting = [line for line in lines if not line.is_bound]
    stale = None
    if recording and not waiting and all([form.is_valid() for form in [header, *lines]]):
        # Counted before saving: the service moves the risks' scores.
        changed = sum(1 for line in lines if line.position() != line.risk.position)
        try:
            refresh = record_refresh(
                header.cleaned_data["date"],
                header.cleaned_data["label"],
                [
                    RefreshLine(line.risk, line.position(), line.cleaned_data["reason"])
                    for line in lines
                ],
                request.user,
                base_version=header.base_version,
                carry_forward=True,
            )
        except StaleEditError as exc:
            # Someone recorded a refresh or changed a risk meanwhile (two refreshes sent at
            # once end here too): the scores shown may be out of date, the input is kept.
            stale = stale_context(exc)
            header = RefreshForm(at_version(post, exc.current_version))
            header.is_valid()
        except DuplicateRefreshError as exc:
            header.add_error("date", str(exc))
        else:
            messages.success(
                request,
                f"Refresh {refresh.label} recorded for {refresh.entries.count()} risks "
                f"({changed} with changed scores).",
            )
            return redirect("risks:overview-refresh", pk=refresh.pk)
    errors = _field_errors([header]) if recording else []
    if recording:
        errors += [error for line in lines for error in _line_errors(line)]
    # Typed text goes into SQL: without the characters PostgreSQL cannot hold (a NUL).
    query = "" if "show_all" in source else clean_text(source.get("q", "")).strip()
    listed = _refresh_list(source, query, set(picked))
    context = {
        "header": header,
        "lines": lines,
        "listed": listed,
        "query": query,
        "carried": (listed.paginator.count if not query else Risk.objects.open().count())
        - len(lines),
        # The picks of other pages of the list travel with the form.
        "hidden_picks": sorted(
            {line.risk.ref for line in lines} - {row.risk.ref for row in listed.object_list}
        ),
        "stale": stale,
        "errors": errors,
        "breadcrumbs": _crumbs("Record a refresh"),
    }
    return render(request, "risks/refresh_form.html", context, status=409 if stale else 200)


def _int_or(value: str | None, default: int) -> int:
    try:
        return int(value or "")
    except ValueError:
        return default


def _picked_refs(source) -> list[str]:
    """The references of the risks picked for new scores (ticked in the list, or kept from
    other pages), less the one whose "keep its scores" button was pressed."""
    refs = {clean_text(ref).strip().upper() for ref in source.getlist("changing")}
    refs = sorted(ref for ref in refs if ref)
    return [ref for ref in refs if ref != source.get("unpick")]


def _refresh_line(risk: Risk, post, labels: dict, *, bound: bool) -> RefreshLineForm:
    """The picked risk's fields: bound to the post when recording; otherwise what was typed
    (or the risk's current scores, when just picked), not yet checked. A line picked but not
    yet shown with its fields stays unbound: its scores were never entered."""
    typed = post is not None and f"{risk.ref}-{SCORE_FIELDS[0]}" in post
    if typed and bound:
        return RefreshLineForm(post, risk=risk, labels=labels)
    if typed:
        names = [*SCORE_FIELDS, "reason"]
        initial = {name: post.get(f"{risk.ref}-{name}", "") for name in names}
        return RefreshLineForm(risk=risk, labels=labels, initial=initial)
    return RefreshLineForm(risk=risk, labels=labels)


def _line_errors(line: RefreshLineForm) -> list[tuple[str, str]]:
    """(field id, message) for the error summary of one picked risk, each naming it."""
    ref = line.risk.ref
    first = line[SCORE_FIELDS[0]].id_for_label
    if not line.is_bound:
        return [
            (
                first,
                f"{ref}: enter its new scores and the reason for the change (it was ticked "
                "but its scores were not in the form yet), or keep its scores",
            )
        ]
    errors = [(first, f"{ref}: {error}") for error in line.non_field_errors()]
    for field in line:
        for error in field.errors:
            named = error if error.startswith(ref) else f"{ref} {field.label.lower()}: {error}"
            errors.append((field.id_for_label, named))
    return errors


def _refresh_list(source, query: str, picked: set[str]):
    """The page of open risks to pick from (two queries: the count and the page)."""
    risks = Risk.objects.open().order_by("ref")
    if query:
        risks = risks.filter(
            Q(ref__icontains=query) | Q(title__icontains=query) | Q(owner_name__icontains=query)
        )
    # A new search (the Find button, or Enter in the box) starts at its first page.
    searched = "find" in source or query != source.get("shown_q", "").strip()
    searched = searched or "show_all" in source
    number = "1" if searched else source.get("goto") or source.get("page")
    page = Paginator(risks, REFRESH_LIST_ROWS).get_page(number)
    bands = RiskLevelBand.objects.as_bands()
    page.object_list = [
        RefreshListRow(
            risk,
            risk_level(risk.current_score, bands),
            risk_level(risk.target_score, bands),
            risk.ref in picked,
        )
        for risk in page.object_list
    ]
    return page


def _next_refresh_initial(request) -> dict:
    """Default to the quarter after the latest refresh (the one being reviewed next)."""
    latest = RiskRefresh.objects.order_by("-date").first()
    quarter = Quarter.containing(latest.date).next() if latest else page_quarter(request)
    return {"date": quarter.end, "label": quarter.label}


def _field_errors(forms: list) -> list[tuple[str, str]]:
    """(field id, "Label: message") for the error summary, in the order of the page."""
    return [
        (field.id_for_label, f"{field.label}: {error}")
        for form in forms
        for field in form
        for error in field.errors
    ]


# /risks/CRR0001/actions/ and /risks/actions/<pk>/ -----------------------------------------


@permission_required("risks.update_action", raise_exception=True)
@require_http_methods(["GET", "POST"])
def action_create(request, ref: str) -> HttpResponse:
    action = MitigatingAction(risk=_get_risk(request, ref))
    return _action_form_page(request, action, creating=True)


def _get_action(request, pk: int) -> MitigatingAction:
    if not can_read_register(request.user):
        raise Http404
    return get_object_or_404(MitigatingAction.objects.select_related("risk"), pk=pk)


@permission_required("risks.update_action", raise_exception=True)
@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int) -> HttpResponse:
    return _action_form_page(request, _get_action(request, pk), creating=False)


def _action_form_page(request, action: MitigatingAction, *, creating: bool) -> HttpResponse:
    """Add or edit a mitigating action of ``action.risk``."""
    risk = action.risk
    form = ActionForm(request.POST or None, instance=action)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            save_action(form, request.user)
        except StaleEditError as exc:
            stale = stale_context(exc)
            action = _get_action(request, action.pk)
            form = ActionForm(at_version(request.POST, exc.current_version), instance=action)
        else:
            messages.success(request, f"Mitigating action {'added' if creating else 'saved'}.")
            return redirect(f"{risk.get_absolute_url()}#actions")
    context = {
        "form": form,
        "risk": risk,
        "action": None if creating else action,
        "creating": creating,
        "stale": stale,
        "breadcrumbs": _risk_crumbs(risk, "New action" if creating else "Edit action"),
    }
    return render(request, "risks/action_form.html", context, status=409 if stale else 200)


@permission_required("risks.update_action", raise_exception=True)
@require_http_methods(["GET", "POST"])
def action_update(request, pk: int) -> HttpResponse:
    action = _get_action(request, pk)
    form = ActionUpdateForm(
        request.POST or None,
        initial={"date": timezone.localdate(), "status": action.status},
        version=action.version,
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            add_action_update(
                action,
                form.cleaned_data["date"],
                form.cleaned_data["text"],
                request.user,
                status=form.cleaned_data["status"],
                base_version=form.base_version,
            )
        except StaleEditError as exc:
            stale = stale_context(exc)
            action = _get_action(request, pk)
            form = ActionUpdateForm(at_version(request.POST, exc.current_version))
            form.is_valid()
        else:
            messages.success(request, "Update added to the action.")
            return redirect(f"{action.risk.get_absolute_url()}#actions")
    context = {
        "stale": stale,
        "form": form,
        "risk": action.risk,
        "action": action,
        "updates": action.updates.select_related("by"),
        "breadcrumbs": _risk_crumbs(action.risk, "Add an update"),
    }
    return render(request, "risks/action_update_form.html", context, status=409 if stale else 200)


# home page panel -------------------------------------------------------------------------


def home_panel(request, quarter: Quarter) -> str | None:
    """Counts per level (current vs target) at the quarter's refresh and what changed; for
    the risk manager, the way to record the next refresh."""
    if not can_read_register(request.user):
        return None
    refresh = RiskRefresh.objects.select_related("period").for_quarter(quarter)
    can_record = request.user.has_perm("risks.record_refresh")
    if refresh is None and not can_record:
        return None

    def render_panel() -> str:
        context = {
            "overview": ov.overview_for(refresh, with_actions=False) if refresh else None,
            "quarter": quarter,
            "can_record": can_record,
        }
        # Rendered without the request: the panel needs no context processors (their
        # queries already ran for the home page itself).
        return render_to_string("risks/_home_panel.html", context)

    return figure_cache.fragment(
        "risk-home",
        (str(quarter), refresh.pk if refresh else None, can_record),
        ("risks", "kccperf"),
        render_panel,
    )


# /risks/cross-check/ ---------------------------------------------------------------------


@register_reader
def crosscheck(request, period: Quarter | None = None) -> HttpResponse:
    """SDP returns for the quarter that say their issues are on the corporate risk register
    while their activity has no open corporate risk linked: for the risk manager to follow up.

    Deliberately not limited by ``Return.objects.visible_to``: the risk manager needs every
    directorate's flag, and the page shows only the activity, the flag and the issue text.
    """
    from monitoring.models import Return, RiskRegister

    quarter = page_quarter(request, period)

    def render_table() -> str:
        # Every return of the quarter is read: the table is rendered once per version of the
        # returns, the register and the people it names (it grows with the council).
        linked = Risk.objects.open().filter(activities=OuterRef("activity_id"))
        returns = (
            Return.objects.for_quarter(quarter)
            .filter(risk_registers__contains=[RiskRegister.CORPORATE])
            .annotate(has_risk=Exists(linked))
            .filter(has_risk=False)
            .select_related("activity__outcome", "activity__directorate", "activity__lead_officer")
            .order_by("activity__outcome__number", "activity__number")
        )
        return render_to_string("risks/_crosscheck_content.html", {"returns": returns})

    context = {
        "content": figure_cache.fragment(
            "risk-crosscheck",
            (str(quarter),),
            ("monitoring", "risks", "kccperf"),
            render_table,
        ),
        "quarter": quarter,
        "breadcrumbs": _crumbs("Cross-check with SDP returns"),
        **_edit_perms(request.user),
    }
    return render(request, "risks/crosscheck.html", context)
