"""Synthetic risk register for benchmarks: ``scale`` × the council's ~20 corporate risks over
the given quarters, a refresh every quarter with an entry per open risk, three actions per
risk with updates. Deterministic from ``rng``; written with bulk_create."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.models import Group

from kccperf.models import Directorate, ReportingPeriod, Role, User
from kccperf.periods import Quarter
from risks.models import (
    ActionUpdate,
    MitigatingAction,
    ReferenceCounter,
    Risk,
    RiskCategory,
    RiskRefresh,
    RiskRefreshEntry,
    ref_number,
)

RISKS_PER_SCALE = 24
ACTIONS_PER_RISK = 3
RISK_MANAGER = "synth.risk.manager"


def _scores(rng: random.Random) -> tuple[int, int, int, int]:
    cl, ci = rng.randint(2, 5), rng.randint(3, 5)
    return cl, ci, max(1, cl - rng.randint(0, 2)), max(1, ci - rng.randint(0, 1))


def generate(scale: int, rng: random.Random, quarters: list[Quarter]) -> None:
    manager = _risk_manager()
    risks = _make_risks(RISKS_PER_SCALE * scale, rng, quarters)
    _make_refreshes(risks, rng, quarters, manager)
    _make_actions(risks, rng, quarters, manager)


def _risk_manager() -> User:
    group = Group.objects.get(name=Role.RISK_MANAGER.value)
    manager, _ = User.objects.get_or_create(
        username=RISK_MANAGER,
        defaults={"first_name": "Risk", "last_name": "Synthetic", "password": "!"},
    )
    manager.groups.add(group)
    return manager


# Each risk with the indexes of the quarters it opened and closed in (None: still open).
SyntheticRisks = list[tuple[Risk, tuple[int, int | None]]]


def _make_risks(count: int, rng: random.Random, quarters: list[Quarter]) -> SyntheticRisks:
    directorates = list(Directorate.objects.all())
    categories = list(RiskCategory.objects.all()) or [RiskCategory.objects.create(name="Synthetic")]
    start = max((ref_number(r) or 0 for r in Risk.objects.values_list("ref", flat=True)), default=0)
    lifetimes = []
    risks = []
    for n in range(count):
        opened = rng.randrange(0, max(1, len(quarters) - 1))
        closes = rng.choice([None, None, rng.randrange(opened + 1, len(quarters) + 1)])
        if closes is not None and closes >= len(quarters):
            closes = None
        lifetimes.append((opened, closes))
        cl, ci, tl, ti = _scores(rng)
        risk = Risk(
            ref=f"CRR{start + n + 1:04d}",
            title=f"Synthetic corporate risk {n + 1}",
            description="If the synthetic cause happens, the synthetic consequence follows.",
            owner_name=f"Director {n % 12 + 1}",
            owner_title="Corporate Director",
            category=rng.choice(categories),
            date_raised=quarters[opened].start,
            status=Risk.Status.OPEN if closes is None else Risk.Status.REMOVED,
            removed_on=quarters[closes].end if closes is not None else None,
            removal_reason="" if closes is None else "Now managed within the directorate.",
            current_likelihood=cl,
            current_impact=ci,
            target_likelihood=tl,
            target_impact=ti,
        )
        risk.set_scores()  # bulk_create skips save()
        risks.append(risk)
    Risk.objects.bulk_create(risks)
    if risks:
        ReferenceCounter.note(risks[-1].ref)
    if directorates:
        Risk.directorates.through.objects.bulk_create(
            Risk.directorates.through(risk_id=r.pk, directorate_id=rng.choice(directorates).pk)
            for r in risks
        )
    _link_activities(risks, rng)
    return list(zip(risks, lifetimes, strict=True))


def _make_refreshes(
    risks: SyntheticRisks, rng: random.Random, quarters: list[Quarter], manager: User
) -> None:
    """A refresh at every quarter's end, with an entry per risk open then."""
    existing = set(RiskRefresh.objects.values_list("date", flat=True))
    refreshes = []
    for quarter in quarters:
        if quarter.end in existing:
            continue
        period = ReportingPeriod.objects.ensure(quarter)
        refreshes.append(
            RiskRefresh(date=quarter.end, label=quarter.label, period=period, recorded_by=manager)
        )
    RiskRefresh.objects.bulk_create(refreshes)
    by_date = {r.date: r for r in refreshes}
    entries = []
    for risk, (opened, closes) in risks:
        cl, ci, tl, ti = (
            risk.current_likelihood,
            risk.current_impact,
            risk.target_likelihood,
            risk.target_impact,
        )
        last = closes if closes is not None else len(quarters)
        for index in range(opened, last):
            refresh = by_date.get(quarters[index].end)
            if refresh is None:
                continue
            reason = ""
            if rng.random() < 0.15:
                cl = min(5, max(1, cl + rng.choice([-1, 1])))
                reason = "Synthetic change of likelihood."
            entry = RiskRefreshEntry(
                refresh=refresh,
                risk=risk,
                current_likelihood=cl,
                current_impact=ci,
                target_likelihood=tl,
                target_impact=ti,
                reason=reason,
            )
            entry.set_scores()
            entries.append(entry)
        risk.current_likelihood = cl
        risk.set_scores()
    RiskRefreshEntry.objects.bulk_create(entries, batch_size=2000)
    Risk.objects.bulk_update(
        [risk for risk, _ in risks], ["current_likelihood", "current_score"], batch_size=1000
    )


def _make_actions(
    risks: SyntheticRisks, rng: random.Random, quarters: list[Quarter], manager: User
) -> None:
    """Three actions per risk, each with two updates."""
    statuses = [s for s, _ in MitigatingAction.Status.choices]
    actions = []
    for risk, (opened, _closes) in risks:
        for k in range(ACTIONS_PER_RISK):
            regular = rng.random() < 0.3
            due = quarters[min(len(quarters) - 1, opened + rng.randrange(0, 6))].end
            actions.append(
                MitigatingAction(
                    risk=risk,
                    description=f"Synthetic mitigating action {k + 1} for {risk.ref}",
                    owner=f"Head of Service {k + 1}",
                    due_date=None if regular else due,
                    regular_review=regular,
                    status="regular_review" if regular else rng.choice(statuses[:4]),
                    order=k,
                )
            )
    MitigatingAction.objects.bulk_create(actions, batch_size=2000)
    updates = []
    for action in actions:
        day = action.due_date or action.risk.date_raised
        for k in range(2):
            updates.append(
                ActionUpdate(
                    action=action,
                    date=day + timedelta(days=30 * k + rng.randrange(0, 20)),
                    text="Synthetic progress update.",
                    by=manager,
                )
            )
    ActionUpdate.objects.bulk_create(updates, batch_size=2000)


def _link_activities(risks: list[Risk], rng: random.Random) -> None:
    from monitoring.models import Activity

    activity_ids = list(Activity.objects.values_list("pk", flat=True))
    if not activity_ids:
        return
    Risk.activities.through.objects.bulk_create(
        Risk.activities.through(risk_id=r.pk, activity_id=rng.choice(activity_ids))
        for r in risks
        if rng.random() < 0.5
    )
