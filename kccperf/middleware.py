from __future__ import annotations

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from kccperf.periods import Quarter

SESSION_KEY = "kccperf_period"


def reporting_periods(request) -> list:
    """The quarters on record, loaded once per request (one query)."""
    if not hasattr(request, "_reporting_periods"):
        from kccperf.models import ReportingPeriod

        request._reporting_periods = list(ReportingPeriod.objects.order_by("start"))
    return request._reporting_periods


def default_period(request) -> Quarter:
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


class PeriodMiddleware:
    """Sets ``request.period``: the URL's ``<quarter:period>`` or the default period."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.period_in_url = False
        request.period = SimpleLazyObject(lambda: default_period(request))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        period = view_kwargs.get("period")
        if isinstance(period, Quarter):
            request.period = period
            request.period_in_url = True
        return None
