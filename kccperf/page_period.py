"""The quarter a page shows: the one in its URL, else the person's chosen (default) period.

Resolved here once, as a plain :class:`~kccperf.periods.Quarter`; the default costs a query,
so it is worked out only when a page asks for it, and at most once per request.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.http import HttpRequest
from django.utils import timezone

from kccperf import lookups
from kccperf.models import ReportingPeriod, Role, Stage
from kccperf.periods import Quarter

SESSION_KEY = "kccperf_period"
_PERIODS_ATTR = "_kccperf_reporting_periods"
_DEFAULT_ATTR = "_kccperf_default_period"


def reporting_periods(request: HttpRequest) -> tuple[ReportingPeriod, ...]:
    """The quarters on record, read once per version of them (:mod:`kccperf.lookups`).

    Shared by every request of the process, not copied (a page reads one or two of forty,
    and copying them all was a tenth of a cached page's time): read them, never change or
    save one; load the row itself to write it."""
    periods: tuple[ReportingPeriod, ...] | None = getattr(request, _PERIODS_ATTR, None)
    if periods is None:
        periods = lookups.versioned(
            "periods", "kccperf", None, lambda: tuple(ReportingPeriod.objects.order_by("start"))
        )
        setattr(request, _PERIODS_ATTR, periods)
    return periods


def chosen_period(request: HttpRequest) -> Quarter | None:
    """The quarter the person chose in the period switcher, if it is still a real one.

    A value that no longer parses (planted, or from an older release) is dropped from the
    session rather than trusted: a bad session value must never break a page.
    """
    session = getattr(request, "session", None)
    if session is None:
        return None
    chosen = session.get(SESSION_KEY)
    if not chosen:
        return None
    try:
        return Quarter.from_slug(str(chosen))
    except ValueError:
        session.pop(SESSION_KEY, None)
        return None


def works_on_collecting_quarter(user) -> bool:
    """Lead officers, analysts and the risk manager work on the quarter being collected;
    CMT (and everyone else) read the latest closed or published one."""
    if not getattr(user, "is_authenticated", False) or user.has_role(Role.CMT):
        return False
    return any(user.has_role(role) for role in (Role.LEAD_OFFICER, Role.ANALYST, Role.RISK_MANAGER))


def role_default(user, periods: Sequence[ReportingPeriod], today: date) -> Quarter:
    """The quarter a page opens on for ``user`` (the rule README's "Which quarter a page
    shows" documents).

    - People who work on the live quarter (lead officers, analysts, the risk manager): the
      latest quarter opened for returns and not yet closed, when there is one.
    - Everyone, and the above when nothing is open: the latest closed or published quarter.
    - A portal where no quarter has been closed yet: the latest quarter on record that has
      started; with no quarters at all, the calendar's.

    Only an analyst's act (opening, closing, publishing) moves these: data for a new
    quarter (a risk refresh, an import, one KPI value) adds a collecting period that no
    default lands on.
    """
    started = [period for period in periods if period.start <= today]
    if works_on_collecting_quarter(user):
        live = [period for period in started if period.is_open_for_returns]
        if live:
            return live[-1].quarter
    settled = [period for period in started if not period.is_collecting]
    if settled:
        return settled[-1].quarter
    if started:
        return started[-1].quarter
    return Quarter.containing(today)


def default_period(request: HttpRequest) -> Quarter:
    """The period a page without one in its URL shows: the person's choice in the period
    switcher, else their role's default (:func:`role_default`)."""
    chosen = chosen_period(request)
    if chosen is not None:
        return chosen
    return role_default(
        getattr(request, "user", None), reporting_periods(request), timezone.localdate()
    )


def latest_published(request: HttpRequest) -> ReportingPeriod | None:
    """The most recent quarter whose reports are out (no query beyond the periods')."""
    published = [period for period in reporting_periods(request) if period.published_at]
    return published[-1] if published else None


def period_on_record(request: HttpRequest, quarter: Quarter) -> ReportingPeriod | None:
    """The :class:`ReportingPeriod` row of ``quarter``, if the quarter is on record."""
    for period in reporting_periods(request):
        if period.start == quarter.start:
            return period
    return None


def quarter_stage(request: HttpRequest, quarter: Quarter) -> Stage | None:
    """The stage of ``quarter`` (``None``: not on record), from the periods already loaded."""
    on_record = period_on_record(request, quarter)
    return on_record.stage if on_record else None


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
