"""Report pages (draft and published), publishing, editable texts, supporting tables,
Word files and the analyst workbook."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.db.models import Func, IntegerField
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from kccperf import chart_images, figure_cache
from kccperf.models import Outcome, ReportingPeriod
from kccperf.navigation import breadcrumbs
from kccperf.output.conventions import About
from kccperf.output.docx import docx_response
from kccperf.output.pdf import page_pdf
from kccperf.output.permissions import can_export, export_required
from kccperf.output.tables import requested_export
from kccperf.output.xlsx import xlsx_response
from kccperf.page_period import page_quarter
from kccperf.periods import Quarter
from kccperf.versioning import StaleEditError, at_version, stale_context
from reports import qpr_parts, services
from reports.builders import build
from reports.forms import PublishForm, ReportTableForm, TextsForm, editable_texts
from reports.models import Report, ReportTable, ReportVersion
from reports.rendering import decorate_qpr
from reports.sdp import decorate_sdp

VIEW_ALL = "kccperf.view_all"
PUBLISH = "reports.publish_report"
LOAD_DATA = "kccperf.load_data"


def _index_url(quarter: Quarter) -> str:
    return reverse("reports:index-period", kwargs={"period": quarter})


# /reports/ ------------------------------------------------------------------------------

# A published version's snapshot (1.3 MB for the QPR at 10×): lists show its number and
# date, never load it.
SNAPSHOT_FIELDS = ("data", "changes")


def _quarter_rows(quarter: Quarter, can_publish: bool) -> list[dict]:
    """The quarter's QPR and SDP reports with their latest version; reports not published
    yet only for those who may publish them."""
    reports = {
        (r.kind, r.outcome.number if r.outcome else None): r
        for r in Report.objects.filter(period__start=quarter.start).select_related("outcome")
    }
    latest = {}
    for version in (
        ReportVersion.objects.filter(report__period__start=quarter.start)
        .defer(*SNAPSHOT_FIELDS)
        .order_by("report_id", "-number")
    ):
        latest.setdefault(version.report_id, version)
    entries = [(Report.Kind.QPR, None, "Quarterly Performance Report")]
    entries.append((Report.Kind.SDP_COUNCIL, None, "SDP monitoring report: council-wide"))
    for outcome in Outcome.objects.all():
        entries.append(
            (Report.Kind.SDP_OUTCOME, outcome, f"SDP monitoring report: Outcome {outcome.number}")
        )
    rows = []
    for kind, outcome, label in entries:
        report = reports.get((kind, outcome.number if outcome else None))
        version = latest.get(report.pk) if report else None
        kwargs = {"period": quarter}
        if outcome:
            kwargs["number"] = outcome.number
        if version or can_publish:
            url = reverse(f"reports:{kind}", kwargs=kwargs)
            rows.append({"label": label, "outcome": outcome, "url": url, "version": version})
    return rows


def _published_history(limit: int = 200) -> list[ReportVersion]:
    """The latest published version of every report on record, newest quarter first."""
    published = (
        ReportVersion.objects.select_related("report__period", "report__outcome", "published_by")
        .defer(*SNAPSHOT_FIELDS)
        .order_by("-report__period__start", "report__kind", "report__outcome__number", "-number")
        .filter(number__gte=1)
    )
    history = []
    seen = set()
    for version in published:
        if version.report_id in seen:
            continue
        seen.add(version.report_id)
        history.append(version)
    return history[:limit]


@permission_required(VIEW_ALL, raise_exception=True)
def index(request, period: Quarter | None = None) -> HttpResponse:
    """The reports of a quarter (published versions; drafts for analysts) and every
    published report on record."""
    quarter = page_quarter(request, period)
    can_publish = request.user.has_perm(PUBLISH)
    context = {
        "quarter": quarter,
        "rows": _quarter_rows(quarter, can_publish),
        "history": _published_history(),
        "can_publish": can_publish,
        "can_load": request.user.has_perm(LOAD_DATA),
        "can_export": can_export(request.user),
        "breadcrumbs": breadcrumbs(("Reports", None)),
    }
    return render(request, "reports/index.html", context)


# /reports/qpr/<period>/ and /reports/sdp/<period>/ -------------------------------------------


def _report_for(request, kind: str, quarter: Quarter, number: int | None) -> Report | None:
    outcome = Outcome.objects.numbered_or_404(number) if number is not None else None
    lookup = {"kind": kind, "period__start": quarter.start, "outcome": outcome}
    report = Report.objects.filter(**lookup).select_related("period", "outcome").first()
    if report is None and request.user.has_perm(PUBLISH):
        period = ReportingPeriod.objects.filter(start=quarter.start).first()
        if period is None:
            raise Http404("No data for this quarter")
        report = Report(kind=kind, period=period, outcome=outcome)
    return report


def _version_shown(
    request, versions: list[ReportVersion], can_publish: bool
) -> ReportVersion | None:
    """The version asked for (``?version=``), else the latest; ``None``: the live draft,
    which only those who may publish see (``?draft=1``, or before the first version)."""
    wanted = request.GET.get("version")
    if wanted:
        version = next((v for v in versions if str(v.number) == wanted), None)
        if version is None:
            raise Http404("No such version")
        return version
    if can_publish and (request.GET.get("draft") or not versions):
        return None
    if not versions:
        raise Http404("This report has not been published")
    return versions[0]


def _docx_response(
    kind: str, period: Quarter, number: int | None, version: ReportVersion | None, data: dict
) -> HttpResponse:
    """The Word file of the version (made once and cached) or of the draft."""
    from reports.docx import report_docx  # python-docx loads only when a file is asked for

    suffix = f"-v{version.number}" if version else "-draft"
    name = f"{kind}-{period.slug}{f'-outcome-{number}' if number else ''}{suffix}.docx"
    if version is None:
        content = report_docx(data, draft=True)
    else:
        published = timezone.localtime(version.published_at)
        status = f"Version {version.number}, published {published:%-d %B %Y}"
        key = f"reports:docx:{_stamp(version)}"
        content = cache.get(key)
        if content is None:
            content = report_docx(data, draft=False, status=status)
            # A file made without its pictures (the renderer down) is not kept; switched
            # off (KCCPERF_CHART_IMAGES=off), tables are what it should hold.
            if not settings.KCCPERF_CHART_IMAGES or chart_images.available():
                cache.set(key, content, timeout=None)
    return docx_response(content, name)


def _page(request, kind: str, period: Quarter, number: int | None = None) -> HttpResponse:
    report = _report_for(request, kind, period, number)
    if report is None:
        raise Http404("This report has not been published")
    can_publish = request.user.has_perm(PUBLISH)
    # The snapshots (1 MB for the QPR at 10×) stay in the database: the page is served from
    # the figure cache, and only a miss or a Word file reads the shown version's.
    versions = (
        list(report.versions.select_related("published_by").defer("data")) if report.pk else []
    )
    version = _version_shown(request, versions, can_publish)
    export = requested_export(request, ("docx", "pdf"))
    if export == "docx":
        data = version.data if version else build(report)
        return _docx_response(kind, period, number, version, data)
    shown = "draft=1&" if version is None else f"version={version.number}&"
    template = "reports/qpr.html" if kind == Report.Kind.QPR else "reports/sdp.html"
    context = {
        "report": report,
        "quarter": period,
        "version": version,
        "versions": versions,
        "latest": versions[0] if versions else None,
        "is_draft": version is None,
        "can_publish": can_publish,
        "can_export": can_export(request.user),
        "publish_form": PublishForm() if can_publish else None,
        "docx_url": f"?{shown}_export=docx",
        "pdf_url": f"?{shown}_export=pdf",
        "breadcrumbs": breadcrumbs(
            ("Reports", _index_url(period)),
            (report.title, None),
        ),
    }
    if kind == Report.Kind.QPR and export != "pdf":
        # On screen the QPR is shown a part at a time; the PDF holds the whole report.
        context["data"], context["body"] = _qpr_part(request, report, version, can_publish)
        return render(request, template, context)
    context["data"], context["body"] = _body(report, version, can_publish)
    if export == "pdf":
        return _pdf_response(request, template, context, version)
    return render(request, template, context)


def _pdf_response(
    request, template: str, context: dict, version: ReportVersion | None
) -> HttpResponse:
    """The page printed to PDF: a published version's file is made once and cached (it never
    changes); a draft's every time, marked DRAFT."""
    report = context["report"]
    outcome = f"-outcome-{report.outcome.number}" if report.outcome else ""
    suffix = f"-v{version.number}" if version else "-draft"
    name = f"{report.kind}-{context['quarter'].slug}{outcome}{suffix}.pdf"
    key = f"reports:pdf:{_stamp(version)}" if version else None
    return page_pdf(request, template, context, name, key)


