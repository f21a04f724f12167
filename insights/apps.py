from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """How the museum's posts and accounts do. Stands on top: reads publishing, editorial and inbox; nothing
    imports it."""

    name = "insights"
    verbose_name = _("Insights")

    def ready(self):
        # SQLite's percentile aggregate must be registered on every connection, including those opened before the
        # first request reaches an Insights view (the embedded default of `make run`).
        from insights.selectors import metrics  # noqa: F401
