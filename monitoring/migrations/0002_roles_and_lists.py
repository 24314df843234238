"""Grant the monitoring permissions to the roles and seed the managed lists."""

from django.db import migrations

from kccperf.roles import grant

# The 11 options of the council's form, based on the DECA themes (keys as in the fixture).
ISSUE_THEMES = [
    ("capacity", "Capacity", False),
    ("complexity", "Complexity", False),
    ("dependencies", "Dependencies", False),
    ("stakeholders", "Stakeholders/Relationships", False),
    ("financial_benefits", "Financial Benefits", False),
    ("legislation", "Legislation/Policy", False),
    ("ict", "ICT/Systems", False),
    ("demand", "Demand", False),
    ("governance", "Governance/Decision making", False),
    ("market", "Market", False),
    ("other", "Other", True),
]

ACTIVITY_TYPES = [
    "People Commissioning",
    "Infrastructure Commissioning",
    "Transformation",
    "Service Redesign",
    "Policy/Strategy",
]


def forward(apps, schema_editor):
    grant(
        apps,
        "monitoring",
        {
            "Lead officer": ["submit_return"],
            "Analyst": ["manage_monitoring"],
        },
    )
    IssueTheme = apps.get_model("monitoring", "IssueTheme")
    for order, (key, label, is_other) in enumerate(ISSUE_THEMES, start=1):
        IssueTheme.objects.update_or_create(
            key=key, defaults={"label": label, "order": order, "is_other": is_other}
        )
    ActivityType = apps.get_model("monitoring", "ActivityType")
    for order, name in enumerate(ACTIVITY_TYPES, start=1):
        ActivityType.objects.update_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_initial"),
        ("kccperf", "0002_roles"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
