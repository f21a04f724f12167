"""What a network said about a publication or an account at one moment.

Every count is nullable: NULL means "this network does not provide it" (or did not for this post), never 0.
A snapshot row exists only once it was actually taken; what is still to take lives in `ScheduledSnapshot`.
"""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from publishing.models import Publication, SocialAccount

# The counts of a publication snapshot, in the order tables and CSVs show them.
PUBLICATION_METRICS = ("views", "likes", "reposts", "replies", "quotes", "saves", "link_clicks", "video_views")
# What counts as an engagement: someone acted on the post.
ENGAGEMENT_METRICS = ("likes", "reposts", "replies", "quotes", "saves")
# The counts of an account snapshot.
ACCOUNT_METRICS = ("followers", "following", "posts")


class Checkpoint(models.TextChoices):
    """The moments of a post's life at which it is measured, after its publication; after +30 days it is frozen."""

    H1 = "1h", _("after 1 hour")
    H6 = "6h", _("after 6 hours")
    H24 = "24h", _("after 24 hours")
    H48 = "48h", _("after 48 hours")
    D7 = "7d", _("after 7 days")
    D30 = "30d", _("after 30 days")

    @property
    def offset(self) -> timedelta:
        return CHECKPOINT_OFFSETS[self]


CHECKPOINT_OFFSETS = {
    Checkpoint.H1: timedelta(hours=1),
    Checkpoint.H6: timedelta(hours=6),
    Checkpoint.H24: timedelta(hours=24),
    Checkpoint.H48: timedelta(hours=48),
    Checkpoint.D7: timedelta(days=7),
    Checkpoint.D30: timedelta(days=30),
}


def count_field(label):
    return models.PositiveBigIntegerField(label, null=True, blank=True)


def engagements_from(counts: dict) -> int | None:
    """Likes, reposts, replies, quotes and saves added up, over those the network gave; None if it gave none."""
    given = [counts[name] for name in ENGAGEMENT_METRICS if counts.get(name) is not None]
    return sum(given) if given else None


class PostCounts(models.Model):
    """The counts a network gives of a post, each NULL when it gives none (see PublicationSnapshot)."""

    views = count_field(_("views"))
    likes = count_field(_("likes"))
    reposts = count_field(_("reposts"))
    replies = count_field(_("replies"))
    quotes = count_field(_("quotes"))
    saves = count_field(_("saves"))
    link_clicks = count_field(_("link clicks"))
    video_views = count_field(_("video views"))

    class Meta:
        abstract = True


class PublicationSnapshot(PostCounts):
    """A publication's counts at one checkpoint (`checkpoint`), as the network gave them at `taken_at`.

    One row per (publication, checkpoint): the latest figures of a post are those of its highest checkpoint. Counts
    are NULL when the network does not provide them: X gives views but Bluesky does not, Mastodon has no saves, link
    clicks exist only where the network counts them (X with its analytics, LinkedIn, Facebook). `reposts` covers
    boosts, reblogs and shares; `replies` covers comments.
    """

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="snapshots")
    checkpoint = models.CharField(_("checkpoint"), max_length=4, choices=Checkpoint.choices)
    taken_at = models.DateTimeField(_("taken at"))

    class Meta:
        verbose_name = _("publication snapshot")
        verbose_name_plural = _("publication snapshots")
        ordering = ["publication", "taken_at"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "checkpoint"], name="one_snapshot_per_checkpoint")
        ]
        indexes = [models.Index(fields=["taken_at"], name="publication_snapshot_taken_idx")]

    def __str__(self) -> str:
        return f"{self.publication_id} +{self.checkpoint}"

    @property
    def engagements(self) -> int | None:
        return engagements_from({name: getattr(self, name) for name in ENGAGEMENT_METRICS})


class AccountSnapshot(models.Model):
    """An account's counts on one day (one snapshot a day, in UTC). NULL: the network does not provide it."""

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="snapshots")
    day = models.DateField(_("day"))
    taken_at = models.DateTimeField(_("taken at"))
    followers = count_field(_("followers"))
    following = count_field(_("following"))
    posts = count_field(_("posts"))

    class Meta:
        verbose_name = _("account snapshot")
        verbose_name_plural = _("account snapshots")
        ordering = ["account", "day"]
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="one_account_snapshot_per_day")]
        indexes = [models.Index(fields=["day"], name="account_snapshot_day_idx")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.day}"
