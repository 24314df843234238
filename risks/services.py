"""Writes that touch several rows: each runs in one transaction and leaves a history entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import models, transaction

from kccperf.models import ReportingPeriod
from kccperf.periods import Quarter
from kccperf.versioning import StaleEditError, bump, lock_version
from risks.models import (
    ACTION_FIELDS,
    DETAIL_FIELDS,
    LINK_FIELDS,
    ActionUpdate,
    MitigatingAction,
    Risk,
    RiskHistory,
    RiskRefresh,
    RiskRefreshEntry,
)
from risks.scoring import SCORE_FIELDS, Position

# What a risk's history records of an edit: its details and scores (the links apart, as sets).
RISK_FIELDS = (*DETAIL_FIELDS, *SCORE_FIELDS)


def _plain(value):
    """A JSON-friendly form of a field value for the history."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "all"):  # a many-to-many manager
        return sorted(str(v) for v in value.all())
    return str(value)


def snapshot(instance, fields) -> dict:
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff_snapshots(before: Mapping, after: Mapping) -> dict[str, list]:
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def log(risk: Risk, by, summary: str, changes: dict | None = None) -> RiskHistory:
    return RiskHistory.objects.create(risk=risk, by=by, summary=summary, changes=changes or {})


class DuplicateRefreshError(ValueError):
    """A refresh is already recorded on that date (two recorded at once, or sent twice)."""


@dataclass(frozen=True)
class RefreshLine:
    """One open risk's scores as entered in a refresh; ``reason`` needed when they changed."""

    risk: Risk
    position: Position
    reason: str = ""

    @property
    def changed(self) -> bool:
        return self.risk.position != self.position


def register_version() -> int:
    """The version of the register as a whole, which the refresh form is read at: it goes up
    with every save of any risk (created, edited, removed, moved by a refresh) and with every
    refresh recorded."""
    versions = Risk.objects.aggregate(total=models.Sum("version"))["total"] or 0
    return versions + RiskRefresh.objects.count()


