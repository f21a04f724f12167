"""Make Django's superuser and staff flags follow the role (issue 11, item 3).

Until now a role change left the flags alone, so a superuser "demoted" to curator kept every power. The role group is
what the team page shows and changes, so it is the truth: a superuser without any role group (made by
`createsuperuser`) becomes an administrator; anyone whose role is not administrator loses both flags.
"""

from django.db import migrations

ROLES = ["curator", "community_manager", "manager", "admin"]


def align_flags(apps, schema_editor):
    user_model = apps.get_model("accounts", "User")
    group_model = apps.get_model("auth", "Group")
    admin = group_model.objects.filter(name="admin").first()
    if admin is None:
        return
    for user in user_model.objects.filter(is_superuser=True).exclude(groups__name__in=ROLES):
        user.groups.add(admin)
    user_model.objects.exclude(groups__name="admin").update(is_superuser=False, is_staff=False)
    user_model.objects.filter(groups__name="admin").update(is_superuser=True, is_staff=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]

    operations = [migrations.RunPython(align_flags, migrations.RunPython.noop)]
