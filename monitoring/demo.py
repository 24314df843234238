"""Demo data for SDP monitoring (fixtures/monitoring_demo.json): lead officers, the 79
activities, the Q1/Q2 2019/20 windows and returns. Idempotent: natural keys throughout."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from kccperf.demo import LIVE_QUARTER, SEED_QUARTER, ensure_user, live_window, read_fixture
from kccperf.models import Directorate, Outcome, ReportingPeriod, Role, User
from kccperf.periods import Quarter
from monitoring.models import (
    Activity,
    ActivityType,
    ExpectedGovernance,
    IssueTheme,
    Milestone,
    Return,
    ReturnRevision,
    SubmissionWindow,
)
from monitoring.rules import ANSWER_FIELDS

FIXTURE = "monitoring_demo.json"
# The demo login "lead.officer" helps with two Outcome 1 activities so it has returns to see.
DEMO_DELEGATIONS = {"lead.officer": [(1, 4), (1, 5)]}


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def load(password: str) -> None:
    data = read_fixture(FIXTURE)
    directorates = {d.slug: d for d in Directorate.objects.all()}
    outcomes = {o.number: o for o in Outcome.objects.all()}

    officers: dict[str, User] = {}
    for item in data["lead_officers"]:
        item = {k: v for k, v in item.items() if k != "illustrative"}
        officers[item["username"]] = ensure_user(password, roles=[Role.LEAD_OFFICER.value], **item)

    types = {}
    for name in sorted({a["activity_type"] for a in data["activities"] if a["activity_type"]}):
        types[name], _ = ActivityType.objects.get_or_create(name=name)

    activities: dict[tuple[int, int], Activity] = {}
    for item in data["activities"]:
        activity, _ = Activity.objects.update_or_create(
            outcome=outcomes[item["outcome"]],
            number=item["number"],
            defaults={
                "title": item["title"],
                "directorate": directorates[item["directorate"]],
                "lead_officer": officers[item["lead_officer"]],
                "activity_type": types.get(item["activity_type"]),
                "sdp_start": _day(item["sdp_start"]),
                "sdp_end": _day(item["sdp_end"]),
                "go_live": _day(item["go_live"]),
                "corporate_board": item["corporate_board"],
                "is_active": item.get("is_active", True),
            },
        )
        activities[(item["outcome"], item["number"])] = activity

    for username, keys in DEMO_DELEGATIONS.items():
        user = User.objects.filter(username=username).first()
        if user is not None:
            for key in keys:
                activities[key].delegates.add(user)

    windows: dict[str, SubmissionWindow] = {}
    for item in data["windows"]:
        period = ReportingPeriod.objects.ensure(Quarter.parse(item["quarter"]))
        windows[item["quarter"]], _ = SubmissionWindow.objects.update_or_create(
            period=period,
            defaults={"opens": _day(item["opens"]), "closes": _day(item["closes"])},
        )

    periods = {
        label: ReportingPeriod.objects.ensure(Quarter.parse(label))
        for label in sorted({item["quarter"] for item in data["returns"]})
    }
    _load_returns(data["returns"], activities, periods, windows)
    _load_live_quarter(data["returns"], activities)
    _load_sign_off(outcomes[SIGN_OFF_OUTCOME])


# Sign-off is on for one outcome: its returns wait for the demo approver. Of the live
# quarter's submitted returns there, every other one is signed off, the rest await sign-off.
SIGN_OFF_OUTCOME = 1
DEMO_APPROVER = "approver"


def _load_sign_off(outcome: Outcome) -> None:
    approver = User.objects.filter(username=DEMO_APPROVER).first()
    if approver is None:
        return
    if not outcome.sign_off_required or outcome.approver_id != approver.pk:
        outcome.sign_off_required = True
        outcome.approver = approver
        outcome.save(update_fields=["sign_off_required", "approver"])
    submitted = list(
        Return.objects.filter(
            period__start=LIVE_QUARTER.start,
            activity__outcome=outcome,
            status=Return.Status.SUBMITTED,
        ).order_by("activity__number")
    )
    changed = []
    for index, return_obj in enumerate(submitted):
        signed = index % 2 == 0
        wanted = {
            "sign_off": Return.SignOff.SIGNED_OFF if signed else Return.SignOff.AWAITING,
            "approver_id": approver.pk,
            "sign_off_round": 1,
            "signed_off_by_id": approver.pk if signed else None,
            "signed_off_at": return_obj.submitted_at if signed else None,
        }
        if any(getattr(return_obj, k) != v for k, v in wanted.items()):
            for name, value in wanted.items():
                setattr(return_obj, name, value)
            changed.append(return_obj)
    if changed:
        Return.objects.bulk_update(changed, list(wanted))


# The live quarter's returns, pre-filled from the seed quarter's: of every five activities
# (in plan order) two have submitted and one has a draft; the rest have not started. The
# demo lead officer's activities have not started, so they can start and submit one.
LIVE_SUBMITTED, LIVE_DRAFT = (0, 1), (2,)


def _load_live_quarter(seed_items, activities) -> None:
    today = timezone.localdate()
    opens, closes = live_window(today)
    period = ReportingPeriod.objects.ensure(LIVE_QUARTER)
    window, _ = SubmissionWindow.objects.update_or_create(
        period=period, defaults={"opens": opens, "closes": closes}
    )
    demo_officer = {key for keys in DEMO_DELEGATIONS.values() for key in keys}
    seed_label = SEED_QUARTER.label
    items = []
    for index, item in enumerate(
        sorted(
            (i for i in seed_items if i["quarter"] == seed_label),
            key=lambda i: (i["outcome"], i["number"]),
        )
    ):
        key = (item["outcome"], item["number"])
        if key in demo_officer or index % 5 not in LIVE_SUBMITTED + LIVE_DRAFT:
            continue
        status = Return.Status.SUBMITTED if index % 5 in LIVE_SUBMITTED else Return.Status.DRAFT
        items.append({**item, "quarter": LIVE_QUARTER.label, "status": status})
    moment = timezone.make_aware(datetime.combine(max(opens, today - timedelta(days=1)), time(10)))
    _load_returns(items, activities, {LIVE_QUARTER.label: period}, {}, at=moment)


RETURN_FIELDS = (
    "status",
    *ANSWER_FIELDS,
    "submitted_by_id",
    "submitted_at",
    "updated_by_id",
    "updated_at",
)


def _wanted(item, activity, period, window, at: datetime | None = None) -> dict:
    officer = activity.lead_officer
    submitted_at = at or timezone.make_aware(
        datetime.combine(window.closes if window else period.end, time(12, 0))
    )
    status = item.get("status", Return.Status.SUBMITTED)
    milestones = []
    for kind, value in item["milestones"].items():
        if isinstance(value, dict):
            milestones.append((kind, _day(value.get("date")), value.get("text") or ""))
        elif value is not None:
            milestones.append((kind, _day(value), ""))
    return {
        "fields": {
            "status": status,
            "delivery": item["delivery"],
            "started": item["started"],
            "progress": item["progress"] or "",
            "new_end_date": _day(item["new_end_date"]),
            "new_go_live": _day(item["new_go_live"]),
            "no_new_date": not (item["new_end_date"] or item["new_go_live"]),
            "other_issue_text": item["other_issue_text"] or "",
            "issue_description": item["issue_description"] or "",
            "mitigation": item["mitigation"] or "",
            "mitigation_none_yet": item["mitigation_none_yet"],
            "risk_registers": item["risk_registers"],
            "boards_reported": item["reported"],
            "reported_informal_board": item.get("reported_informal_board", ""),
            "submitted_by_id": officer.pk if status == Return.Status.SUBMITTED else None,
            "submitted_at": submitted_at if status == Return.Status.SUBMITTED else None,
            "updated_by_id": officer.pk,
            "updated_at": submitted_at,
        },
        "issues": sorted(item["issues"]),
        "milestones": sorted(milestones),
        "expected": [
            (e["board"], e.get("informal_board") or "", _day(e["date"]), bool(e["on_forward_plan"]))
            for e in item["expected"]
        ],
    }


def _load_returns(items, activities, periods, windows, at: datetime | None = None) -> None:
    """Bulk: a handful of queries for a fresh load; only differences are written again."""
    themes = {t.key: t for t in IssueTheme.objects.all()}
    existing = {
        (r.activity_id, r.period_id): r
        for r in Return.objects.filter(period__in=periods.values()).prefetch_related(
            "issues", "milestones", "expected_governance"
        )
    }
    wanted = {}
    for item in items:
        activity = activities[(item["outcome"], item["number"])]
        period = periods[item["quarter"]]
        wanted[(activity.pk, period.pk)] = _wanted(
            item, activity, period, windows.get(item["quarter"]), at
        )

    new = [
        Return(activity_id=a, period_id=p, version=1, **w["fields"])
        for (a, p), w in wanted.items()
        if (a, p) not in existing
    ]
    for return_obj in Return.objects.bulk_create(new):
        existing[(return_obj.activity_id, return_obj.period_id)] = return_obj
    new_ids = {r.pk for r in new}

    changed = []
    issue_rows, milestone_rows, governance_rows, stale = [], [], [], []
    for key, w in wanted.items():
        return_obj = existing[key]
        fresh = return_obj.pk in new_ids
        if not fresh and any(getattr(return_obj, f) != w["fields"][f] for f in RETURN_FIELDS):
            for name, value in w["fields"].items():
                setattr(return_obj, name, value)
            changed.append(return_obj)
        current_issues = [] if fresh else sorted(t.key for t in return_obj.issues.all())
        if current_issues != w["issues"]:
            if not fresh:
                return_obj.issues.clear()
            issue_rows += [
                Return.issues.through(return_id=return_obj.pk, issuetheme_id=themes[k].pk)
                for k in w["issues"]
            ]
        current = (
            [] if fresh else sorted((m.kind, m.date, m.text) for m in return_obj.milestones.all())
        )
        if current != w["milestones"]:
            stale.append(("milestones", return_obj.pk))
            milestone_rows += [
                Milestone(return_obj_id=return_obj.pk, kind=k, date=d, text=t)
                for k, d, t in w["milestones"]
            ]
        current = (
            []
            if fresh
            else [
                (g.board, g.informal_board, g.expected_date, g.on_forward_plan)
                for g in sorted(return_obj.expected_governance.all(), key=lambda g: g.pk)
            ]
        )
        if current != w["expected"]:
            stale.append(("governance", return_obj.pk))
            governance_rows += [
                ExpectedGovernance(
                    return_obj_id=return_obj.pk,
                    board=board,
                    informal_board=informal,
                    expected_date=when,
                    on_forward_plan=plan,
                )
                for board, informal, when, plan in w["expected"]
            ]
    if changed:
        Return.objects.bulk_update(changed, RETURN_FIELDS)
    Milestone.objects.filter(
        return_obj_id__in=[pk for k, pk in stale if k == "milestones"]
    ).delete()
    ExpectedGovernance.objects.filter(
        return_obj_id__in=[pk for k, pk in stale if k == "governance"]
    ).delete()
    Return.issues.through.objects.bulk_create(issue_rows)
    Milestone.objects.bulk_create(milestone_rows)
    ExpectedGovernance.objects.bulk_create(governance_rows)
    ReturnRevision.objects.bulk_create(
        ReturnRevision(
            return_obj_id=r.pk,
            version=1,
            action=(
                ReturnRevision.Action.SUBMITTED
                if r.status == Return.Status.SUBMITTED
                else ReturnRevision.Action.SAVED
            ),
            by_id=r.updated_by_id,
            at=r.updated_at,
            changes={},
        )
        for r in new
    )
