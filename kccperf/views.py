from __future__ import annotations

import shutil
from email.utils import parseaddr
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import BadRequest
from django.db import connection, transaction
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kccperf import db, figure_cache
from kccperf.models import Directorate, Outcome, ReportingPeriod, Role
from kccperf.page_period import SESSION_KEY, page_quarter
from kccperf.periods import Quarter


@login_not_required
@never_cache
@require_GET
def healthz(request) -> HttpResponse:
    """200 when the database accepts a write and the disk has room, 503 otherwise (for load
    balancers, monitoring and the systemd watchdog; see README "Running in production").

    The write creates a temporary table and inserts a row in a transaction that is rolled
    back: it fails when the database is down, read-only or cannot write its catalogue, where a
    ``SELECT 1`` still answers. JSON, unless the client prefers HTML (a person in a browser):
    then a small page with a title and a language, like every other page.
    """
    checks = {"database": _database_writes(), "disk": _disk_has_room()}
    healthy = all(result == "ok" for result in checks.values())
    body = {"status": "ok" if healthy else "error", **checks}
    status = 200 if healthy else 503
    if request.get_preferred_type(["application/json", "text/html"]) == "text/html":
        return render(request, "healthz.html", {"health": body}, status=status)
    return JsonResponse(body, status=status)


@login_not_required
@require_GET
def accessibility(request) -> HttpResponse:
    """The accessibility statement the Public Sector Bodies Accessibility Regulations require,
    linked from every footer and readable without signing in."""
    _, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return render(request, "accessibility.html", {"contact_email": email})


def _database_writes() -> str:
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("CREATE TEMPORARY TABLE kccperf_healthz (n int) ON COMMIT DROP")
                cursor.execute("INSERT INTO kccperf_healthz VALUES (1) RETURNING n")
                cursor.fetchone()
            transaction.set_rollback(True)
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return type(exc).__name__
    return "ok"


def _disk_has_room() -> str:
    """The free space where the data lives (the embedded server's folder, else the checkout)
    against ``KCCPERF_MIN_FREE_DISK_MB``."""
    database = settings.DATABASES["default"]
    folder = Path(database.get(db.DATA_DIR_KEY) or settings.BASE_DIR)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free_mb = shutil.disk_usage(folder).free // (1024 * 1024)
    if free_mb < settings.KCCPERF_MIN_FREE_DISK_MB:
        return f"low: {free_mb} MB free, below {settings.KCCPERF_MIN_FREE_DISK_MB} MB"
    return "ok"


def bad_request(request, exception=None) -> HttpResponse:
    """400 with the reason when a view refused a parameter (``BadRequest("Unknown export
    format ...")``); other 400s (e.g. a bad Host header) say nothing about why."""
    message = str(exception) if type(exception) is BadRequest else ""
    return render(request, "400.html", {"message": message}, status=400)


def home(request) -> HttpResponse:
    """Lead officers land on their returns; everybody else on the council overview."""
    user = request.user
    if user.has_role(Role.LEAD_OFFICER) and not user.has_perm("kccperf.view_all"):
        try:
            return redirect(reverse("monitoring:my-returns"))
        except NoReverseMatch:
            pass
    quarter = page_quarter(request)
    panels = []
    for config in apps.get_app_configs():
        path = getattr(config, "home_panel", None)
        if path:
            panel = import_string(path)(request, quarter)
            if panel:
                panels.append(panel)
    can_view_all = user.has_perm("kccperf.view_all")

    def render_overview() -> str:
        context = {
            "quarter": quarter,
            "can_view_all": can_view_all,
            # "kpis" is the kpis app's reverse relation: a directorate with KPIs has a
            # scorecard.
            "directorates": Directorate.objects.annotate(kpi_count=Count("kpis")).prefetch_related(
                "portfolios__cabinet_member"
            ),
            "outcomes": Outcome.objects.all(),
            "on_date": quarter.end,
        }
        return render_to_string("_home_overview.html", context)

    # The outcomes and directorates (with who holds each portfolio on the quarter's last day)
    # are the same for every reader: rendered once per version of the data.
    overview = figure_cache.fragment(
        "home-overview", (str(quarter), can_view_all), ("kccperf", "kpis"), render_overview
    )
    context = {"quarter": quarter, "panels": panels, "overview": overview}
    return render(request, "home.html", context)


@require_POST
def switch_period(request) -> HttpResponse:
    """Show the chosen quarter on the same page the person was on (POST with CSRF only:
    a link from elsewhere cannot change what someone sees)."""
    try:
        quarter = Quarter.from_slug(request.POST.get("period", "")[:40])
    except ValueError:
        raise BadRequest("Unknown reporting period: choose a quarter from the list.") from None
    target = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("home")
    path, _, query = target.partition("?")
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    request.session[SESSION_KEY] = quarter.slug
    if match is not None and "period" in match.kwargs:
        kwargs = {**match.kwargs, "period": quarter}
        path = reverse(match.view_name, kwargs=kwargs)
    return redirect(f"{path}?{query}" if query else path)


@permission_required("kccperf.load_data", raise_exception=True)
@require_POST
def period_stage(request, period: Quarter) -> HttpResponse:
    """Close a collecting quarter (CMT's pages then open on it) or reopen a closed one."""
    on_record = ReportingPeriod.objects.filter(start=period.start).first()
    if on_record is None:
        raise Http404("That quarter is not on record")
    action = request.POST.get("action")
    if action == "close":
        on_record.close()
        messages.success(request, f"{on_record.label} is closed: CMT's pages now open on it.")
    elif action == "reopen":
        try:
            on_record.reopen()
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{on_record.label} is collecting again.")
    else:
        raise BadRequest("Choose close or reopen.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("monitoring:window-list")
    return redirect(target)
