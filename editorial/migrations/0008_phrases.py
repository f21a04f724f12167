"""Notifications and history lines keep their sentence as an event, translated when shown (issue 12, item 8).

Rows written before kept only the text, in the writer's language: each is matched against the sentences the app
writes, in French and English, and gets its event back; a text that matches none stays as it was written.
"""

from django.db import migrations, models

from museumcm.phrases import parse

LANGUAGES = ["en", "fr"]
NOTIFICATIONS = [
    "%(user)s accepted your idea “%(idea)s”.",
    "%(user)s declined your idea “%(idea)s”: %(reason)s",
    "%(user)s mentioned you on “%(post)s”.",
    "%(user)s sent “%(post)s” back: %(comment)s",
    "%(user)s submitted %(week)s for approval (%(n)s posts).",
    "%(user)s approved %(week)s.",
    "week %(week)s of %(year)s",
    "%(user)s asks you to answer %(author)s: “%(text)s”",
    "%(user)s drafted an answer to %(author)s: review it and send it.",
]
SUMMARIES = [
    "%(summary)s after approval: back to review",
    "Created",
    "Edited",
    "Moved",
    "Sent back: %(comment)s",
    "Published now on %(account)s",
    "Moved on %(account)s",
]
LABELS = [
    "Title",
    "Text",
    "Link",
    "Campaign",
    "Scheduled at",
    "Targets",
    "Media",
    "Text on %(account)s",
    "Time on %(account)s",
]


def events_from_text(apps, schema_editor):
    notification_model = apps.get_model("editorial", "Notification")
    for row in notification_model.objects.filter(event={}).iterator():
        event = parse(row.message, NOTIFICATIONS, LANGUAGES)
        if event:
            notification_model.objects.filter(pk=row.pk).update(event=event)
    change_model = apps.get_model("editorial", "PostChange")
    for row in change_model.objects.filter(event={}).iterator():
        event = parse(row.summary, SUMMARIES, LANGUAGES) or {}
        changes = [[_label(label), *values] for label, *values in row.changes or []]
        change_model.objects.filter(pk=row.pk).update(event=event, changes=changes)


def _label(label):
    if not isinstance(label, str):
        return label
    return parse(label, LABELS, LANGUAGES) or label


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0007_notification_inbox_kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="event",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="postchange",
            name="event",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(events_from_text, migrations.RunPython.noop),
    ]
