"""What the risk app gives the reports app (its front door): the QPR's corporate risk
register section and the risk sheets of the analyst workbook, as plain data."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from kccperf.comparison import Completeness
from kccperf.periods import Quarter
from kccperf.reporting import Sheet
from risks.models import (
    ActionUpdate,
    MitigatingAction,
    Risk,
    RiskLevelBand,
    RiskRefresh,
    RiskRefreshEntry,
    can_read_register,
)
from risks.overview import ACTION_COLUMNS, overview_for
from risks.scoring import risk_level

REGISTER_HEADERS = [
    "Reference",
    "Title",
    "Status",
    "Risk owner",
    "Cabinet member",
    "Directorates",
    "Category",
    "Date raised",
    "Refresh",
    "Current likelihood",
    "Current impact",
    "Current score",
    "Current level",
    "Target likelihood",
    "Target impact",
    "Target score",
    "Target level",
    "Reason for change",
    "Description",
]
ACTION_HEADERS = [
    "Risk",
    "Action",
    "Owner",
    "Due date",
    "Regular review",
    "Status",
    "Latest update date",
    "Latest update",
]


def completeness(quarter: Quarter, user) -> Completeness | None:
    """How many open risks the quarter's refresh (the latest dated in it) covers (one
    query); ``None`` for people who do not read the register."""
    if not can_read_register(user):
        return None
    refresh = (
        RiskRefresh.objects.filter(date__range=(quarter.start, quarter.end))
        .order_by("-date")
        .values("pk")[:1]
    )
    covered = RiskRefreshEntry.objects.filter(risk=OuterRef("pk"), refresh=Subquery(refresh))
    counts = Risk.objects.open().aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(Exists(covered)))
    )
    if not counts["done"]:
        return Completeness(
            0, counts["total"], f"open risks refreshed (no {quarter.label} refresh yet)"
        )
    return Completeness(counts["done"], counts["total"], "open risks in the quarter's refresh")


def register_section(quarter: Quarter) -> dict | None:
    """The QPR's corporate risk register section: the refresh of the quarter (else the latest
    before its end), the risks by level now and at target, new, removed and changed risks
    and the mitigating actions by status; ``None`` when no refresh is on record."""
    refresh = RiskRefresh.objects.select_related("period").for_quarter(quarter)
    if refresh is None:
        return None
    overview = overview_for(refresh)
    # Only while the refresh's quarter is collecting (published figures keep their shape).
    pending = (
        {
            "not_yet_refreshed": [
                {"ref": r.ref, "title": r.title} for r in overview.not_yet_refreshed
            ]
        }
        if overview.not_yet_refreshed
        else {}
    )
    return {
        **pending,
        "refresh": refresh.label,
        "date": refresh.date.isoformat(),
        "previous": overview.previous.label if overview.previous else "",
        "levels": [
            {"level": c.level, "colour": c.colour, "current": c.current, "target": c.target}
            for c in overview.levels
        ],
        "total_current": overview.total_current,
        "total_target": overview.total_target,
        "new": [{"ref": e.risk.ref, "title": e.risk.title} for e in overview.new],
        "removed": [{"ref": r.ref, "title": r.title} for r in overview.removed],
        "changed": [
            {
                "ref": c.risk.ref,
                "title": c.risk.title,
                "old_score": c.old_score,
                "new_score": c.new_score,
                "old_level": c.old_level or "",
                "new_level": c.new_level or "",
                "reason": c.reason,
            }
            for c in overview.changed
        ],
        "action_columns": [label for _, label in ACTION_COLUMNS],
        "action_rows": [
            {"label": row.label, "cells": row.cells, "total": row.total}
            for row in overview.action_rows
        ],
    }


def _register_sheet(refresh: RiskRefresh | None, entries: dict, bands) -> Sheet:
    """The risks of the refresh with their scores then (or the current register)."""
    risks = (
        Risk.objects.select_related("cabinet_member", "category")
        .prefetch_related("directorates")
        .order_by("ref")
    )
    if refresh is not None:
        risks = risks.filter(pk__in=list(entries))
    rows = []
    for risk in risks:
        entry = entries.get(risk.pk, risk)
        rows.append(
            [
                risk.ref,
                risk.title,
                risk.get_status_display(),
                risk.owner,
                risk.cabinet_member.name if risk.cabinet_member else None,
                "; ".join(d.name for d in risk.directorates.all()),
                risk.category.name if risk.category else None,
                risk.date_raised,
                refresh.label if refresh else "Current register",
                entry.current_likelihood,
                entry.current_impact,
                entry.current_score,
                risk_level(entry.current_score, bands),
                entry.target_likelihood,
                entry.target_impact,
                entry.target_score,
                risk_level(entry.target_score, bands),
                getattr(entry, "reason", ""),
                risk.description,
            ]
        )
    return Sheet("Risk register", REGISTER_HEADERS, rows)


def _actions_sheet(refresh: RiskRefresh | None, entries: dict) -> Sheet:
    """The mitigating actions of those risks, each with its latest update."""
    queryset = MitigatingAction.objects.select_related("risk")
    if refresh is not None:
        queryset = queryset.filter(risk_id__in=list(entries))
    actions = list(queryset.order_by("risk__ref", "order", "pk"))
    # Each action's latest update (by date, then as entered), as plain rows in one query:
    # prefetching builds a queryset per action.
    latest: dict[int, tuple] = {}
    for action_id, on, text in (
        ActionUpdate.objects.filter(action__in=queryset.values("pk"))
        .order_by("date", "pk")
        .values_list("action_id", "date", "text")
    ):
        latest[action_id] = (on, text)
    rows = []
    for action in actions:
        on, text = latest.get(action.pk, (None, None))
        rows.append(
            [
                action.risk.ref,
                action.description,
                action.owner,
                action.due_date,
                action.regular_review,
                action.get_status_display(),
                on,
                text,
            ]
        )
    return Sheet("Mitigating actions", ACTION_HEADERS, rows)


def workbook_sheets(quarter: Quarter) -> list[Sheet]:
    """The risk register and mitigating actions sheets of the analyst workbook, as at the
    quarter's refresh (a fixed number of queries)."""
    bands = RiskLevelBand.objects.as_bands()
    refresh = RiskRefresh.objects.for_quarter(quarter)
    entries = {}
    if refresh is not None:
        entries = {e.risk_id: e for e in refresh.entries.all()}
    return [_register_sheet(refresh, entries, bands), _actions_sheet(refresh, entries)]
