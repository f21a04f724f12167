from typing import ClassVar

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("Publishing")
    # What each role gains here (accounts/roles.py). Curators see the sandbox network's feed.
    role_permissions: ClassVar[dict[str, list[str]]] = {
        "curator": ["publishing.view_publication"],
        "community_manager": [
            "publishing.view_socialaccount",
            "publishing.connect_socialaccount",
            "publishing.change_publication",
            "publishing.pause_publishing",
        ],
    }
