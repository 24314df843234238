from itertools import groupby

from kccperf.navigation import nav_for
from kccperf.page_period import page_quarter, reporting_periods


def portal(request) -> dict:
    """Navigation and the period switcher for the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    periods = reporting_periods(request)
    years = [
        (year, list(group))
        for year, group in groupby(reversed(periods), key=lambda period: period.financial_year)
    ]
    return {
        "nav_items": nav_for(user, request.path),
        "period": page_quarter(request),
        "period_years": years,
    }
