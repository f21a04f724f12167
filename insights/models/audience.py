"""Who follows an account (where the network says), and how often the strategy wants it to post."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from publishing.models import SocialAccount


class AudienceBreakdown(models.Model):
    """One bucket of an account's audience on one day: e.g. (age, "25-34", 1200) or (country, "FR", 5400).

    `value` is the number of followers the network puts in that bucket (Instagram, Threads, LinkedIn organisations
    and Facebook Pages give them). A bucket the network withholds (below its privacy threshold) has no row at all: a
    missing row is "not given", never 0. Buckets are the network's own labels: age ranges such as "18-24" or "65+",
    gender "F"/"M"/"U", ISO country codes, city names as given.
    """

    class Dimension(models.TextChoices):
        AGE = "age", _("Age")
        GENDER = "gender", _("Gender")
        COUNTRY = "country", _("Country")
        CITY = "city", _("City")

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="audience")
    day = models.DateField(_("day"))
    dimension = models.CharField(_("dimension"), max_length=10, choices=Dimension.choices)
    bucket = models.CharField(_("bucket"), max_length=100)
    value = models.PositiveBigIntegerField(_("followers"))

    class Meta:
        verbose_name = _("audience breakdown")
        verbose_name_plural = _("audience breakdowns")
        ordering = ["account", "day", "dimension", "-value"]
        constraints = [
            models.UniqueConstraint(fields=["account", "day", "dimension", "bucket"], name="one_audience_bucket")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.day} {self.dimension}={self.bucket}: {self.value}"


class CadenceTarget(models.Model):
    """The strategy's cadence for one account: how many posts a week it should publish ("decide how many posts a
    week, and stick to it"). An account without a row has no target (nothing to compare against, never 0)."""

    account = models.OneToOneField(SocialAccount, on_delete=models.CASCADE, related_name="cadence_target")
    posts_per_week = models.PositiveSmallIntegerField(_("posts per week"), validators=[MaxValueValidator(200)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cadence target")
        verbose_name_plural = _("cadence targets")

    def __str__(self) -> str:
        return f"{self.account}: {self.posts_per_week}/week"
