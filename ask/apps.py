from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AskConfig(AppConfig):
    name = "ask"
    verbose_name = _("Ask the museum")

    def ready(self) -> None:
        # The "Ask the museum" channel plugs its adapter into publishing's registry: publishing knows only the registry.
        from ask import channel  # noqa: F401
