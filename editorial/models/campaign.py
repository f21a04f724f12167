from django.db import models
from django.utils.translation import gettext_lazy as _

from museumcm.fields import BoundedTextField


class Campaign(models.Model):
    """A named editorial operation (#MuseumWeek, an exhibition's launch) grouping posts on the calendar."""

    name = models.CharField(_("name"), max_length=200)
    hashtags = models.CharField(_("hashtags"), max_length=300, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    colour = models.CharField(_("colour"), max_length=7, default="#7a4b9a")
    goal = BoundedTextField(_("goal"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name
