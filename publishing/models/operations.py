"""Publishing as a whole: the team's pause, and the heartbeat that shows the worker is alive."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from museumcm.fields import REASON_MAX, BoundedTextField


class PublishingPauseQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class PublishingPause(models.Model):
    """While a row is active, dispatch sends nothing: "pause everything" (a bereavement, an incident, news)."""

    reason = BoundedTextField(_("reason"), max_length=REASON_MAX)
    started_at = models.DateTimeField(_("paused at"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("paused by")
    )
    ended_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What was done with what fell due meanwhile: "publish", "reschedule" or "cancel".
    resolution = models.CharField(max_length=20, blank=True)

    objects = PublishingPauseQuerySet.as_manager()

    class Meta:
        verbose_name = _("publishing pause")
        verbose_name_plural = _("publishing pauses")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}: {self.reason[:60]}"


class Heartbeat(models.Model):
    """When beat and a worker last ran a task together: shows the team that publishing is alive."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.seen_at:%H:%M:%S}"

    @classmethod
    def beat(cls, name: str = "worker") -> None:
        cls.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})

    @classmethod
    def age(cls, name: str = "worker") -> float | None:
        """Seconds since the last heartbeat, or None if there never was one."""
        seen_at = cls.objects.filter(name=name).values_list("seen_at", flat=True).first()
        return None if seen_at is None else (timezone.now() - seen_at).total_seconds()
