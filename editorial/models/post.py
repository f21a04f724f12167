from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from editorial.models.campaign import Campaign
from editorial.uploads import media_file_name, thumbnail_name
from museumcm.fields import ALT_TEXT_MAX, POST_TEXT_MAX, BoundedTextField
from publishing.accessibility import lacks_alt_text
from publishing.vocabulary import MediaKind


def calendar_state(status: str, states: set[str]) -> tuple[str, str]:
    """(css key, label) for the calendar: the post's status, refined by how its publications went."""
    if "failed" in states or "unconfirmed" in states:
        return ("failed", _("Partly failed") if "published" in states else _("Failed"))
    if states and states <= {"published"}:
        return ("published", _("Published"))
    if "published" in states or "sending" in states:
        return ("sending", _("Publishing"))
    if status == Post.Status.APPROVED and "due" in states:
        return ("scheduled", _("Approved, scheduled"))
    return (status, Post.Status(status).label)


class PostQuerySet(models.QuerySet):
    def between(self, start, end) -> "PostQuerySet":
        """Posts scheduled in [start, end), UTC instants."""
        return self.filter(scheduled_at__gte=start, scheduled_at__lt=end)

    def for_calendar(self) -> "PostQuerySet":
        """Everything a calendar cell shows, in a fixed number of queries whatever the number of posts."""
        return self.select_related("author", "campaign").prefetch_related("publications__account")


class Post(models.Model):
    """One editorial unit: a master text and media, published as one Publication per target account."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")

    title = models.CharField(_("title"), max_length=200)
    text = BoundedTextField(_("text"), max_length=POST_TEXT_MAX, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        verbose_name=_("campaign"),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    scheduled_at = models.DateTimeField(_("scheduled at"), null=True, blank=True, db_index=True)
    # Incremented on every save through the editing form: a stale form gets a conflict instead of overwriting.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A run-sheet entry of a live session (editorial.models.live): it goes out when tapped, not by the clock, so its
    # scheduled_at stays empty; planned_at is the team's guide. live_fired_at is set once, by the first tap.
    live_session = models.ForeignKey(
        "editorial.LiveSession", null=True, blank=True, on_delete=models.CASCADE, related_name="posts"
    )
    live_position = models.PositiveSmallIntegerField(default=0)
    planned_at = models.DateTimeField(_("planned time"), null=True, blank=True)
    quick = models.BooleanField(default=False)  # typed on the spot during the event
    live_fired_at = models.DateTimeField(null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["scheduled_at", "pk"]
        permissions = [("comment_post", _("Can comment on posts"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("post_detail", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def targets(self) -> list:
        """Live publications (not cancelled); uses the prefetched rows when the calendar loaded them."""
        return [p for p in self.publications.all() if p.state != "cancelled"]

    @property
    def in_flight(self) -> bool:
        """Fired from the live desk and still on its way somewhere: its status keeps polling."""
        return self.live_fired_at is not None and any(p.is_active for p in self.publications.all())

    @property
    def calendar_state(self) -> tuple[str, str]:
        return calendar_state(self.status, {p.state for p in self.targets})


class Media(models.Model):
    """An image or video of a post. Alt text is required for images: the app refuses to publish without it."""

    Kind = MediaKind

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="media")
    # Stored under a random name with the extension of the type recognised on upload, never the uploader's name.
    file = models.FileField(_("file"), upload_to=media_file_name)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.IMAGE)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    alt_text = BoundedTextField(_("alt text"), max_length=ALT_TEXT_MAX, blank=True)
    thumbnail = models.FileField(_("thumbnail"), upload_to=thumbnail_name, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("media")
        verbose_name_plural = _("media")
        ordering = ["post", "position", "pk"]

    def __str__(self) -> str:
        return self.alt_text[:60] or self.file.name

    @property
    def needs_alt_text(self) -> bool:
        return lacks_alt_text(self.kind, self.alt_text)

    @property
    def url(self) -> str:
        """Where the team's browsers read the file (signed-in only; networks get a signed link instead)."""
        return reverse("media_file", args=[self.pk])

    @property
    def thumbnail_url(self) -> str:
        return reverse("media_thumbnail", args=[self.pk]) if self.thumbnail else ""
