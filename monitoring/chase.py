"""The chase list: outstanding returns with their lead officers' contact details."""

from __future__ import annotations

import django_tables2 as tables
from django.db.models import OuterRef, QuerySet, Subquery

from kccperf.periods import Quarter
from monitoring.models import Activity, Return
from monitoring.progress import outstanding_activities


def outstanding_rows(quarter: Quarter, activities: QuerySet[Activity]) -> list[dict]:
    """One row per outstanding return (two queries: activities with status, delegates)."""
    returns = Return.objects.for_quarter(quarter).filter(activity=OuterRef("pk"))
    queryset = (
        outstanding_activities(quarter, activities)
        .select_related("outcome", "lead_officer", "directorate")
        .prefetch_related("delegates")
        .annotate(
            return_status=Subquery(returns.values("status")[:1]),
            return_sign_off=Subquery(returns.values("sign_off")[:1]),
        )
        .order_by("outcome__number", "number")
    )
    rows = []
    for activity in queryset:
        lead = activity.lead_officer
        delegates = list(activity.delegates.all())
        rows.append(
            {
                "reference": activity.reference,
                "title": activity.title,
                "directorate": activity.directorate.short_name,
                "lead_officer": lead.get_full_name() or lead.username,
                "email": lead.email,
                "delegates": "; ".join(
                    f"{d.get_full_name() or d.username} <{d.email}>" for d in delegates
                ),
                "status": _status_label(activity.return_status, activity.return_sign_off),
            }
        )
    return rows


def _status_label(status: str | None, sign_off: str | None) -> str:
    """A return's state on the chase list: sent back by its approver, or its status."""
    if sign_off == Return.SignOff.SENT_BACK:
        return Return.SignOff.SENT_BACK.label
    return Return.Status(status or Return.Status.NOT_STARTED).label


class OutstandingTable(tables.Table):
    reference = tables.Column("Activity")
    title = tables.Column("Title")
    directorate = tables.Column("Directorate")
    lead_officer = tables.Column("Lead officer")
    email = tables.EmailColumn(verbose_name="Email")
    delegates = tables.Column("Delegates")
    status = tables.Column("Status")

    def __init__(self, *args, caption: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption

    class Meta:
        template_name = "includes/_table.html"
        orderable = False
        attrs = {"class": "table"}
