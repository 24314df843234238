"""Demo data for SDP monitoring (fixtures/monitoring_demo.json): lead officers, the 79
activities, the Q1/Q2 2019/20 windows and returns. Idempotent: natural keys throughout."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from kccperf.demo import ensure_user, read_fixture
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

    themes = {t.key: t for t in IssueTheme.objects.all()}
    periods: dict[str, ReportingPeriod] = {}
    for item in data["returns"]:
        label = item["quarter"]
        if label not in periods:
            periods[label] = ReportingPeriod.objects.ensure(Quarter.parse(label))
        _load_return(
            item,
            activities[(item["outcome"], item["number"])],
            periods[label],
            themes,
            windows.get(label),
        )


def _load_return(item, activity, period, themes, window) -> None:
    officer = activity.lead_officer
    submitted_at = timezone.make_aware(
        datetime.combine(window.closes if window else period.end, time(12, 0))
    )
    return_obj, _ = Return.objects.update_or_create(
        activity=activity,
        period=period,
        defaults={
            "status": Return.Status.SUBMITTED,
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
            "submitted_by": officer,
            "submitted_at": submitted_at,
            "updated_by": officer,
            "updated_at": submitted_at,
            "version": 1,
        },
    )
    return_obj.issues.set([themes[key] for key in item["issues"]])

    wanted = {}
    for kind, value in item["milestones"].items():
        if value is None:
            continue
        if isinstance(value, dict):
            wanted[kind] = {"date": _day(value.get("date")), "text": value.get("text") or ""}
        else:
            wanted[kind] = {"date": _day(value), "text": ""}
    for kind, fields in wanted.items():
        Milestone.objects.update_or_create(return_obj=return_obj, kind=kind, defaults=fields)
    Milestone.objects.filter(return_obj=return_obj).exclude(kind__in=wanted).delete()

    expected = [
        (e["board"], e.get("informal_board") or "", _day(e["date"]), bool(e["on_forward_plan"]))
        for e in item["expected"]
    ]
    current = [
        (g.board, g.informal_board, g.expected_date, g.on_forward_plan)
        for g in return_obj.expected_governance.order_by("pk")
    ]
    if current != expected:
        return_obj.expected_governance.all().delete()
        ExpectedGovernance.objects.bulk_create(
            ExpectedGovernance(
                return_obj=return_obj,
                board=board,
                informal_board=informal,
                expected_date=when,
                on_forward_plan=plan,
            )
            for board, informal, when, plan in expected
        )
    ReturnRevision.objects.get_or_create(
        return_obj=return_obj,
        version=1,
        defaults={
            "action": ReturnRevision.Action.SUBMITTED,
            "by": officer,
            "at": submitted_at,
            "changes": {},
        },
    )
