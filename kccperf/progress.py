"""The notice a page showing a collecting quarter carries: how complete the quarter is, from
each app's ``reporting.completeness`` (one COUNT query each, only for a collecting quarter)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from kccperf.comparison import Completeness
from kccperf.periods import Quarter
from kpis import reporting as kpis_reporting
from monitoring import reporting as monitoring_reporting
from risks import reporting as risks_reporting


@dataclass(frozen=True)
class CollectingNotice:
    quarter: Quarter
    parts: list[Completeness]

    @property
    def text(self) -> str:
        """ "Q3 2019/20 is still collecting: 31 of 78 returns in; 12 of 35 KPI values
        entered." """
        figures = "; ".join(part.text for part in self.parts)
        return f"{self.quarter.label} is still collecting" + (f": {figures}." if figures else ".")


_NOTICE_ATTR = "_kccperf_collecting_notice"


def collecting_notice(request: HttpRequest, quarter: Quarter) -> CollectingNotice:
    """How complete ``quarter`` is, in what the person can read (returns, KPI values, the
    risk refresh). Worked out once per request: templates rendered with the request (tables,
    panels) run the context processors again."""
    cached: CollectingNotice | None = getattr(request, _NOTICE_ATTR, None)
    if cached is not None and cached.quarter == quarter:
        return cached
    notice = _notice(request, quarter)
    setattr(request, _NOTICE_ATTR, notice)
    return notice


def _notice(request: HttpRequest, quarter: Quarter) -> CollectingNotice:
    user = request.user
    parts = [
        part
        for part in (
            monitoring_reporting.completeness(quarter, user),
            kpis_reporting.completeness(quarter, user),
            risks_reporting.completeness(quarter, user),
        )
        if part is not None
    ]
    return CollectingNotice(quarter, parts)
