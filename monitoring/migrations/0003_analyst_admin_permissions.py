"""Analysts manage activities, windows and the managed lists (in the admin when staff)."""

from django.db import migrations

from kccperf.roles import grant


def forward(apps, schema_editor):
    grant(
        apps,
        "monitoring",
        {
            "Analyst": [
                "view_activity",
                "add_activity",
                "change_activity",
                "view_activitytype",
                "add_activitytype",
                "change_activitytype",
                "view_issuetheme",
                "add_issuetheme",
                "change_issuetheme",
                "view_submissionwindow",
                "add_submissionwindow",
                "change_submissionwindow",
                "view_return",
                "view_returnrevision",
                "view_reminderlog",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_roles_and_lists")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
