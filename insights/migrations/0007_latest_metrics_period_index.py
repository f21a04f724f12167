from django.db import migrations, models


def drop_unpublished(apps, schema_editor):
    """A row whose publication has no moment (none can: rows are written for published posts) is in no period."""
    apps.get_model("insights", "LatestMetrics").objects.filter(published_at__isnull=True).delete()


class Migration(migrations.Migration):
    """Apart from 0006: PostgreSQL refuses to alter a table in the transaction that filled it (its foreign keys'
    deferred checks are still pending)."""

    dependencies = [
        ("insights", "0006_latest_metrics_moment"),
    ]

    operations = [
        migrations.RunPython(drop_unpublished, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="latestmetrics",
            name="network",
            field=models.CharField(max_length=20),
        ),
        migrations.AlterField(
            model_name="latestmetrics",
            name="published_at",
            field=models.DateTimeField(),
        ),
        migrations.AddIndex(
            model_name="latestmetrics",
            index=models.Index(fields=["published_at"], name="latest_metrics_period_idx"),
        ),
    ]
