"""The demo museum's team: one person per role, all with the same printed password."""

from django.apps import apps

from accounts.models import User
from accounts.roles import Role, sync_roles

PASSWORD = "museumcm-demo"

TEAM = [
    ("claire", "Claire Dubois", Role.CURATOR, "fr"),
    ("camille", "Camille Martin", Role.COMMUNITY_MANAGER, "fr"),
    ("marc", "Marc Lefèvre", Role.MANAGER, "fr"),
    ("ada", "Ada Laurent", Role.ADMIN, "en"),
]


def seed() -> list[User]:
    """The team, after making each role's group hold its current permissions (the demo database may predate an app's
    permissions, and a test that used a real worker flushes every table, the migrations' groups included)."""
    sync_roles(apps)
    users = []
    for username, name, role, language in TEAM:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@musee-marceau.example",
                "display_name": name,
                "language": language,
            },
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
            user.set_role(role)  # the role's powers, superuser and staff flags included for the administrator
        users.append(user)
    return users