def _stamp(version: ReportVersion) -> str:
    """Names a version in the cache (pk and publication time: pks of deleted rows return)."""
    return f"{version.pk}:{version.published_at.timestamp()}"


def _body(
    report: Report, version: ReportVersion | None, can_publish: bool
) -> tuple[dict, SafeString]:
    """The report's heading fields and its own HTML, rendered once and then served from the
    figure cache. A published version is an immutable snapshot: its HTML is kept under the
    version (pk and publication time) whatever else changes. A draft is built from the live
    data of every app the reports read, so it is kept under the versions of all of them: the
    first reader after a write builds it again (a KPI value, a return, a risk, a report's
    texts, a supporting table), the next are served from the cache."""

    def render_body() -> tuple[dict, SafeString]:
        data = version.data if version else build(report)
        if report.kind == Report.Kind.QPR:
            name, content = "reports/_qpr_body.html", decorate_qpr(data)
        else:
            name, content = "reports/_sdp_body.html", decorate_sdp(data)
        context = {"data": content, "is_draft": version is None, "can_publish": can_publish}
        head = {k: data.get(k) for k in qpr_parts.HEAD_FIELDS}
        # Kept as SafeString: served as it comes from the cache (3 MB for the QPR at 10×:
        # every copy counts).
        return head, mark_safe(render_to_string(name, context))  # noqa: S308 - a template's

    return figure_cache.value(
        "report-body",
        _cache_parts(report, version, can_publish),
        _cache_scopes(version),
        render_body,
    )


