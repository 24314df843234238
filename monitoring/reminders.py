"""E-mail reminders to lead officers (and delegates) with outstanding returns.

Each e-mail is recorded in :class:`ReminderLog` before it is sent; the log's unique key
(person, window, kind, batch) means nobody gets the same reminder twice, however often the
scheduler runs the command or an analyst presses the button.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse

from kccperf.models import User
from monitoring.models import Activity, ReminderLog, Return, SubmissionWindow
from monitoring.progress import outstanding_activities

logger = logging.getLogger(__name__)

DEFAULT_CLOSING_DAYS = 3


def closing_days() -> int:
    return int(getattr(settings, "MONITORING_CLOSING_REMINDER_DAYS", DEFAULT_CLOSING_DAYS))


@dataclass
class ReminderResult:
    sent: int = 0
    skipped: int = 0  # already reminded


def recipients(
    window: SubmissionWindow, activities: QuerySet[Activity] | None = None
) -> dict[User, list[Activity]]:
    """Lead officers and delegates of the window's outstanding activities (two queries)."""
    outstanding = (
        outstanding_activities(window.quarter, activities)
        .select_related("outcome", "lead_officer")
        .prefetch_related("delegates")
        .order_by("outcome__number", "number")
    )
    people: dict[User, list[Activity]] = defaultdict(list)
    for activity in outstanding:
        for person in [activity.lead_officer, *activity.delegates.all()]:
            if person.is_active and person.email:
                people[person].append(activity)
    return people


def send_window_reminders(
    window: SubmissionWindow,
    kind: str,
    *,
    today: date,
    activities: QuerySet[Activity] | None = None,
    base_url: str = "",
) -> ReminderResult:
    """Send ``kind`` reminders for ``window`` to everyone with outstanding returns."""
    batch = today.isoformat() if kind == ReminderLog.Kind.ON_DEMAND else ""
    result = ReminderResult()
    already = set(
        ReminderLog.objects.filter(window=window, kind=kind, batch=batch).values_list(
            "user_id", flat=True
        )
    )
    for person, outstanding in recipients(window, activities).items():
        if person.pk in already:
            result.skipped += 1
            continue
        try:
            with transaction.atomic():
                ReminderLog.objects.create(user=person, window=window, kind=kind, batch=batch)
                _send(person, window, kind, outstanding, today=today, base_url=base_url)
        except IntegrityError:
            # Another run logged this reminder first.
            result.skipped += 1
            continue
        result.sent += 1
    return result


def _send(person, window, kind, outstanding, *, today, base_url) -> None:
    context = {
        "person": person,
        "window": window,
        "quarter": window.quarter,
        "kind": kind,
        "days_left": window.days_left(today),
        "activities": outstanding,
        "url": base_url
        + reverse("monitoring:my-returns-period", kwargs={"period": window.quarter}),
    }
    subject = {
        ReminderLog.Kind.OPENING: f"SDP returns for {window.quarter.label} are open",
        ReminderLog.Kind.CLOSING: f"SDP returns for {window.quarter.label} close on "
        f"{window.closes:%d %B %Y}",
        ReminderLog.Kind.ON_DEMAND: f"Reminder: SDP returns for {window.quarter.label}",
    }[kind]
    body = render_to_string("monitoring/email/reminder.txt", context)
    send_mail(subject, body, None, [person.email])


def due_reminders(
    today: date, days_before_close: int | None = None
) -> list[tuple[SubmissionWindow, str]]:
    """Which automatic reminders are due today: "opening" while a window is open, "closing"
    in its last ``days_before_close`` days. The log stops repeats."""
    days = closing_days() if days_before_close is None else days_before_close
    due = []
    for window in SubmissionWindow.objects.open_on(today).select_related("period"):
        due.append((window, ReminderLog.Kind.OPENING))
        if today >= window.closes - timedelta(days=days):
            due.append((window, ReminderLog.Kind.CLOSING))
    return due


# Sign-off ------------------------------------------------------------------------------


def notify_approver_later(return_pk: int) -> None:
    """Tell the approver about a submission waiting for them once it is committed. Should
    sending fail, nothing is logged and ``send_reminders`` sends it on its next run."""

    def notify() -> None:
        try:
            send_sign_off_notices(Return.objects.filter(pk=return_pk))
        except Exception:  # noqa: BLE001 - the submission is saved; the command retries
            logger.exception("Could not e-mail the approver of return %s", return_pk)

    transaction.on_commit(notify)


def send_sign_off_notices(
    returns: QuerySet[Return] | None = None, *, base_url: str | None = None
) -> ReminderResult:
    """E-mail each approver about every return waiting for their sign-off, once per
    submission (ReminderLog keyed by return and sign-off round). Two queries, then one
    insert and one e-mail per notice sent."""
    base_url = getattr(settings, "SITE_URL", "") if base_url is None else base_url
    queryset = Return.objects.all() if returns is None else returns
    waiting = list(
        queryset.filter(
            sign_off=Return.SignOff.AWAITING,
            status=Return.Status.SUBMITTED,
            approver__isnull=False,
            approver__is_active=True,
            period__submission_window__isnull=False,
        )
        .exclude(approver__email="")
        .select_related(
            "activity__outcome", "approver", "submitted_by", "period__submission_window"
        )
        .order_by("period__start", "activity__outcome__number", "activity__number")
    )
    result = ReminderResult()
    batches = {_sign_off_batch(r) for r in waiting}
    already = set(
        ReminderLog.objects.filter(kind=ReminderLog.Kind.SIGN_OFF, batch__in=batches).values_list(
            "user_id", "batch"
        )
    )
    for return_obj in waiting:
        key = (return_obj.approver_id, _sign_off_batch(return_obj))
        if key in already:
            result.skipped += 1
            continue
        try:
            with transaction.atomic():
                ReminderLog.objects.create(
                    user=return_obj.approver,
                    window=return_obj.period.submission_window,
                    kind=ReminderLog.Kind.SIGN_OFF,
                    batch=key[1],
                )
                _send_sign_off_notice(return_obj, base_url)
        except IntegrityError:
            result.skipped += 1
            continue
        result.sent += 1
    return result


def _sign_off_batch(return_obj: Return) -> str:
    return f"{return_obj.pk}.{return_obj.sign_off_round}"


def _send_sign_off_notice(return_obj: Return, base_url: str) -> None:
    activity, quarter = return_obj.activity, return_obj.quarter
    context = {
        "person": return_obj.approver,
        "return": return_obj,
        "activity": activity,
        "quarter": quarter,
        "url": base_url
        + reverse(
            "monitoring:return-sign-off", kwargs={"activity_pk": activity.pk, "period": quarter}
        ),
        "list_url": base_url + reverse("monitoring:sign-off-list"),
    }
    subject = f"Awaiting your sign-off: SDP return {activity.reference} {quarter.label}"
    body = render_to_string("monitoring/email/sign_off.txt", context)
    send_mail(subject, body, None, [return_obj.approver.email])
