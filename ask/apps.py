from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AskConfig(AppConfig):
    name = "ask"
    verbose_name = _("Ask the museum")

    def ready(self) -> None:
        # The "Ask the museum" channel plugs its adapter into publishing's registry: publishing knows only the registry.
        from ask import channel  # noqa: F401
        from ask.calendar_layer import layer
        from ask.inbox_panel import panel
        from editorial.layers import register_layer
        from inbox.reply_panels import register_reply_panel

        # The question-of-the-day queue shows on the editorial calendar as its own layer.
        register_layer(layer)
        # An answer is approved (now, or as a question of the day) from the question's inbox conversation.
        register_reply_panel(panel)
