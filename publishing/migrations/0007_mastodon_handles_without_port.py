"""Mastodon handles were stored with the instance's port (`musee@host:8443`): a handle is `user@host`. A handle that
would collide with an account already stored without the port is left as it is (a person merges them)."""

from urllib.parse import urlsplit

from django.db import migrations


def handles_without_port(apps, schema_editor):
    SocialAccount = apps.get_model("publishing", "SocialAccount")
    for account in SocialAccount.objects.filter(network="mastodon", handle__contains=":"):
        user, _at, host = account.handle.rpartition("@")
        hostname = urlsplit(f"//{host}").hostname
        if not user or not hostname:
            continue
        handle = f"{user}@{hostname}"
        if not SocialAccount.objects.filter(network="mastodon", handle=handle).exists():
            SocialAccount.objects.filter(pk=account.pk).update(handle=handle)


class Migration(migrations.Migration):
    dependencies = [("publishing", "0006_bounded_text")]

    operations = [migrations.RunPython(handles_without_port, migrations.RunPython.noop)]
