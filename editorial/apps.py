from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = _("Editorial calendar")

    def ready(self) -> None:
        from editorial.services.posts import post_publication_moved
        from editorial.uploads import configure_pillow
        from publishing import moves

        moves.register(post_publication_moved)  # a publication moved in time: the post's history, its review
        configure_pillow()
