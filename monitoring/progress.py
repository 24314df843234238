"""Who has responded: response rates and outstanding returns (read-only queries)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from kccperf.periods import Quarter
from monitoring.models import Activity, Return


@dataclass(frozen=True)
class ResponseRate:
    submitted: int
    expected: int

    @property
    def percent(self) -> int | None:
        if not self.expected:
            return None
        return round(100 * self.submitted / self.expected)

    @property
    def outstanding(self) -> int:
        return self.expected - self.submitted


def _submitted_in(quarter: Quarter) -> Exists:
    """Whether the activity holds a submitted return for ``quarter``."""
    return Exists(
        Return.objects.for_quarter(quarter).filter(
            activity=OuterRef("pk"), status=Return.Status.SUBMITTED
        )
    )


def activities_due(quarter: Quarter, activities: QuerySet[Activity] | None = None):
    """Activities expected to send a return for ``quarter`` (:func:`monitoring.rules.is_due`)."""
    activities = Activity.objects.all() if activities is None else activities
    return activities.due_in(quarter)


def response_rate(quarter: Quarter, activities: QuerySet[Activity] | None = None) -> ResponseRate:
    """Submitted returns over activities due, in one query."""
    submitted = _submitted_in(quarter)
    counts = activities_due(quarter, activities).aggregate(
        expected=Count("pk"), submitted=Count("pk", filter=Q(submitted))
    )
    return ResponseRate(submitted=counts["submitted"], expected=counts["expected"])


def outstanding_activities(quarter: Quarter, activities: QuerySet[Activity] | None = None):
    """Due activities without a submitted return for ``quarter``."""
    submitted = _submitted_in(quarter)
    return activities_due(quarter, activities).exclude(submitted)


def outstanding_for(user, quarter: Quarter) -> int:
    return outstanding_activities(quarter, Activity.objects.editable_by(user)).count()


def response_rates_by_outcome(quarter: Quarter, activities: QuerySet[Activity] | None = None):
    """[(outcome number, outcome title, ResponseRate)] in one query."""
    submitted = _submitted_in(quarter)
    rows = (
        activities_due(quarter, activities)
        .order_by()
        .values("outcome__number", "outcome__title")
        .annotate(expected=Count("pk"), submitted=Count("pk", filter=Q(submitted)))
        .order_by("outcome__number")
    )
    return [
        (
            row["outcome__number"],
            row["outcome__title"],
            ResponseRate(submitted=row["submitted"], expected=row["expected"]),
        )
        for row in rows
    ]
