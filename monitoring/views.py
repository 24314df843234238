"""Monitoring pages: lead officers' returns, windows, chasing and imports."""

from __future__ import annotations

from django.template.loader import render_to_string

from kccperf.periods import Quarter
from monitoring import progress


def home_panel(request, quarter: Quarter) -> str | None:
    """The home page's "SDP returns" panel: the quarter's response rate and, for lead
    officers, how many of their own returns are outstanding."""
    user = request.user
    if not (user.has_perm("kccperf.view_all") or user.has_perm("monitoring.submit_return")):
        return None
    context = {"quarter": quarter}
    if user.has_perm("kccperf.view_all"):
        context["rate"] = progress.response_rate(quarter)
    if user.has_perm("monitoring.submit_return"):
        context["outstanding"] = progress.outstanding_for(user, quarter)
    return render_to_string("monitoring/_home_panel.html", context, request=request)


def my_returns(request):
    from django.shortcuts import render

    return render(request, "monitoring/my_returns.html", {})
