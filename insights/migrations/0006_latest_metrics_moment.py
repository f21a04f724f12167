from django.db import migrations, models

from insights.models.latest import refresh_measured


def fill(apps, schema_editor):
    """Every publication measured so far gets its row with its moment and network, from the snapshots already taken
    (historical models): rows written before these columns existed, and databases that had snapshots before
    LatestMetrics did."""
    refresh_measured(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0005_latest_metrics"),
    ]

    operations = [
        migrations.AddField(
            model_name="latestmetrics",
            name="network",
            field=models.CharField(max_length=20, null=True),
        ),
        migrations.AddField(
            model_name="latestmetrics",
            name="published_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
