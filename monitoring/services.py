"""Writes to returns: save, submit, reopen. Each runs in one transaction, replaces the
return's milestones and expected governance together with it, bumps the version and keeps
what changed in a :class:`ReturnRevision`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from kccperf.models import Outcome, ReportingPeriod
from kccperf.periods import Quarter
from kccperf.versioning import StaleEditError, bump, lock_version
from monitoring.models import (
    Activity,
    AnalysisText,
    Board,
    ExpectedGovernance,
    InformalBoard,
    IssueTheme,
    Milestone,
    Return,
    ReturnRevision,
    RiskRegister,
)
from monitoring.rules import ANSWER_FIELDS


@dataclass
class ReturnData:
    """A return's answers as the form (or an import) gives them."""

    fields: dict
    issues: list[IssueTheme] = field(default_factory=list)
    milestones: list[dict] = field(default_factory=list)  # {kind, date, text}
    governance: list[dict] = field(default_factory=list)  # {board, informal_board, ...}


class StaleReturnError(StaleEditError):
    """The return changed since the form was loaded; nothing was saved (the revisions made
    meanwhile are listed)."""

    def __init__(self, return_obj: Return, revisions: list[ReturnRevision]):
        super().__init__(return_obj.version, what="return", revisions=revisions)
        self.return_obj = return_obj


class ReturnLockedError(Exception):
    """The window is closed and the return has not been reopened."""


# Field labels used in the history ("what changed").
LABELS = {
    "status": "Status",
    "delivery": "On track?",
    "started": "Formally started",
    "progress": "Progress",
    "new_end_date": "New end date",
    "new_go_live": "New go-live date",
    "no_new_date": "No new date",
    "issues": "Issues",
    "other_issue_text": "Other issue",
    "issue_description": "Description of the issues",
    "mitigation": "Mitigating actions",
    "mitigation_none_yet": "No mitigating actions yet",
    "risk_registers": "Risk registers",
    "boards_reported": "Boards reported to",
    "reported_informal_board": "Informal board reported to",
    "milestones": "Key milestones",
    "expected_governance": "Expected governance",
    "reopen_reason": "Reason for reopening",
    "sign_off": "Sign-off",
    "sign_off_comment": "Comment when sent back",
    "sign_off_reason": "Reason for signing off on behalf",
}


