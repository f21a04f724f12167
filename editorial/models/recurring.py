import datetime
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from museumcm.fields import POST_TEXT_MAX, BoundedTextField


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class RecurringSlotQuerySet(models.QuerySet):
    def active(self) -> "RecurringSlotQuerySet":
        return self.filter(active=True)


class RecurringSlot(models.Model):
    """A ritual ("#jourdefermeture every Tuesday at 10:00 on X and Instagram") that drafts its posts ahead."""

    title = models.CharField(_("title"), max_length=200)
    text = BoundedTextField(_("text"), max_length=POST_TEXT_MAX)
    # Python weekday numbers (Monday is 0), e.g. [1] for every Tuesday.
    weekdays = models.JSONField(_("weekdays"), default=list)
    local_time = models.TimeField(_("time"))
    # The wall-clock zone of `local_time`: 10:00 stays 10:00 across daylight-saving changes.
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    accounts = models.ManyToManyField("publishing.SocialAccount", related_name="+", verbose_name=_("accounts"))
    campaign = models.ForeignKey(
        "editorial.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("campaign"),
    )
    weeks_ahead = models.PositiveSmallIntegerField(_("weeks ahead"), default=4)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecurringSlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("recurring slot")
        verbose_name_plural = _("recurring slots")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def weekday_labels(self) -> list[str]:
        return [Weekday(day).label for day in sorted(self.weekdays)]

    def occurrence_dates(self, start: datetime.date) -> list[datetime.date]:
        """The slot's days from `start` for `weeks_ahead` weeks."""
        days = (start + datetime.timedelta(days=offset) for offset in range(self.weeks_ahead * 7))
        return [day for day in days if day.weekday() in self.weekdays]

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def instant(self, day: datetime.date) -> datetime.datetime:
        """The moment of the slot on `day`, in UTC: the wall-clock time in the slot's zone, whatever the offset.

        A time inside the spring-forward gap (02:30 on the last Sunday of March) is read with the offset before
        the change, so it falls an hour later on the clock, which is what a person would expect.
        """
        return datetime.datetime.combine(day, self.local_time, tzinfo=self.zone).astimezone(datetime.UTC)


class RecurringOccurrence(models.Model):
    """One day of a slot that was materialised. The row outlives its post, so a deleted draft is not recreated."""

    slot = models.ForeignKey(RecurringSlot, on_delete=models.CASCADE, related_name="occurrences")
    date = models.DateField()
    post = models.ForeignKey(
        "editorial.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="recurring_occurrences"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot", "date"]
        constraints = [models.UniqueConstraint(fields=["slot", "date"], name="one_occurrence_per_slot_day")]

    def __str__(self) -> str:
        return f"{self.slot} · {self.date}"
