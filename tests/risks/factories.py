"""Plain factories for the risk register: make_<thing>(**overrides)."""

from __future__ import annotations

import itertools
from datetime import date

from risks.models import (
    ActionUpdate,
    MitigatingAction,
    Risk,
    RiskCategory,
    RiskRefresh,
    RiskRefreshEntry,
)

_seq = itertools.count(1)


def make_category(**overrides) -> RiskCategory:
    fields = {"name": f"Category {next(_seq)}"}
    fields.update(overrides)
    return RiskCategory.objects.create(**fields)


def make_risk(**overrides) -> Risk:
    directorates = overrides.pop("directorates", [])
    n = next(_seq)
    fields = {
        "title": f"Risk {n}",
        "description": "If a cause, then an event, leading to a consequence.",
        "owner_name": f"Owner {n}",
        "owner_title": "Corporate Director",
        "date_raised": date(2018, 4, 1),
        "current_likelihood": 3,
        "current_impact": 4,
        "target_likelihood": 2,
        "target_impact": 3,
    }
    fields.update(overrides)
    risk = Risk.objects.create(**fields)
    if directorates:
        risk.directorates.set(directorates)
    return risk


def make_refresh(on: str = "2019-09-30", **overrides) -> RiskRefresh:
    fields = {"date": date.fromisoformat(on), "label": f"Refresh {on}"}
    fields.update(overrides)
    return RiskRefresh.objects.create(**fields)


def make_entry(refresh: RiskRefresh, risk: Risk, **overrides) -> RiskRefreshEntry:
    fields = {
        "current_likelihood": risk.current_likelihood,
        "current_impact": risk.current_impact,
        "target_likelihood": risk.target_likelihood,
        "target_impact": risk.target_impact,
    }
    fields.update(overrides)
    return RiskRefreshEntry.objects.create(refresh=refresh, risk=risk, **fields)


def make_action(risk: Risk | None = None, **overrides) -> MitigatingAction:
    fields = {
        "description": f"Action {next(_seq)}",
        "owner": "Head of Service",
        "due_date": date(2019, 9, 30),
        "status": MitigatingAction.Status.IN_PROGRESS,
    }
    fields.update(overrides)
    return MitigatingAction.objects.create(risk=risk or make_risk(), **fields)


def make_update(action: MitigatingAction, on: str = "2019-10-21", **overrides) -> ActionUpdate:
    fields = {"date": date.fromisoformat(on), "text": "Progress made."}
    fields.update(overrides)
    return ActionUpdate.objects.create(action=action, **fields)


def make_activity(lead, number: int = 1, title: str = "An SDP activity"):
    """A monitoring.Activity for link and cross-check tests (monitoring has no factories)."""
    from monitoring.models import Activity
    from tests.factories import make_directorate, make_outcome

    return Activity.objects.create(
        outcome=make_outcome(),
        number=number,
        title=title,
        directorate=make_directorate(),
        lead_officer=lead,
        sdp_start=date(2019, 4, 1),
        sdp_end=date(2020, 3, 31),
    )