def _fmt_date(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _board_name(row: ExpectedGovernance) -> str:
    if row.informal_board:
        return InformalBoard(row.informal_board).label
    return row.get_board_display()


def snapshot(return_obj: Return | None) -> dict[str, object]:
    """The return's answers as JSON-friendly display values, for diffs and history."""
    if return_obj is None or return_obj.pk is None:
        return {}
    milestones = sorted(return_obj.milestones.all(), key=lambda m: m.kind)
    governance = sorted(
        return_obj.expected_governance.all(),
        key=lambda g: (g.board, g.informal_board, g.expected_date or date.min),
    )
    return {
        "status": return_obj.get_status_display(),
        "sign_off": return_obj.get_sign_off_display() if return_obj.sign_off else "",
        "delivery": return_obj.get_delivery_display() if return_obj.delivery else "",
        "started": {True: "Yes", False: "No", None: ""}[return_obj.started],
        "progress": return_obj.progress,
        "new_end_date": _fmt_date(return_obj.new_end_date),
        "new_go_live": _fmt_date(return_obj.new_go_live),
        "no_new_date": "Yes" if return_obj.no_new_date else "No",
        "issues": sorted(t.label for t in return_obj.issues.all()),
        "other_issue_text": return_obj.other_issue_text,
        "issue_description": return_obj.issue_description,
        "mitigation": return_obj.mitigation,
        "mitigation_none_yet": "Yes" if return_obj.mitigation_none_yet else "No",
        "risk_registers": [RiskRegister(r).label for r in return_obj.risk_registers],
        "boards_reported": [Board(b).label for b in return_obj.boards_reported],
        "reported_informal_board": return_obj.get_reported_informal_board_display()
        if return_obj.reported_informal_board
        else "",
        "milestones": [
            f"{m.get_kind_display()}{' (' + m.text + ')' if m.text else ''}: "
            f"{_fmt_date(m.date) or 'not known'}"
            for m in milestones
        ],
        "expected_governance": [
            f"{_board_name(g)}: {_fmt_date(g.expected_date) or 'date not known'}"
            f"{', on forward plan' if g.on_forward_plan else ''}"
            for g in governance
        ],
    }


def diff(before: dict, after: dict) -> dict[str, list]:
    """field -> [old, new] for every answer that differs."""
    changes = {}
    for key in LABELS:
        old, new = before.get(key), after.get(key)
        if old in (None, "", []) and new in (None, "", []):
            continue
        if old != new:
            changes[key] = [old, new]
    return changes


def editable_now(activity: Activity, return_obj: Return | None, window, today: date) -> bool:
    """Whether answers may change today: window open, or the return reopened (or sent back
    by its approver, which the lead officer amends and resubmits whatever the date)."""
    if return_obj is not None and (
        return_obj.is_reopened or return_obj.sign_off == Return.SignOff.SENT_BACK
    ):
        return True
    return bool(window and window.is_open(today) and activity.is_active)


def _write(
    return_obj: Return,
    data: ReturnData,
    *,
    by,
    status: str,
    action: str,
    now,
    sign_off_for: Activity | None = None,
) -> ReturnRevision | None:
    before = snapshot(return_obj)
    for name, value in data.fields.items():
        setattr(return_obj, name, value)
    if status == Return.Status.SUBMITTED and sign_off_for is not None:
        _start_sign_off(return_obj, sign_off_for)
    return_obj.status = status
    return_obj.version += 1
    return_obj.updated_by = by
    return_obj.updated_at = now
    if status == Return.Status.SUBMITTED:
        return_obj.submitted_by = by
        return_obj.submitted_at = now
        return_obj.is_reopened = False
    return_obj.save()
    return_obj.issues.set(data.issues)
    return_obj.milestones.all().delete()
    Milestone.objects.bulk_create(
        Milestone(return_obj=return_obj, kind=m["kind"], date=m.get("date"), text=m.get("text", ""))
        for m in data.milestones
    )
    return_obj.expected_governance.all().delete()
    ExpectedGovernance.objects.bulk_create(
        ExpectedGovernance(
            return_obj=return_obj,
            board=g["board"],
            informal_board=g.get("informal_board", ""),
            expected_date=g.get("expected_date"),
            on_forward_plan=g.get("on_forward_plan", False),
        )
        for g in data.governance
    )
    # Clear the prefetch caches so the snapshot reads the rows just written.
    return_obj._prefetched_objects_cache = {}
    changes = diff(before, snapshot(return_obj))
    return ReturnRevision.objects.create(
        return_obj=return_obj,
        version=return_obj.version,
        action=action,
        by=by,
        at=now,
        changes=changes,
    )


def _start_sign_off(return_obj: Return, activity: Activity) -> None:
    """A submission of an activity that needs sign-off waits for its approver: a new round
    (and one e-mail) unless it is already waiting (an amendment of the same submission).
    Amending a signed-off return makes it wait again."""
    if not activity.needs_sign_off:
        return_obj.sign_off = Return.SignOff.NOT_NEEDED
        return_obj.approver_id = None
        return
    if return_obj.sign_off == Return.SignOff.AWAITING:
        return
    return_obj.sign_off = Return.SignOff.AWAITING
    return_obj.sign_off_round += 1
    return_obj.approver_id = activity.sign_off_approver_id
    return_obj.signed_off_by = None
    return_obj.signed_off_at = None
    return_obj.sign_off_reason = ""


def save_return(
    activity: Activity,
    quarter: Quarter,
    data: ReturnData,
    *,
    by,
    base_version: int,
    submit: bool = False,
    today: date | None = None,
) -> Return:
    """Save a draft (or, with ``submit``, the submitted return) of ``activity`` for ``quarter``.

    Locks the return row, refuses a save based on an older version (:class:`StaleReturnError`
    with the revisions made meanwhile) or outside the window (:class:`ReturnLockedError`),
    then writes the answers, milestones and expected governance and records the revision.
    Once submitted, a return stays submitted when amended.
    """
    now = timezone.now()
    today = today or timezone.localdate()
    with transaction.atomic():
        period = ReportingPeriod.objects.ensure(quarter)
        return_obj, _ = Return.objects.select_for_update().get_or_create(
            activity=activity, period=period
        )
        window = getattr(period, "submission_window", None)
        if not editable_now(activity, return_obj, window, today):
            raise ReturnLockedError(f"{quarter.label} returns cannot be changed now")
        if return_obj.version != base_version:
            revisions = list(
                return_obj.revisions.filter(version__gt=base_version)
                .select_related("by")
                .order_by("version")
            )
            raise StaleReturnError(return_obj, revisions)
        already_submitted = return_obj.status == Return.Status.SUBMITTED
        if submit or already_submitted:
            status, action = Return.Status.SUBMITTED, ReturnRevision.Action.SUBMITTED
        else:
            status, action = Return.Status.DRAFT, ReturnRevision.Action.SAVED
        round_before = return_obj.sign_off_round
        _write(
            return_obj, data, by=by, status=status, action=action, now=now, sign_off_for=activity
        )
        if return_obj.sign_off_round != round_before:
            # Tell the approver once the submission is committed (never twice: ReminderLog).
            from monitoring.reminders import notify_approver_later

            notify_approver_later(return_obj.pk)
    return return_obj


class SignOffError(Exception):
    """The return is not waiting for sign-off (signed off or sent back meanwhile)."""


def _lock_awaiting(return_obj: Return, base_version: int) -> Return:
    locked = Return.objects.select_for_update().get(pk=return_obj.pk)
    if locked.version != base_version:
        revisions = list(
            locked.revisions.filter(version__gt=base_version)
            .select_related("by")
            .order_by("version")
        )
        raise StaleReturnError(locked, revisions)
    if locked.sign_off != Return.SignOff.AWAITING or locked.status != Return.Status.SUBMITTED:
        raise SignOffError(f"{return_obj} is not waiting for sign-off")
    return locked


def sign_off_return(
    return_obj: Return, *, by, base_version: int, on_behalf_reason: str = ""
) -> Return:
    """The approver (or, with ``on_behalf_reason``, an analyst on their behalf) signs off a
    return waiting for sign-off; refuses a stale version (:class:`StaleReturnError`) or a
    return no longer waiting (:class:`SignOffError`). Bumps the version, keeps a revision."""
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_awaiting(return_obj, base_version)
        locked.sign_off = Return.SignOff.SIGNED_OFF
        locked.signed_off_by = by
        locked.signed_off_at = now
        locked.sign_off_reason = on_behalf_reason
        locked.sign_off_comment = ""
        locked.version += 1
        locked.save()
        changes: dict[str, list] = {"sign_off": ["Awaiting sign-off", "Signed off"]}
        if on_behalf_reason:
            changes["sign_off_reason"] = ["", on_behalf_reason]
        ReturnRevision.objects.create(
            return_obj=locked,
            version=locked.version,
            action=ReturnRevision.Action.SIGNED_OFF,
            by=by,
            at=now,
            changes=changes,
        )
    return locked


def send_back_return(return_obj: Return, *, by, base_version: int, comment: str) -> Return:
    """The approver (or an analyst) sends a return waiting for sign-off back to its lead
    officer with a comment: it becomes a draft again, which they can amend and resubmit
    even after the window closed. Same refusals as :func:`sign_off_return`."""
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_awaiting(return_obj, base_version)
        locked.status = Return.Status.DRAFT
        locked.sign_off = Return.SignOff.SENT_BACK
        locked.sign_off_comment = comment
        locked.signed_off_by = by
        locked.signed_off_at = now
        locked.version += 1
        locked.save()
        ReturnRevision.objects.create(
            return_obj=locked,
            version=locked.version,
            action=ReturnRevision.Action.SENT_BACK,
            by=by,
            at=now,
            changes={
                "status": ["Submitted", "Draft"],
                "sign_off": ["Awaiting sign-off", "Sent back"],
                "sign_off_comment": ["", comment],
            },
        )
    return locked


def reopen_return(activity: Activity, quarter: Quarter, *, by, reason: str) -> Return:
    """Let the lead officer change one return outside its window (an analyst's decision)."""
    now = timezone.now()
    with transaction.atomic():
        period = ReportingPeriod.objects.ensure(quarter)
        return_obj, _ = Return.objects.select_for_update().get_or_create(
            activity=activity, period=period
        )
        return_obj.is_reopened = True
        return_obj.reopened_by = by
        return_obj.reopened_at = now
        return_obj.reopen_reason = reason
        return_obj.version += 1
        return_obj.save()
        ReturnRevision.objects.create(
            return_obj=return_obj,
            version=return_obj.version,
            action=ReturnRevision.Action.REOPENED,
            by=by,
            at=now,
            changes={"reopen_reason": ["", reason]},
        )
    return return_obj


def previous_return(activity: Activity, quarter: Quarter) -> Return | None:
    """The activity's latest return before ``quarter`` (for pre-filling the form)."""
    return (
        Return.objects.filter(activity=activity, period__start__lt=quarter.start)
        .exclude(status=Return.Status.NOT_STARTED)
        .order_by("-period__start")
        .prefetch_related("milestones", "expected_governance")
        .first()
    )


# Answers that carry over into the next quarter's form (with the milestones and governance).
CARRIED_OVER = ("new_end_date", "new_go_live", "no_new_date")


def initial_values(return_obj: Return | None, *, prefill: bool) -> tuple[dict, list[dict]]:
    """Form initial values and governance rows from a return.

    ``prefill``: the return is the previous quarter's, so only what carries over is used
    (milestones, revised dates and expected governance), not the answers about this quarter.
    """
    if return_obj is None:
        return {}, []
    initial: dict = {}
    for m in return_obj.milestones.all():
        initial[f"milestone_{m.kind}"] = m.date
        initial[f"milestone_{m.kind}_unknown"] = m.date is None
        if m.kind == Milestone.Kind.OTHER:
            initial["milestone_other_text"] = m.text
    initial.update({name: getattr(return_obj, name) for name in CARRIED_OVER})
    governance = [
        {
            "board": g.board,
            "informal_board": g.informal_board,
            "expected_date": g.expected_date,
            "on_forward_plan": g.on_forward_plan,
        }
        for g in return_obj.expected_governance.all()
    ]
    if not prefill:
        initial.update({name: getattr(return_obj, name) for name in ANSWER_FIELDS})
        initial["started"] = {True: "yes", False: "no"}.get(return_obj.started, "")
        initial["issues"] = list(return_obj.issues.all())
    return initial, governance


def import_return(
    activity: Activity, period: ReportingPeriod, data: ReturnData, *, by, status: str
) -> Return:
    """Write a historic return from an import (no window or version check: the analyst
    imports past quarters); recorded in the history as imported."""
    with transaction.atomic():
        return_obj, _ = Return.objects.select_for_update().get_or_create(
            activity=activity, period=period
        )
        _write(
            return_obj,
            data,
            by=by,
            status=status,
            action=ReturnRevision.Action.IMPORTED,
            now=timezone.now(),
        )
    return return_obj


def save_analysis(
    period: Quarter, outcome: Outcome | None, text: str, by, base_version: int
) -> AnalysisText:
    """Write the analysis of ``outcome`` (None: council-wide) for ``period``; refuses with
    :class:`~kccperf.versioning.StaleEditError` when it was saved since ``base_version``."""
    with transaction.atomic():
        reporting_period = ReportingPeriod.objects.ensure(period)
        saved = lock_version(
            AnalysisText.objects.filter(period=reporting_period, outcome=outcome),
            base_version,
            what="analysis",
        )
        if saved is None:
            saved = AnalysisText(period=reporting_period, outcome=outcome)
        saved.text = text
        saved.updated_by = by
        saved.updated_at = timezone.now()
        bump(saved)
        saved.save()
    return saved


def discard_analysis(period: Quarter, outcome: Outcome | None, base_version: int) -> None:
    """Delete the saved analysis (CMT then read the generated draft); refuses with
    :class:`~kccperf.versioning.StaleEditError` when it was saved since ``base_version``, so a
    discard never throws away an edit its author has not seen."""
    with transaction.atomic():
        saved = lock_version(
            AnalysisText.objects.filter(period__start=period.start, outcome=outcome),
            base_version,
            what="analysis",
        )
        if saved is not None:
            saved.delete()
