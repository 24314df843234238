from django.db import migrations
from django.db.models import Min


def mark_published_quarters(apps, schema_editor):
    """A quarter with a published report version is published (and so closed)."""
    ReportingPeriod = apps.get_model("kccperf", "ReportingPeriod")
    ReportVersion = apps.get_model("reports", "ReportVersion")
    first = ReportVersion.objects.values("report__period").annotate(at=Min("published_at"))
    for row in first:
        period = ReportingPeriod.objects.get(pk=row["report__period"])
        period.published_at = row["at"]
        period.closed_at = period.closed_at or row["at"]
        period.save(update_fields=["published_at", "closed_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("kccperf", "0004_period_lifecycle"),
        ("monitoring", "0005_open_quarters_from_windows"),
        ("reports", "0002_roles"),
    ]

    operations = [migrations.RunPython(mark_published_quarters, migrations.RunPython.noop)]
