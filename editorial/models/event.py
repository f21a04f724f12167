import datetime

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from museumcm.fields import BoundedTextField


class MuseumEventQuerySet(models.QuerySet):
    def overlapping(self, start: datetime.date, end: datetime.date) -> "MuseumEventQuerySet":
        """Events touching the days from `start` to `end` inclusive: the calendar's background layer."""
        return self.filter(starts_on__lte=end, ends_on__gte=start)


class EventKind(models.TextChoices):
    EXHIBITION = "exhibition", _("Exhibition")
    OPENING = "opening", _("Opening")
    CLOSING_DAY = "closing_day", _("Closing day")
    HOLIDAY = "holiday", _("Holiday")
    SECTOR_DAY = "sector_day", _("Sector day")
    OTHER = "other", _("Other")


class EventSource(models.Model):
    """An iCal URL the museum publishes (exhibitions, closing days); re-imported every six hours by beat."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("iCal URL"), max_length=500, unique=True)
    kind = models.CharField(
        _("kind of its events"), max_length=20, choices=EventKind.choices, default=EventKind.EXHIBITION
    )
    last_imported_at = models.DateTimeField(_("last imported"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("event source")
        verbose_name_plural = _("event sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MuseumEvent(models.Model):
    """A day or span that matters to the plan (exhibition, closing day, MuseumWeek), drawn behind the posts."""

    Kind = EventKind

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EXHIBITION)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), help_text=_("The last day, included."))
    description = BoundedTextField(_("description"), max_length=20_000, blank=True)
    # The iCal UID of an imported event: re-importing updates the same row instead of adding a duplicate.
    uid = models.CharField(max_length=500, blank=True)
    source = models.ForeignKey(
        EventSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="events", verbose_name=_("source")
    )

    objects = MuseumEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("museum event")
        verbose_name_plural = _("museum events")
        ordering = ["starts_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["uid"], condition=~models.Q(uid=""), name="unique_event_uid"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="event_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="event_span_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("event_edit", args=[self.pk])

    @property
    def is_single_day(self) -> bool:
        return self.starts_on == self.ends_on
