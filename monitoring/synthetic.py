"""Synthetic SDP monitoring data for benchmarks: ``scale`` x the council's 79 activities
with a return every quarter, deterministic from ``rng``, written with bulk_create."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.models import Group

from kccperf.models import Directorate, Outcome, ReportingPeriod, Role, User
from kccperf.periods import Quarter
from monitoring.models import (
    Activity,
    ActivityType,
    Board,
    Delivery,
    ExpectedGovernance,
    IssueTheme,
    Milestone,
    Return,
    RiskRegister,
    SubmissionWindow,
)

ACTIVITIES_PER_OUTCOME = (14, 37, 28)
OFFICERS_PER_SCALE = 64
USERNAME = "synthetic.lead{}"


APPROVERS_PER_SCALE = 4
APPROVER_USERNAME = "synthetic.approver{}"


def _approvers(scale: int) -> list[User]:
    """Directors who sign off outcome 1's returns (Approver and CMT roles)."""
    approvers = list(User.objects.filter(username__startswith="synthetic.approver").order_by("pk"))
    if approvers:
        return approvers
    approvers = User.objects.bulk_create(
        User(
            username=APPROVER_USERNAME.format(n),
            first_name="Synthetic",
            last_name=f"Director {n}",
            email=f"synthetic.approver{n}@example.org",
            password="!",
        )
        for n in range(1, APPROVERS_PER_SCALE * scale + 1)
    )
    groups = Group.objects.filter(name__in=[Role.APPROVER.value, Role.CMT.value])
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=u.pk, group_id=g.pk) for u in approvers for g in groups
    )
    return approvers


def _sign_off_fields(activity: Activity, status: str, latest: bool, rng: random.Random) -> dict:
    """Outcome 1's submitted returns: signed off, except in the latest quarter, where some
    await sign-off and a few were sent back."""
    if activity.approver is None or status != Return.Status.SUBMITTED:
        return {}
    draw = rng.random() if latest else 1.0
    state = (
        Return.SignOff.AWAITING
        if draw < 0.4
        else Return.SignOff.SENT_BACK
        if draw < 0.5
        else Return.SignOff.SIGNED_OFF
    )
    decided = state != Return.SignOff.AWAITING
    return {
        "sign_off": state,
        "approver": activity.approver,
        "sign_off_round": 1,
        "signed_off_by": activity.approver if decided else None,
        "sign_off_comment": "Synthetic comment." if state == Return.SignOff.SENT_BACK else "",
    }