@transaction.atomic
def record_refresh(
    refresh_date: date,
    label: str,
    lines: list[RefreshLine],
    by,
    *,
    base_version: int | None = None,
    carry_forward: bool = False,
) -> RiskRefresh:
    """Record the register as reviewed on ``refresh_date``: one entry per line, the risks'
    scores updated and a history line for each risk whose scores changed. With
    ``carry_forward``, every open risk without a line is recorded at its current scores (read
    under the register's lock, so the refresh covers the register exactly as it stands): the
    refresh form sends only the risks whose scores the risk manager changed.

    Locks the register first: of two refreshes recorded at once, the second waits and then,
    as the register changed since its form was loaded (``base_version``, see
    :func:`register_version`), is refused with :class:`~kccperf.versioning.StaleEditError`;
    a refresh already dated ``refresh_date`` is refused with :class:`DuplicateRefreshError`.
    Raises ``ValueError`` if a changed line has no reason (forms check this first) or a risk
    is not open.
    """
    list(Risk.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    if base_version is not None and register_version() != base_version:
        raise StaleEditError(register_version(), what="risk register")
    if RiskRefresh.objects.filter(date=refresh_date).exists():
        raise DuplicateRefreshError(f"A refresh has already been recorded on {refresh_date}")
    if carry_forward:
        lines = [*lines, *carried_forward(lines)]
    for line in lines:
        if line.changed and not line.reason.strip():
            raise ValueError(f"{line.risk.ref}: a reason is required when a score changes")
        if not line.risk.is_open:
            raise ValueError(f"{line.risk.ref} is not open")
    carried = _reasons_since_last_refresh(
        refresh_date, [line for line in lines if not line.changed]
    )
    period = ReportingPeriod.objects.ensure(Quarter.containing(refresh_date))
    refresh = RiskRefresh.objects.create(
        date=refresh_date, label=label, period=period, recorded_by=by
    )
    entries = []
    changed_risks = []
    history = []
    for line in lines:
        reason = line.reason.strip() or carried.get(line.risk.pk, "")
        if line.changed:
            bump(line.risk)
        entry = RiskRefreshEntry(
            refresh=refresh, risk=line.risk, reason=reason, **line.position.scores()
        )
        entry.set_scores()
        entries.append(entry)
        if line.changed:
            changed_risks.append(line.risk)
            history.append(_move_scores(line, by, f"Scores changed at the {label} refresh"))
    RiskRefreshEntry.objects.bulk_create(entries)
    Risk.objects.bulk_update(
        changed_risks, [*SCORE_FIELDS, "current_score", "target_score", "version"]
    )
    RiskHistory.objects.bulk_create(history)
    return refresh


def carried_forward(lines: list[RefreshLine]) -> list[RefreshLine]:
    """A line at its current scores for every open risk that ``lines`` leave out."""
    entered = {line.risk.pk for line in lines}
    return [
        RefreshLine(risk, risk.position)
        for risk in Risk.objects.open().exclude(pk__in=entered).order_by("ref")
    ]


def _reasons_since_last_refresh(refresh_date: date, lines: list[RefreshLine]) -> dict[int, str]:
    """The reason recorded for a risk's scores moving since the previous refresh outside a
    refresh (an import of the register, a change before the first refresh), for the risks the
    refresh records unchanged: their entry carries it, so the refresh overview shows why the
    score moved between the two refreshes instead of "No reason recorded"."""
    previous = RiskRefresh.objects.filter(date__lt=refresh_date).order_by("-date").first()
    if previous is None or not lines:
        return {}
    before = {
        entry.risk_id: Position.of(entry)
        for entry in previous.entries.filter(risk__in=[line.risk for line in lines])
    }
    moved = [
        line.risk.pk for line in lines if before.get(line.risk.pk, line.position) != line.position
    ]
    reasons: dict[int, str] = {}
    history = RiskHistory.objects.filter(
        risk__in=moved, at__gt=previous.recorded_at, changes__has_key="reason"
    ).order_by("at", "pk")
    for entry in history:
        reason = entry.changes["reason"][-1]
        if reason:
            reasons[entry.risk_id] = str(reason)
    return reasons


def _move_scores(line: RefreshLine, by, summary: str) -> RiskHistory:
    """Give the line's risk its new scores (unsaved) and the history entry that records why."""
    risk = line.risk
    before = snapshot(risk, SCORE_FIELDS)
    for name, value in line.position.scores().items():
        setattr(risk, name, value)
    risk.set_scores()
    changes = diff_snapshots(before, snapshot(risk, SCORE_FIELDS))
    changes["reason"] = [None, line.reason.strip()]
    return RiskHistory(risk=risk, by=by, summary=summary, changes=changes)


@transaction.atomic
def save_risk(form, by) -> Risk:
    """Create or edit a risk from a bound, valid ``RiskForm`` and log what changed.

    Raises :class:`~kccperf.versioning.StaleEditError` when the risk was saved (or moved by a
    refresh) since the form was loaded."""
    risk = form.instance
    creating = risk.pk is None
    if creating:
        before = {}
    else:
        stored = lock_version(Risk.objects.filter(pk=risk.pk), form.base_version, what="risk")
        before = snapshot(stored, RISK_FIELDS)
        risk.version = stored.version
    before_links = {} if creating else snapshot(risk, LINK_FIELDS)
    bump(risk)
    risk = form.save()
    after = snapshot(risk, RISK_FIELDS)
    changes = diff_snapshots(before, after)
    after_links = snapshot(risk, LINK_FIELDS)
    for name in LINK_FIELDS:
        if after_links[name] != before_links.get(name, []):
            changes[name] = [before_links.get(name, []), after_links[name]]
    if creating:
        log(risk, by, "Risk created", changes)
    elif changes:
        log(risk, by, "Risk details edited", changes)
    return risk


@transaction.atomic
def remove_risk(risk: Risk, removed_on: date, reason: str, by) -> Risk:
    """Take a risk off the register (it keeps its reference, which is never reused)."""
    if not reason.strip():
        raise ValueError("A reason is required to remove a risk")
    before = snapshot(risk, ["status", "removed_on", "removal_reason"])
    risk.status = Risk.Status.REMOVED
    risk.removed_on = removed_on
    risk.removal_reason = reason.strip()
    risk.version = models.F("version") + 1
    risk.save(update_fields=["status", "removed_on", "removal_reason", "updated_at", "version"])
    risk.refresh_from_db(fields=["version"])
    after = snapshot(risk, ["status", "removed_on", "removal_reason"])
    log(risk, by, "Risk removed from the register", diff_snapshots(before, after))
    return risk


@transaction.atomic
def save_action(form, by) -> MitigatingAction:
    """Add or edit a mitigating action from a bound, valid ``ActionForm``; refuses a stale edit
    (:class:`~kccperf.versioning.StaleEditError`)."""
    action = form.instance
    creating = action.pk is None
    if creating:
        before = {}
    else:
        stored = lock_version(
            MitigatingAction.objects.filter(pk=action.pk), form.base_version, what="action"
        )
        before = snapshot(stored, ACTION_FIELDS)
        action.version = stored.version
    bump(action)
    action = form.save()
    changes = diff_snapshots(before, snapshot(action, ACTION_FIELDS))
    if creating:
        log(action.risk, by, f"Mitigating action added: {action}", changes)
    elif changes:
        log(action.risk, by, f"Mitigating action edited: {action}", changes)
    return action


@transaction.atomic
@transaction.atomic
def add_action_update(
    action: MitigatingAction,
    on: date,
    text: str,
    by,
    status: str | None = None,
    base_version: int | None = None,
) -> ActionUpdate:
    """A dated progress note on an action, optionally moving its status. ``base_version``: the
    action's version the form was read at; when the action was saved since (its status moved
    by someone else's update, say), refuses with :class:`~kccperf.versioning.StaleEditError`,
    so a status shown before that change is not put back."""
    stored = lock_version(
        MitigatingAction.objects.filter(pk=action.pk), base_version, what="action"
    )
    if stored is not None:
        action.status, action.version = stored.status, stored.version
    update = ActionUpdate.objects.create(action=action, date=on, text=text.strip(), by=by)
    changes: dict = {"update": [None, f"{on.isoformat()}: {text.strip()}"]}
    if status and status != action.status:
        changes["status"] = [action.status, status]
        action.status = status
        bump(action)
        action.save(update_fields=["status", "version"])
    log(action.risk, by, f"Update added to action: {action}", changes)
    return update
