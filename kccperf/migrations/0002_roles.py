from django.db import migrations

from kccperf.roles import ROLE_NAMES, grant


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)
    grant(
        apps,
        "kccperf",
        {
            "CMT": ["view_all"],
            "Analyst": ["view_all", "export_data", "load_data"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kccperf", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
