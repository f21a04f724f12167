"""The four roles of the team and what each may do.

Roles are Django groups; each app declares what each role may do there (`AppConfig.role_permissions`), and data
migrations apply them (`sync_roles`), so a fresh database and an upgraded one end with the same groups.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CURATOR = "curator", _("Curator")
    COMMUNITY_MANAGER = "community_manager", _("Community manager")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


# Each role may do what the one before it may, and more.
LADDER = [Role.CURATOR, Role.COMMUNITY_MANAGER, Role.MANAGER, Role.ADMIN]


def role_permissions() -> dict[str, list[str]]:
    """Each role's permissions, gathered from the apps: an app's AppConfig declares `role_permissions`, what each
    role gains there ({role: ["app.codename", …]}), so this module does not list every app's permissions."""
    from django.apps import apps

    granted: list[str] = []
    permissions = {}
    for role in LADDER:
        for config in apps.get_app_configs():
            granted += getattr(config, "role_permissions", {}).get(role, [])
        permissions[role] = list(granted)
    return permissions


def __getattr__(name: str):
    if name == "ROLE_PERMISSIONS":  # read once the apps are loaded
        return role_permissions()
    raise AttributeError(name)


def _model_of(name: str) -> str:
    """The model whose permission it is: the one declaring it in its Meta, else the default one's own (`view_post`)."""
    from django.apps import apps

    app_label, codename = name.split(".")
    for model in apps.get_app_config(app_label).get_models():
        if codename in dict(model._meta.permissions):
            return model._meta.model_name
    return codename.partition("_")[2]


def sync_roles(apps, schema_editor=None) -> None:
    """Make each role's group hold exactly its permissions (usable from a data migration).

    Permissions of models whose app has not migrated yet are created here with their content type, exactly as
    Django would name them later, so the order in which apps migrate does not matter.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    for role, names in role_permissions().items():
        group, _created = group_model.objects.get_or_create(name=role)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            content_type, _created = content_type_model.objects.get_or_create(
                app_label=app_label, model=_model_of(name)
            )
            permission, _created = permission_model.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
            )
            permissions.append(permission)
        group.permissions.set(permissions)
