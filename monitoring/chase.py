"""The chase list: outstanding returns with their lead officers' contact details."""

from __future__ import annotations

import django_tables2 as tables
from django.db.models import OuterRef, QuerySet, Subquery

from kccperf.periods import Quarter
from monitoring.models import Activity, Return
from monitoring.progress import outstanding_activities


def outstanding_rows(quarter: Quarter, activities: QuerySet[Activity]) -> list[dict]:
    """One row per outstanding return (two queries: activities with status, delegates)."""
    status = Return.objects.for_quarter(quarter).filter(activity=OuterRef("pk")).values("status")
    queryset = (
        outstanding_activities(quarter, activities)
        .select_related("outcome", "lead_officer", "directorate")
        .prefetch_related("delegates")
        .annotate(return_status=Subquery(status[:1]))
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
                "status": Return.Status(activity.return_status or Return.Status.NOT_STARTED).label,
            }
        )
    return rows


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
