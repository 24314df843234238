from itertools import groupby

from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from kccperf import lookups
from kccperf.navigation import nav_for
from kccperf.page_period import latest_published, page_quarter, period_on_record, reporting_periods
from kccperf.periods import Quarter
from kccperf.progress import collecting_notice


def portal(request) -> dict:
    """Navigation and the period switcher for the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    quarter = page_quarter(request)
    on_record = period_on_record(request, quarter)
    return {
        "nav_items": nav_for(user, request.path),
        "period": quarter,
        "period_stage": on_record.stage if on_record else None,
        "last_published": latest_published(request),
        "period_options": period_options(request, quarter),
        # A collecting quarter says how complete it is (a few COUNT queries, only then).
        "collecting_notice": (
            collecting_notice(request, quarter) if on_record and on_record.is_collecting else None
        ),
    }


def period_options(request, selected: Quarter) -> SafeString:
    """The period switcher's options, newest year first, each year an optgroup, ``selected``
    chosen: made once per version of the quarters on record (:mod:`kccperf.lookups`) rather
    than by the template on every page (40 options at ten years of data)."""

    def build() -> SafeString:
        years = groupby(reversed(reporting_periods(request)), key=lambda p: p.financial_year)
        return format_html_join(
            "\n",
            '<optgroup label="Financial year {}">{}</optgroup>',
            (
                (
                    year.label,
                    format_html_join(
                        "",
                        '<option value="{}"{}>{}</option>',
                        (
                            (
                                p.slug,
                                mark_safe(" selected") if p.quarter == selected else "",
                                p.label,
                            )
                            for p in group
                        ),
                    ),
                )
                for year, group in years
            ),
        )

    return lookups.versioned("period-options", "kccperf", selected.slug, build)


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
