from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from editorial.uploads import idea_image_name
from museumcm.fields import ALT_TEXT_MAX, COMMENT_MAX, REASON_MAX, BoundedTextField
from publishing.models import Network


class IdeaQuerySet(models.QuerySet):
    def search(self, *, kind: str = "", proposer=None, network: str = "", text: str = "") -> "IdeaQuerySet":
        """The ideas board's filters; empty values filter nothing."""
        ideas = self
        if kind:
            ideas = ideas.filter(kind=kind)
        if proposer:
            ideas = ideas.filter(proposer=proposer)
        if network:
            # suggested_networks is a JSON list of Network values: match the quoted value in its text form.
            ideas = ideas.filter(suggested_networks__icontains=f'"{network}"')
        if text:
            ideas = ideas.filter(
                models.Q(title__icontains=text) | models.Q(pitch__icontains=text) | models.Q(reference__icontains=text)
            )
        return ideas


class Idea(models.Model):
    """A proposal for a post, from anyone on the team; a community manager turns it into a draft or declines it."""

    class Kind(models.TextChoices):
        ARTWORK = "artwork", _("Artwork")
        EXHIBITION = "exhibition", _("Exhibition")
        EVENT = "event", _("Event")
        ANNIVERSARY = "anniversary", _("Anniversary")
        BEHIND_THE_SCENES = "behind_the_scenes", _("Behind the scenes")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        USED = "used", _("Used")

    title = models.CharField(_("title"), max_length=200)
    pitch = BoundedTextField(_("pitch"), max_length=10_000)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ARTWORK)
    reference = models.CharField(_("reference"), max_length=500, blank=True)
    suggested_from = models.DateField(_("suggested date"), null=True, blank=True)
    suggested_until = models.DateField(_("until"), null=True, blank=True)
    # A list of `publishing.Network` values, e.g. ["instagram", "bluesky"].
    suggested_networks = models.JSONField(_("suggested networks"), default=list, blank=True)
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    decline_reason = BoundedTextField(_("reason"), max_length=REASON_MAX, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    post = models.ForeignKey(
        "editorial.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas", verbose_name=_("post")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]
        permissions = [("review_idea", _("Can accept or decline ideas"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("idea_detail", args=[self.pk])

    @property
    def network_labels(self) -> list[str]:
        return [Network(value).label for value in self.suggested_networks if value in Network.values]

    @property
    def reference_is_link(self) -> bool:
        return self.reference.startswith(("https://", "http://"))

    @property
    def can_be_reviewed(self) -> bool:
        return self.status == self.Status.PROPOSED

    @property
    def can_become_post(self) -> bool:
        return self.status in {self.Status.PROPOSED, self.Status.ACCEPTED}


class IdeaImage(models.Model):
    """An image attached to an idea; alt text is required, and travels with it into the post."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="images")
    # Stored under a random name with the extension of the type recognised on upload, never the uploader's name.
    file = models.FileField(_("image"), upload_to=idea_image_name)
    alt_text = BoundedTextField(_("alt text"), max_length=ALT_TEXT_MAX)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("idea image")
        verbose_name_plural = _("idea images")
        ordering = ["idea", "position", "pk"]

    def __str__(self) -> str:
        return self.alt_text[:60]

    @property
    def url(self) -> str:
        return reverse("idea_image", args=[self.pk])


class IdeaComment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="idea_comments")
    text = BoundedTextField(_("comment"), max_length=COMMENT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
