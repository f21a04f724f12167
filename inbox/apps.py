from typing import ClassVar

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = _("Inbox")
    # What each role gains here (accounts/roles.py).
    role_permissions: ClassVar[dict[str, list[str]]] = {
        "curator": ["inbox.draft_answer"],
        "community_manager": ["inbox.view_message", "inbox.answer_message"],
    }
