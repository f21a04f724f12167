from django.db import migrations, models

from insights.models.latest import localize


def fill(apps, schema_editor):
    """The rows written so far get their hour in the institution's zone (added under no zone: all of them)."""
    localize(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0007_latest_metrics_period_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="latestmetrics",
            name="hour_of_week",
            field=models.PositiveSmallIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="latestmetrics",
            name="hours_zone",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="latestmetrics",
            index=models.Index(
                fields=["hours_zone", "network", "hour_of_week", "engagements", "published_at"],
                name="latest_metrics_moment_idx",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
