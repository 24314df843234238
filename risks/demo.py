"""The corporate risk register as at the Q1 and Q2 2019/20 refreshes (fixtures/risks_demo.json).

Idempotent: every row is found by its natural key (reference, refresh date, risk + action
description, action + update date and text) and updated in place.

The band table and the scale labels are not loaded here: the migration risks/0002 seeds the
council's, and the demo reads whatever the table holds (one source, which tests pin).
"""

from __future__ import annotations

from datetime import date

from kccperf.demo import read_fixture
from kccperf.models import CabinetMember, Directorate, ReportingPeriod, User
from kccperf.periods import Quarter
from risks.models import (
    ActionUpdate,
    MitigatingAction,
    Risk,
    RiskCategory,
    RiskRefresh,
    RiskRefreshEntry,
)

FIXTURE = "risks_demo.json"


def split_person(text: str) -> tuple[str, str]:
    """'Matt Dunkley, Corporate Director CYPE' -> ('Matt Dunkley', 'Corporate Director CYPE')."""
    name, _, title = text.partition(", ")
    return name.strip(), title.strip()


def load(password: str) -> None:
    data = read_fixture(FIXTURE)
    categories = {}
    for order, name in enumerate(data["categories"], start=1):
        categories[name], _ = RiskCategory.objects.update_or_create(
            name=name, defaults={"order": order}
        )
    risk_manager = User.objects.filter(username="risk.manager").first()
    refreshes = {}
    for item in data["refreshes"]:
        period = ReportingPeriod.objects.ensure(Quarter.parse(item["label"]))
        refreshes[item["label"]], _ = RiskRefresh.objects.update_or_create(
            date=date.fromisoformat(item["date"]),
            defaults={"label": item["label"], "period": period, "recorded_by": risk_manager},
        )
    directorates = {d.slug: d for d in Directorate.objects.all()}
    risks = {}
    for item in data["risks"]:
        risks[item["ref"]] = _load_risk(item, categories, directorates, refreshes)
    for order, item in enumerate(data["actions"]):
        _load_action(item, risks[item["risk"]], order)


def _load_risk(item: dict, categories, directorates, refreshes) -> Risk:
    owner_name, owner_title = split_person(item["owner"])
    member_name, _ = split_person(item["cabinet_member"]) if item["cabinet_member"] else ("", "")
    member = CabinetMember.objects.get_or_create(name=member_name)[0] if member_name else None
    latest = list(item["scores"].values())[-1]
    removed_on = None
    if item["status"] == "removed":
        removed_on = refreshes[item["removed_at_refresh"]].date
    risk, _ = Risk.objects.update_or_create(
        ref=item["ref"],
        defaults={
            "title": item["title"],
            "description": item["description"],
            "owner_name": owner_name,
            "owner_title": owner_title,
            "cabinet_member": member,
            "category": categories.get(item["category"]),
            "date_raised": date.fromisoformat(item["date_raised"]),
            "status": item["status"],
            "removed_on": removed_on,
            "removal_reason": item["removal_reason"] or "",
            "current_likelihood": latest["current_l"],
            "current_impact": latest["current_i"],
            "target_likelihood": latest["target_l"],
            "target_impact": latest["target_i"],
        },
    )
    risk.directorates.set([directorates[slug] for slug in item["directorates"]])
    for label, scores in item["scores"].items():
        RiskRefreshEntry.objects.update_or_create(
            refresh=refreshes[label],
            risk=risk,
            defaults={
                "current_likelihood": scores["current_l"],
                "current_impact": scores["current_i"],
                "target_likelihood": scores["target_l"],
                "target_impact": scores["target_i"],
                "reason": scores["reason"] or "",
            },
        )
    return risk


def _load_action(item: dict, risk: Risk, order: int) -> None:
    regular = item["due"] == "regular review"
    action, _ = MitigatingAction.objects.update_or_create(
        risk=risk,
        description=item["description"],
        defaults={
            "owner": item["owner"],
            "due_date": None if regular else date.fromisoformat(item["due"]),
            "regular_review": regular,
            "status": item["status"],
            "order": order,
        },
    )
    for update in item["updates"]:
        ActionUpdate.objects.get_or_create(
            action=action, date=date.fromisoformat(update["date"]), text=update["text"]
        )
