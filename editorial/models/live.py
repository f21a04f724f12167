"""A live session: the posts of one event of the museum's calendar, prepared in advance and fired by a tap.

Its run sheet is ordinary posts (`Post.live_session`): each has its text per network, its media with alt text and an
optional planned time (`Post.planned_at`, a guide for the team, never a schedule: a live post goes out when tapped).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from editorial.models.event import MuseumEvent


class LiveSession(models.Model):
    title = models.CharField(_("title"), max_length=200)
    event = models.ForeignKey(
        MuseumEvent, on_delete=models.PROTECT, related_name="live_sessions", verbose_name=_("event")
    )
    accounts = models.ManyToManyField(
        "publishing.SocialAccount", related_name="live_sessions", verbose_name=_("accounts")
    )
    hashtag = models.CharField(_("hashtag"), max_length=100, blank=True, help_text=_("Followed in the live column."))
    as_thread = models.BooleanField(
        _("one thread per account"),
        default=True,
        help_text=_("On networks with threads, each post answers the session's previous post on that account."),
    )
    # A manager's setting: whether a post typed on the spot needs a second person's OK before it goes out.
    quick_posts_need_ok = models.BooleanField(_("quick posts need a second person's OK"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        ordering = ["-event__starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("live_desk", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def tag(self) -> str:
        """The hashtag with its #, or empty."""
        return f"#{self.hashtag.lstrip('#')}" if self.hashtag.strip("# ") else ""
