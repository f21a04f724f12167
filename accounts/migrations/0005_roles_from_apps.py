from django.db import migrations

from accounts.roles import sync_roles


class Migration(migrations.Migration):
    """Roles' permissions now come from each app's AppConfig; curators gain publishing.view_publication (the sandbox
    network's feed, which used to check an editorial permission)."""

    dependencies = [
        ("accounts", "0004_keyboard_shortcuts"),
        ("editorial", "0001_initial"),
        ("inbox", "0001_initial"),
        ("publishing", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
