"""The four roles of the team and what each may do.

Roles are Django groups; their permissions are written here once and applied by data migrations
(`sync_roles`), so a fresh database and an upgraded one end with the same groups.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CURATOR = "curator", _("Curator")
    COMMUNITY_MANAGER = "community_manager", _("Community manager")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


_CURATOR = [
    "editorial.view_idea",
    "editorial.add_idea",
    "editorial.view_campaign",
    "editorial.view_post",
    "editorial.comment_post",
    "inbox.draft_answer",
]
_COMMUNITY_MANAGER = [
    *_CURATOR,
    "editorial.review_idea",
    "editorial.add_campaign",
    "editorial.change_campaign",
    "editorial.add_post",
    "editorial.change_post",
    "editorial.delete_post",
    "editorial.submit_week",
    "editorial.add_recurringslot",
    "editorial.change_recurringslot",
    "editorial.delete_recurringslot",
    "editorial.add_museumevent",
    "editorial.change_museumevent",
    "editorial.delete_museumevent",
    "publishing.view_socialaccount",
    "publishing.connect_socialaccount",
    "publishing.change_publication",
    "publishing.pause_publishing",
    "inbox.view_message",
    "inbox.answer_message",
]
_MANAGER = [*_COMMUNITY_MANAGER, "editorial.approve_week"]
_ADMIN = [*_MANAGER, "accounts.manage_team"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CURATOR: _CURATOR,
    Role.COMMUNITY_MANAGER: _COMMUNITY_MANAGER,
    Role.MANAGER: _MANAGER,
    Role.ADMIN: _ADMIN,
}


_DEFAULT_ACTIONS = {"view", "add", "change", "delete"}
# Custom permissions and the model that declares them in its Meta.permissions.
_CUSTOM = {
    "editorial.comment_post": "post",
    "editorial.review_idea": "idea",
    "editorial.submit_week": "weekapproval",
    "editorial.approve_week": "weekapproval",
    "publishing.connect_socialaccount": "socialaccount",
    "publishing.pause_publishing": "publication",
    "inbox.draft_answer": "message",
    "inbox.answer_message": "message",
    "accounts.manage_team": "user",
}


def _model_of(name: str) -> str:
    action, _sep, model = name.split(".")[1].partition("_")
    return model if action in _DEFAULT_ACTIONS else _CUSTOM[name]


def sync_roles(apps, schema_editor=None) -> None:
    """Make each role's group hold exactly its permissions (usable from a data migration).

    Permissions of models whose app has not migrated yet are created here with their content type, exactly as
    Django would name them later, so the order in which apps migrate does not matter.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    for role, names in ROLE_PERMISSIONS.items():
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
