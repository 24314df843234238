"""The Approver role (signs off the returns they are named approver of) and analysts'
permission to sign off on an approver's behalf."""

from django.db import migrations

from kccperf.roles import grant


def forward(apps, schema_editor):
    grant(
        apps,
        "monitoring",
        {
            "Approver": ["sign_off_return"],
            "Analyst": ["sign_off_on_behalf"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0009_return_sign_off")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
