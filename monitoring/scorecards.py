"""Activity scorecards: an activity, its return for a quarter in full and its history.

One scorecard or all of an outcome's in a constant number of queries: the activities, every
return up to the quarter (for the history), and the quarter's returns' issue themes,
milestones and expected governance.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from kccperf.periods import Quarter
from monitoring.models import Activity, ExpectedGovernance, IssueTheme, Milestone, Return


@dataclass(frozen=True)
class HistoryEntry:
    quarter: Quarter
    status: str
    delivery: str
    delivery_label: str
    new_end_date: date | None
    new_go_live: date | None
    end_changed: bool  # differs from the previous return on record
    go_live_changed: bool


@dataclass
class Scorecard:
    activity: Activity
    quarter: Quarter
    return_obj: Return | None
    history: list[HistoryEntry] = field(default_factory=list)

    @property
    def previous(self) -> HistoryEntry | None:
        earlier = [h for h in self.history if h.quarter < self.quarter]
        return earlier[-1] if earlier else None

    @property
    def revisions(self) -> list[HistoryEntry]:
        """Quarters in which the end or go-live date was revised."""
        return [h for h in self.history if h.end_changed or h.go_live_changed]


def _history(returns: list[Return]) -> list[HistoryEntry]:
    entries = []
    end = go_live = None
    for ret in sorted(returns, key=lambda r: r.period.start):
        entries.append(
            HistoryEntry(
                quarter=ret.period.quarter,
                status=ret.status,
                delivery=ret.delivery,
                delivery_label=ret.get_delivery_display() if ret.delivery else "Not answered",
                new_end_date=ret.new_end_date,
                new_go_live=ret.new_go_live,
                end_changed=ret.new_end_date is not None and ret.new_end_date != end,
                go_live_changed=ret.new_go_live is not None and ret.new_go_live != go_live,
            )
        )
        end, go_live = ret.new_end_date, ret.new_go_live
    return entries


def _full_returns(quarter: Quarter):
    return (
        Return.objects.filter(period__start=quarter.start)
        .exclude(status=Return.Status.NOT_STARTED)
        .select_related("period", "submitted_by", "updated_by")
        .prefetch_related(
            Prefetch("issues", queryset=IssueTheme.objects.order_by("order", "label")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("kind")),
            Prefetch(
                "expected_governance",
                queryset=ExpectedGovernance.objects.order_by("expected_date", "board"),
            ),
        )
    )


def build(
    activities: list[Activity], quarter: Quarter, history_quarters: int | None = None
) -> list[Scorecard]:
    """Scorecards of ``activities`` for ``quarter``, with the history of every quarter up to
    it, or of the last ``history_quarters`` (the printable set: a page each, not ten years).

    Queries: the history (every return of these activities up to the quarter, with its
    period: one), and the quarter's returns with issue themes, milestones and expected
    governance (four).
    """
    pks = [a.pk for a in activities]
    history: dict[int, list[Return]] = defaultdict(list)
    since = quarter.window(history_quarters)[0].start if history_quarters else None
    window = {"period__start__gte": since} if since else {}
    # History shows what was submitted; the quarter itself also shows a draft (marked).
    for ret in (
        Return.objects.filter(
            activity_id__in=pks,
            period__start__lte=quarter.start,
            status=Return.Status.SUBMITTED,
            **window,
        )
        .select_related("period")
        .only(
            "activity_id",
            "status",
            "delivery",
            "new_end_date",
            "new_go_live",
            "period__start",
            "period__end",
            "period__label",
        )
    ):
        history[ret.activity_id].append(ret)
    current = {r.activity_id: r for r in _full_returns(quarter).filter(activity_id__in=pks)}
    return [
        Scorecard(
            activity=a,
            quarter=quarter,
            return_obj=current.get(a.pk),
            history=_history(history[a.pk]),
        )
        for a in activities
    ]
