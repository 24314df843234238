from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("kpis", "0005_verify_stored_final_values")]

    operations = [
        migrations.AddConstraint(
            model_name="kpiresult",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("provisional", True), ("verified_at__isnull", True)),
                    models.Q(("provisional", False), ("verified_at__isnull", False)),
                    _connector="OR",
                ),
                name="kpi_result_provisional_until_verified",
            ),
        ),
    ]
