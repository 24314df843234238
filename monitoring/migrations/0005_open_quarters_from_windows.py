from datetime import datetime, time

from django.db import migrations
from django.utils import timezone


def open_quarters_with_windows(apps, schema_editor):
    """A quarter with a submission window was opened for returns when its window opened;
    one whose window has not closed yet is still collecting."""
    SubmissionWindow = apps.get_model("monitoring", "SubmissionWindow")
    today = timezone.localdate()
    for window in SubmissionWindow.objects.select_related("period"):
        period = window.period
        period.opened_at = timezone.make_aware(datetime.combine(window.opens, time(9)))
        if window.closes >= today:
            period.closed_at = None
        period.save(update_fields=["opened_at", "closed_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("kccperf", "0004_period_lifecycle"),
        ("monitoring", "0004_analysis_text"),
    ]

    operations = [migrations.RunPython(open_quarters_with_windows, migrations.RunPython.noop)]
