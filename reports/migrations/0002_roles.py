from django.db import migrations

from kccperf.roles import grant


def forward(apps, schema_editor):
    grant(apps, "reports", {"Analyst": ["publish_report"]})


class Migration(migrations.Migration):
    dependencies = [
        ("kccperf", "0002_roles"),
        ("reports", "0001_report_tables_and_reports"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