def _cache_parts(report: Report, version: ReportVersion | None, can_publish: bool) -> tuple:
    """What a report's cached HTML depends on besides the data: a published version (pk and
    publication time), or the draft of the report (under every app's version of the data)."""
    if version is not None:
        return ("published", _stamp(version), can_publish)
    outcome = report.outcome.number if report.outcome else None
    return ("draft", report.kind, report.quarter.slug, outcome, can_publish)


def _cache_scopes(version: ReportVersion | None) -> tuple[str, ...]:
    """A published version never changes; a draft is built from every app's live data."""
    return () if version is not None else figure_cache.SCOPES


class _ReportData:
    """The report's data, read (a version's snapshot) or built (the draft) at most once a
    request, and only when a cached part misses. The draft's data is kept in the figure
    cache too, under every app's version of the data: a reader going through the parts
    after a write builds it once (seconds at 10×), not once for each part."""

    def __init__(self, report: Report, version: ReportVersion | None) -> None:
        self.report = report
        self.version = version

    @cached_property
    def data(self) -> dict:
        if self.version is not None:
            return self.version.data
        report = self.report
        outcome = report.outcome.number if report.outcome else None
        keyed = ("draft", report.kind, report.quarter.slug, outcome)
        return figure_cache.value(
            "report-draft-data", keyed, figure_cache.SCOPES, lambda: build(report)
        )


def _qpr_part(
    request, report: Report, version: ReportVersion | None, can_publish: bool
) -> tuple[dict, SafeString]:
    """The QPR's heading fields and the HTML of the part asked for (``?part=``, a page of it
    with ``&page=``), each kept in the figure cache as the whole body is: its outline (the
    parts and their sizes) and each part's page apart, so a request renders only what it
    shows and reads the data only on a miss."""
    source = _ReportData(report, version)
    keyed = _cache_parts(report, version, can_publish)
    scopes = _cache_scopes(version)
    outline = figure_cache.value(
        "qpr-outline", keyed, scopes, lambda: qpr_parts.outline(source.data)
    )
    part = qpr_parts.find_part(outline["parts"], request.GET.get("part", qpr_parts.FRONT))
    if part is None:
        raise Http404("No such part of the report")
    page = qpr_parts.page_of(part, request.GET.get("page"))
    # The links keep the version (or draft) the reader's address chose, as the page read it.
    kept: tuple[tuple[str, str], ...] = ()
    if version is not None and request.GET.get("version"):
        kept = (("version", str(version.number)),)
    elif version is None and request.GET.get("draft"):
        kept = (("draft", "1"),)
    links = qpr_parts.Links(report.get_absolute_url(), kept)

    def render_part() -> str:
        return qpr_parts.render_part(
            source.data,
            outline,
            part,
            page,
            links,
            is_draft=version is None,
            can_publish=can_publish,
        )

    body = figure_cache.fragment(
        "qpr-part", (*keyed, links.kept, part["slug"], page.number), scopes, render_part
    )
    return outline["head"], body