def generate(scale: int, rng: random.Random, quarters: list[Quarter]) -> None:
    outcomes = list(Outcome.objects.order_by("number")[:3])
    for number in range(len(outcomes) + 1, 4):
        outcomes.append(Outcome.objects.create(number=number, title=f"Outcome {number}"))
    directorates = list(Directorate.objects.all()) or [
        Directorate.objects.create(name="Synthetic", short_name="SYN", slug="synthetic")
    ]
    types = list(ActivityType.objects.all())
    themes = list(IssueTheme.objects.all())

    # kccperf.synthetic makes the lead officers ("synthetic.lead<n>"); make ours if it did not.
    officers = list(User.objects.filter(username__startswith="synthetic.lead").order_by("pk"))
    if not officers:
        group = Group.objects.get(name=Role.LEAD_OFFICER.value)
        officers = User.objects.bulk_create(
            User(
                username=USERNAME.format(n),
                first_name="Synthetic",
                last_name=f"Lead {n}",
                email=f"synthetic.lead{n}@example.org",
                password="!",
            )
            for n in range(1, OFFICERS_PER_SCALE * scale + 1)
        )
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=u.pk, group_id=group.pk) for u in officers
        )

    approvers = _approvers(scale)
    # Sign-off is on for outcome 1: each activity names one of the approvers.
    signing = outcomes[0]
    if not signing.sign_off_required:
        signing.sign_off_required = True
        signing.save(update_fields=["sign_off_required"])

    first = quarters[0].start
    start_number = {
        o.pk: (o.activities.order_by("-number").values_list("number", flat=True).first() or 0)
        for o in outcomes
    }
    activities = []
    for outcome, count in zip(outcomes, ACTIVITIES_PER_OUTCOME, strict=False):
        for n in range(count * scale):
            start = first + timedelta(days=rng.randrange(0, 365))
            activities.append(
                Activity(
                    outcome=outcome,
                    number=start_number[outcome.pk] + n + 1,
                    title=f"Synthetic activity {outcome.number}.{n + 1}",
                    directorate=rng.choice(directorates),
                    lead_officer=rng.choice(officers),
                    activity_type=rng.choice(types) if types else None,
                    sdp_start=start,
                    sdp_end=start + timedelta(days=rng.randrange(365, 365 * 6)),
                    corporate_board=rng.random() < 0.1,
                    approver=rng.choice(approvers) if outcome == signing else None,
                )
            )
    activities = Activity.objects.bulk_create(activities)

    periods = [ReportingPeriod.objects.ensure(q) for q in quarters]
    for period in periods:
        opens = period.end + timedelta(days=30)
        SubmissionWindow.objects.get_or_create(
            period=period, defaults={"opens": opens, "closes": opens + timedelta(days=14)}
        )

    deliveries = [Delivery.ON_TRACK] * 7 + [Delivery.REMEDIAL] * 2 + [Delivery.UNLIKELY]
    returns = []
    latest = max(periods, key=lambda p: p.start)
    for period in periods:
        for activity in activities:
            delivery = rng.choice(deliveries)
            off = delivery != Delivery.ON_TRACK
            status = Return.Status.SUBMITTED if rng.random() < 0.95 else Return.Status.DRAFT
            sign_off = _sign_off_fields(activity, status, period == latest, rng)
            if sign_off.get("sign_off") == Return.SignOff.SENT_BACK:
                status = Return.Status.DRAFT
            returns.append(
                Return(
                    activity=activity,
                    period=period,
                    status=status,
                    **sign_off,
                    delivery=delivery,
                    started=True,
                    progress="Synthetic progress update.",
                    no_new_date=True,
                    issue_description="Synthetic issues." if off else "",
                    mitigation="Synthetic mitigation." if off else "",
                    risk_registers=[rng.choice(RiskRegister.values)] if off else [],
                    boards_reported=rng.sample(Board.values, rng.randrange(0, 3)),
                    submitted_by=activity.lead_officer,
                    updated_by=activity.lead_officer,
                    version=1,
                )
            )
    returns = Return.objects.bulk_create(returns, batch_size=2000)

    milestones, governance, issues = [], [], []
    kinds = Milestone.Kind.values
    for ret in returns:
        for kind in rng.sample(kinds, rng.randrange(0, 4)):
            milestones.append(
                Milestone(
                    return_obj=ret,
                    kind=kind,
                    date=ret.period.end + timedelta(days=rng.randrange(0, 400)),
                    text="Synthetic milestone" if kind == Milestone.Kind.OTHER else "",
                )
            )
        for board in rng.sample(Board.values, rng.randrange(0, 3)):
            governance.append(
                ExpectedGovernance(
                    return_obj=ret,
                    board=board,
                    informal_board="scb" if board == Board.INFORMAL else "",
                    expected_date=ret.period.end + timedelta(days=rng.randrange(0, 200)),
                    on_forward_plan=rng.random() < 0.3,
                )
            )
        if ret.delivery != Delivery.ON_TRACK and themes:
            for theme in rng.sample(themes, rng.randrange(1, 4)):
                issues.append(Return.issues.through(return_id=ret.pk, issuetheme_id=theme.pk))
    Milestone.objects.bulk_create(milestones, batch_size=5000)
    ExpectedGovernance.objects.bulk_create(governance, batch_size=5000)
    Return.issues.through.objects.bulk_create(issues, batch_size=5000)
