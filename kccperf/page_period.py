"""The quarter a page shows: the one in its URL, else the person's chosen (default) period.

Resolved here once, as a plain :class:`~kccperf.periods.Quarter`; the default costs a query,
so it is worked out only when a page asks for it, and at most once per request.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from kccperf.models import ReportingPeriod
from kccperf.periods import Quarter

SESSION_KEY = "kccperf_period"
_PERIODS_ATTR = "_kccperf_reporting_periods"
_DEFAULT_ATTR = "_kccperf_default_period"


def reporting_periods(request: HttpRequest) -> list[ReportingPeriod]:
    """The quarters on record, loaded once per request (one query)."""
    periods: list[ReportingPeriod] | None = getattr(request, _PERIODS_ATTR, None)
    if periods is None:
        periods = list(ReportingPeriod.objects.order_by("start"))
        setattr(request, _PERIODS_ATTR, periods)
    return periods


def default_period(request: HttpRequest) -> Quarter:
    """The period a page without one in its URL shows.

    The one the person chose in the period switcher, else the latest quarter on record
    (the most recent with data or a submission window, not the calendar's), else the
    current quarter.
    """
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if chosen:
        try:
            return Quarter.from_slug(chosen)
        except ValueError:
            pass
    today = timezone.localdate()
    started = [period for period in reporting_periods(request) if period.start <= today]
    if started:
        return started[-1].quarter
    return Quarter.containing(today)


def url_period(request: HttpRequest) -> Quarter | None:
    """The ``<quarter:period>`` of the URL the request resolved to, if it has one."""
    match = getattr(request, "resolver_match", None)
    period = match.kwargs.get("period") if match is not None else None
    return period if isinstance(period, Quarter) else None


def page_quarter(request: HttpRequest, period: Quarter | None = None) -> Quarter:
    """The quarter the page shows: ``period`` (a view's URL argument), else the URL's period,
    else the default period (computed once per request, only when needed)."""
    if period is None:
        period = url_period(request)
    if period is not None:
        return period
    default: Quarter | None = getattr(request, _DEFAULT_ATTR, None)
    if default is None:
        default = default_period(request)
        setattr(request, _DEFAULT_ATTR, default)
    return default
