"""E-mail lead officers with outstanding SDP returns; safe to run as often as you like.

python manage.py send_reminders                    # what is due today (opening, closing)
python manage.py send_reminders --kind on-demand   # everyone outstanding, once a day
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kccperf.periods import Quarter
from monitoring.models import ReminderLog, SubmissionWindow
from monitoring.reminders import closing_days as default_closing_days
from monitoring.reminders import due_reminders, send_sign_off_notices, send_window_reminders

KINDS = {
    "opening": ReminderLog.Kind.OPENING,
    "closing": ReminderLog.Kind.CLOSING,
    "on-demand": ReminderLog.Kind.ON_DEMAND,
}


class Command(BaseCommand):
    help = (
        "Send SDP return reminders by e-mail: when a window opens, in its last days "
        "(--closing-days, default 3) and on demand, and tell approvers of returns waiting "
        "for their sign-off. Nobody gets the same reminder twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            choices=sorted(KINDS),
            help="Only this kind; default: the opening and closing reminders due today.",
        )
        parser.add_argument(
            "--quarter", help="The window's quarter, e.g. 'Q2 2019/20' (default: open windows)."
        )
        parser.add_argument(
            "--closing-days",
            type=int,
            default=None,
            help="Days before a window closes to send the closing reminder "
            "(default: MONITORING_CLOSING_REMINDER_DAYS or 3).",
        )
        parser.add_argument(
            "--date", dest="as_of", help="Act as if today were this date (YYYY-MM-DD)."
        )

    def handle(self, *args, kind, quarter, closing_days: int | None, as_of, **options):
        today = _parse_date(as_of) if as_of else timezone.localdate()
        days = closing_days if closing_days is not None else default_closing_days()
        if quarter:
            try:
                q = Quarter.parse(quarter)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            window = SubmissionWindow.objects.filter(period__start=q.start).first()
            if window is None:
                raise CommandError(f"{q.label} has no submission window")
            windows = [window]
        else:
            windows = list(SubmissionWindow.objects.open_on(today).select_related("period"))

        if kind is None:
            due = [(w, k) for w, k in due_reminders(today, days) if w in windows or not quarter]
        else:
            wanted = KINDS[kind]
            due = [(w, wanted) for w in windows]
            if wanted == ReminderLog.Kind.CLOSING:
                due = [(w, k) for w, k in due if (w.closes - today).days <= days]
        base_url = getattr(settings, "SITE_URL", "")
        if kind is None:
            # Approvers are told of each submission waiting for them at once; this catches
            # any notice that could not be sent then (never twice: ReminderLog).
            notices = send_sign_off_notices(base_url=base_url)
            self.stdout.write(f"Sign-off: {notices.sent} sent, {notices.skipped} already told.")
        if not due:
            self.stdout.write("No reminders are due.")
        for window, reminder_kind in due:
            result = send_window_reminders(window, reminder_kind, today=today, base_url=base_url)
            self.stdout.write(
                f"{window.period.label} {ReminderLog.Kind(reminder_kind).label.lower()}: "
                f"{result.sent} sent, {result.skipped} already reminded."
            )


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date {text!r} is not YYYY-MM-DD") from None
