"""E-mail reminders to lead officers (and delegates) with outstanding returns.

Each e-mail is recorded in :class:`ReminderLog` before it is sent; the log's unique key
(person, window, kind, batch) means nobody gets the same reminder twice, however often the
scheduler runs the command or an analyst presses the button.
"""

from __future__ import annotations

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
from monitoring.models import Activity, ReminderLog, SubmissionWindow
from monitoring.progress import outstanding_activities

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
