"""Messages the network no longer shows without saying they are gone are "missing", not deleted.

Until now the Bluesky recheck marked deleted every post left out of getPosts, blocks included, and never looked at
them again. Those of the recheck's window become missing, so the next recheck asks the author's repo which they are.
"""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone


def deleted_to_missing(apps, schema_editor):
    Message = apps.get_model("inbox", "Message")
    now = timezone.now()
    recent = Message.objects.filter(account__network="bluesky", deleted=True, created_at__gte=now - timedelta(days=7))
    recent.update(deleted=False, missing_since=now)


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0005_message_checked_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="missing_since",
            field=models.DateTimeField(blank=True, null=True, verbose_name="not visible on the network since"),
        ),
        migrations.RunPython(deleted_to_missing, migrations.RunPython.noop),
    ]
