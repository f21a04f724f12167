from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A marker older than this is gone: the page refreshes it every few seconds while it stays open.
PRESENCE_TTL = timezone.timedelta(seconds=30)


class PresenceQuerySet(models.QuerySet):
    def live(self):
        return self.filter(seen_at__gte=timezone.now() - PRESENCE_TTL)


class Presence(models.Model):
    """Who has a conversation open right now, and whether they are writing a reply: no two people answer twice.

    A table rather than a cache entry so that every web process, on SQLite or PostgreSQL, sees the same markers.
    """

    class Activity(models.TextChoices):
        VIEWING = "viewing", _("viewing")
        REPLYING = "replying", _("replying")

    message = models.ForeignKey("inbox.Message", on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    activity = models.CharField(max_length=10, choices=Activity.choices, default=Activity.VIEWING)
    seen_at = models.DateTimeField(default=timezone.now)

    objects = PresenceQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="one_presence_per_user")]

    def __str__(self) -> str:
        return f"{self.user} {self.activity} {self.message_id}"
