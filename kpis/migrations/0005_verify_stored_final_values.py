"""Values stored as not provisional before verification existed count as verified by whoever
entered them, when they were entered; analysts get the permission to verify."""

from django.db import migrations
from django.db.models import F

from kccperf.roles import grant


def forward(apps, schema_editor):
    KpiResult = apps.get_model("kpis", "KpiResult")
    KpiResult.objects.filter(provisional=False, verified_at__isnull=True).update(
        verified_at=F("entered_at"), verified_by=F("entered_by")
    )
    grant(apps, "kpis", {"Analyst": ["verify_kpiresult"]})


class Migration(migrations.Migration):
    dependencies = [("kpis", "0004_verified_values")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
