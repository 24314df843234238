from itertools import groupby

from kccperf.navigation import nav_for
from kccperf.page_period import latest_published, page_quarter, period_on_record, reporting_periods
from kccperf.progress import collecting_notice


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
    quarter = page_quarter(request)
    on_record = period_on_record(request, quarter)
    return {
        "nav_items": nav_for(user, request.path),
        "period": quarter,
        "period_stage": on_record.stage if on_record else None,
        "last_published": latest_published(request),
        "period_years": years,
        # A collecting quarter says how complete it is (a few COUNT queries, only then).
        "collecting_notice": (
            collecting_notice(request, quarter) if on_record and on_record.is_collecting else None
        ),
    }


def accounts(request) -> dict:
    """Sign-in rules the login and lockout pages state (issue 12)."""
    from django.conf import settings
    from django.utils import timezone

    cooloff = settings.AXES_COOLOFF_TIME
    return {
        "login_failure_limit": settings.AXES_FAILURE_LIMIT,
        "login_cooloff_minutes": int(cooloff.total_seconds() // 60),
        "login_retry_at": timezone.localtime() + cooloff,
        "session_idle_minutes": settings.KCCPERF_SESSION_IDLE_MINUTES,
        "session_max_hours": settings.KCCPERF_SESSION_MAX_HOURS,
    }
