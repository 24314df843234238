from __future__ import annotations

from email.utils import parseaddr

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kccperf.models import Directorate, Outcome, Role
from kccperf.page_period import SESSION_KEY, page_quarter
from kccperf.periods import Quarter


@login_not_required
@never_cache
@require_GET
def healthz(request) -> HttpResponse:
    """200 when the database answers, 503 otherwise (for load balancers and monitoring).

    JSON, unless the client prefers HTML (a person in a browser): then a small page with a
    title and a language, like every other page."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        body = {"status": "error", "database": type(exc).__name__}
        status = 503
    else:
        body = {"status": "ok", "database": "ok"}
        status = 200
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
    context = {
        "quarter": quarter,
        "panels": panels,
        "directorates": Directorate.objects.prefetch_related("portfolios__cabinet_member"),
        "outcomes": Outcome.objects.all(),
        "on_date": quarter.end,
    }
    return render(request, "home.html", context)


@require_GET
def switch_period(request) -> HttpResponse:
    """Show the chosen quarter on the same page the person was on."""
    try:
        quarter = Quarter.from_slug(request.GET.get("period", ""))
    except ValueError:
        raise Http404("Unknown period") from None
    target = request.GET.get("next") or reverse("home")
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
