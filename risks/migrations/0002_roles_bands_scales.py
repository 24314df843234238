"""Grant the register's permissions to the Risk manager role and seed the council's band
table and scale labels (both are data the risk manager can change in the admin)."""

from django.db import migrations

from kccperf.roles import grant

BANDS = [
    ("Low", 1, 6, "green", 1),
    ("Medium", 8, 15, "amber", 2),
    ("High", 16, 25, "red", 3),
]
LABELS = {
    "likelihood": ["Very unlikely", "Unlikely", "Possible", "Likely", "Very likely"],
    "impact": ["Minor", "Moderate", "Significant", "Serious", "Major"],
}


def forward(apps, schema_editor):
    grant(
        apps,
        "risks",
        {
            "Risk manager": [
                "view_risk",
                "add_risk",
                "change_risk",
                "record_refresh",
                "update_action",
            ]
        },
    )
    RiskLevelBand = apps.get_model("risks", "RiskLevelBand")
    for level, low, high, colour, order in BANDS:
        RiskLevelBand.objects.update_or_create(
            level=level,
            defaults={"min_score": low, "max_score": high, "colour": colour, "order": order},
        )
    ScaleLabel = apps.get_model("risks", "ScaleLabel")
    for axis, labels in LABELS.items():
        for value, label in enumerate(labels, start=1):
            ScaleLabel.objects.update_or_create(axis=axis, value=value, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [
        ("kccperf", "0002_roles"),
        ("risks", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
