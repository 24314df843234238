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


@dataclass(frozen=True)
class SignOffCounts:
    """Where the due returns of a quarter stand, sign-off included ("14 submitted, 12
    signed off"). ``signed_off`` counts only returns an approver signed off; returns that
    need no sign-off are ``not_needed``."""

    due: int
    submitted: int
    awaiting: int
    signed_off: int
    sent_back: int
    not_needed: int

    @property
    def outstanding(self) -> int:
        """Due and not submitted (sent-back returns included: they are drafts again)."""
        return self.due - self.submitted

    @property
    def any_sign_off(self) -> bool:
        return bool(self.awaiting or self.signed_off or self.sent_back)

    @property
    def summary(self) -> str:
        """E.g. "14 submitted, 12 signed off, 2 awaiting sign-off, 1 sent back"."""
        parts = [f"{self.submitted} submitted"]
        if self.any_sign_off:
            parts.append(f"{self.signed_off} signed off")
            parts.append(f"{self.awaiting} awaiting sign-off")
            if self.sent_back:
                parts.append(f"{self.sent_back} sent back")
        parts.append(f"{self.outstanding} outstanding")
        return ", ".join(parts)


def sign_off_counts(quarter: Quarter, activities: QuerySet[Activity] | None = None):
    """:class:`SignOffCounts` of the activities due in ``quarter`` (one query)."""

    def holding(**state) -> Q:
        return Q(
            Exists(Return.objects.for_quarter(quarter).filter(activity=OuterRef("pk"), **state))
        )

    submitted = {"status": Return.Status.SUBMITTED}
    counts = activities_due(quarter, activities).aggregate(
        due=Count("pk"),
        submitted=Count("pk", filter=holding(**submitted)),
        awaiting=Count("pk", filter=holding(**submitted, sign_off=Return.SignOff.AWAITING)),
        signed_off=Count("pk", filter=holding(**submitted, sign_off=Return.SignOff.SIGNED_OFF)),
        sent_back=Count("pk", filter=holding(sign_off=Return.SignOff.SENT_BACK)),
        not_needed=Count("pk", filter=holding(**submitted, sign_off=Return.SignOff.NOT_NEEDED)),
    )
    return SignOffCounts(**counts)
