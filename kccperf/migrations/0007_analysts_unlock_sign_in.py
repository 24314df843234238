from django.db import migrations

from kccperf.roles import grant


def grant_unlocking(apps, schema_editor):
    # Analysts (the performance team) unlock sign-in after a lockout (delete the access attempt)
    # and remove a lost phone's two-factor device, both in the admin site.
    grant(apps, "axes", {"Analyst": ["view_accessattempt", "delete_accessattempt"]})
    grant(apps, "otp_totp", {"Analyst": ["view_totpdevice", "delete_totpdevice"]})


class Migration(migrations.Migration):
    dependencies = [
        ("kccperf", "0006_data_version"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(grant_unlocking, migrations.RunPython.noop)]
