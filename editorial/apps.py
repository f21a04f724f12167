from typing import ClassVar

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = _("Editorial calendar")
    # What each role gains here (accounts/roles.py: each role also holds what the one before it may do).
    role_permissions: ClassVar[dict[str, list[str]]] = {
        "curator": [
            "editorial.view_idea",
            "editorial.add_idea",
            "editorial.view_campaign",
            "editorial.view_post",
            "editorial.comment_post",
        ],
        "community_manager": [
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
        ],
        "manager": ["editorial.approve_week"],
    }

    def ready(self) -> None:
        from editorial.content import PostContent
        from editorial.services.posts import post_publication_moved
        from editorial.uploads import configure_pillow
        from publishing import content, moves

        content.provide(PostContent())  # what adapters read of a post: its link and media
        moves.register(post_publication_moved)  # a publication moved in time: the post's history, its review
        configure_pillow()