@permission_required(VIEW_ALL, raise_exception=True)
def qpr(request, period: Quarter) -> HttpResponse:
    return _page(request, Report.Kind.QPR, period)


@permission_required(VIEW_ALL, raise_exception=True)
def sdp_council(request, period: Quarter) -> HttpResponse:
    return _page(request, Report.Kind.SDP_COUNCIL, period)


@permission_required(VIEW_ALL, raise_exception=True)
def sdp_outcome(request, period: Quarter, number: int) -> HttpResponse:
    return _page(request, Report.Kind.SDP_OUTCOME, period, number)


def _saved_report(kind: str, period: Quarter, number: int | None) -> Report:
    outcome = Outcome.objects.numbered_or_404(number) if number is not None else None
    reporting_period = get_object_or_404(ReportingPeriod, start=period.start)
    report, _ = Report.objects.get_or_create(kind=kind, period=reporting_period, outcome=outcome)
    return report


@require_POST
@permission_required(PUBLISH, raise_exception=True)
def publish(request, kind: str, period: Quarter, number: int | None = None) -> HttpResponse:
    """Freeze the report as built now into a new version."""
    if kind not in Report.Kind.values:
        raise Http404
    report = _saved_report(kind, period, number)
    form = PublishForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    version = services.publish(report, build(report), request.user, note)
    if version.number == 1:
        messages.success(request, f"Published {report.title}.")
    else:
        messages.success(
            request,
            f"Published version {version.number} of {report.title}: "
            f"{len(version.changes)} change(s) since version {version.number - 1}.",
        )
    return redirect(report.get_absolute_url())


@permission_required(PUBLISH, raise_exception=True)
def texts(request, kind: str, period: Quarter, number: int | None = None) -> HttpResponse:
    """The analysts' words kept with a report (introduction, analysis, summary)."""
    if kind not in Report.Kind.values:
        raise Http404
    report = _saved_report(kind, period, number)
    fields = editable_texts(report)
    form = TextsForm(fields, request.POST or None, initial=report.texts, version=report.version)
    stale = None
    if request.method == "POST" and form.is_valid():
        texts = {k: v for k, v in form.cleaned_data.items() if v and k != "version"}
        try:
            services.save_texts(report, texts, request.user, form.base_version)
        except StaleEditError as exc:
            stale = stale_context(exc)
            form = TextsForm(fields, at_version(request.POST, exc.current_version))
            form.is_valid()
        else:
            messages.success(request, "Saved the report's texts. Publish to freeze them.")
            return redirect(f"{report.get_absolute_url()}?draft=1")
    context = {
        "stale": stale,
        "report": report,
        "form": form,
        "quarter": period,
        "breadcrumbs": breadcrumbs(
            ("Reports", _index_url(period)),
            (report.title, f"{report.get_absolute_url()}?draft=1"),
            ("Edit texts", None),
        ),
    }
    return render(request, "reports/texts.html", context, status=409 if stale else 200)


@permission_required(PUBLISH, raise_exception=True)
def changes(request, kind: str, period: Quarter, number: int | None = None) -> HttpResponse:
    """Every published version of a report and what changed in each."""
    if kind not in Report.Kind.values:
        raise Http404
    outcome = Outcome.objects.numbered_or_404(number) if number is not None else None
    report = get_object_or_404(
        Report.objects.select_related("period", "outcome"),
        kind=kind,
        period__start=period.start,
        outcome=outcome,
    )
    versions = list(report.versions.select_related("published_by").defer("data"))
    context = {
        "report": report,
        "versions": versions,
        "quarter": period,
        "breadcrumbs": breadcrumbs(
            ("Reports", _index_url(period)),
            (report.title, report.get_absolute_url()),
            ("Versions", None),
        ),
    }
    return render(request, "reports/versions.html", context)


# /reports/tables/ -----------------------------------------------------------------------


class JsonbArrayLength(Func):
    function = "jsonb_array_length"
    output_field = IntegerField()


@permission_required(LOAD_DATA, raise_exception=True)
def tables(request, period: Quarter | None = None) -> HttpResponse:
    quarter = page_quarter(request, period)

    def render_list() -> str:
        # Each table's size without its cells; rendered once per version of the data (a
        # list that grows with the council: 1,000 tables at 50 times its size).
        rows = list(
            ReportTable.objects.for_quarter(quarter)
            .select_related("directorate", "updated_by")
            .defer("rows", "columns")
            .annotate(row_count=JsonbArrayLength("rows"), column_count=JsonbArrayLength("columns"))
            .order_by("directorate__order", "order", "slug")
        )
        return render_to_string(
            "reports/_tables_content.html", {"quarter": quarter, "tables": rows}
        )

    context = {
        "quarter": quarter,
        "content": figure_cache.fragment(
            "report-tables", (str(quarter),), ("reports", "kccperf"), render_list
        ),
        "breadcrumbs": breadcrumbs(
            ("Reports", _index_url(quarter)),
            ("Supporting tables", None),
        ),
    }
    return render(request, "reports/tables.html", context)


@permission_required(LOAD_DATA, raise_exception=True)
def table_edit(request, pk: int) -> HttpResponse:
    table = get_object_or_404(ReportTable.objects.with_cells(), pk=pk)
    form = ReportTableForm(table, request.POST or None)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.save_table(form.table_data(), request.user, form.base_version)
        except StaleEditError as exc:
            # The table as it is now, with the person's entries over it.
            stale = stale_context(exc)
            table = get_object_or_404(ReportTable.objects.with_cells(), pk=pk)
            form = ReportTableForm(table, at_version(request.POST, exc.current_version))
            form.is_valid()
        else:
            messages.success(request, f"Saved “{form.cleaned_data['title']}”.")
            return redirect("reports:tables-period", period=table.period.quarter)
    context = {
        "stale": stale,
        "table": table,
        "form": form,
        "grid": form.grid_rows(),
        "column_fields": [form[f"column_{c}"] for c in range(len(table.columns))],
        "quarter": table.period.quarter,
        "breadcrumbs": breadcrumbs(
            ("Reports", _index_url(table.period.quarter)),
            (
                "Supporting tables",
                reverse("reports:tables-period", kwargs={"period": table.period.quarter}),
            ),
            (table.title, None),
        ),
    }
    return render(request, "reports/table_edit.html", context, status=409 if stale else 200)


# /reports/workbook/<period>.xlsx ----------------------------------------------------------


@export_required()
def workbook(request, period: Quarter) -> HttpResponse:
    from reports.workbook import analyst_workbook

    if not ReportingPeriod.objects.filter(start=period.start).exists():
        raise Http404("No data for this quarter")
    about = About("analyst-workbook", "Analyst workbook", period)
    return xlsx_response(analyst_workbook(period, about), about.filename("xlsx"))


# Home page panel ------------------------------------------------------------------------


def home_panel(request, quarter: Quarter) -> str | None:
    """The quarter's published reports (and, for analysts, what is still a draft)."""
    if not request.user.has_perm(VIEW_ALL):
        return None
    can_publish = request.user.has_perm(PUBLISH)

    def render_panel() -> str:
        versions = {}
        for version in (
            ReportVersion.objects.filter(report__period__start=quarter.start)
            .select_related("report__period", "report__outcome")
            .defer(*SNAPSHOT_FIELDS)
            .order_by("report__kind", "report__outcome__number", "-number")
        ):
            versions.setdefault(version.report_id, version)
        if not versions and not can_publish:
            return ""
        # Without the request: the panel needs no context processors.
        return render_to_string(
            "reports/_home_panel.html",
            {
                "quarter": quarter,
                "versions": list(versions.values()),
                "can_publish": can_publish,
                "index_url": _index_url(quarter),
            },
        )

    # The quarter's published versions, rendered once per version of the reports' data.
    panel = figure_cache.fragment(
        "reports-home", (str(quarter), can_publish), ("reports", "kccperf"), render_panel
    )
    return panel or None
