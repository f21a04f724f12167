import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from museumcm.fields import REPLY_MAX, BoundedTextField

STALLED_AFTER = timezone.timedelta(minutes=10)


class ReplyQuerySet(models.QuerySet):
    def transition(self, source, target: str, **fields) -> int:
        """Compare-and-set, as for publications: only rows still in `source` move; 0 means another got there first."""
        sources = [source] if isinstance(source, str) else list(source)
        return self.filter(state__in=sources).update(state=target, updated_at=timezone.now(), **fields)


class Reply(models.Model):
    """Our answer to a message, sent through the account's adapter by the `send_reply` task.

    Like a publication, it changes state only by compare-and-set, and carries an idempotency key: a double click,
    a re-delivered task or a retry after an ambiguous failure never posts it twice.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        UNCONFIRMED = "unconfirmed", _("Unconfirmed")

    message = models.ForeignKey("inbox.Message", on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = BoundedTextField(_("text"), max_length=REPLY_MAX)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.QUEUED)
    error = models.TextField(_("reason"), blank=True)
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    attempts = models.PositiveIntegerField(default=0)
    external_id = models.CharField(_("network id"), max_length=300, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_state_display()}: {self.text[:60]}"

    @property
    def stalled(self) -> bool:
        """Sending for longer than any network call takes: its worker died mid-call; the outcome is unknown."""
        return self.state == self.State.SENDING and self.updated_at < timezone.now() - STALLED_AFTER

    @property
    def can_retry(self) -> bool:
        return self.state in (self.State.FAILED, self.State.UNCONFIRMED) or self.stalled


class SavedReply(models.Model):
    """A reusable answer; `{author}`, `{handle}` and `{account}` are filled in from the message."""

    title = models.CharField(_("title"), max_length=120)
    text = BoundedTextField(_("text"), max_length=REPLY_MAX)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved reply")
        verbose_name_plural = _("saved replies")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def render(self, message) -> str:
        values = {
            "author": message.author_name or message.author_handle,
            "handle": message.author_handle,
            "account": message.account.display_name or message.account.handle,
        }
        return self.text.format_map(_Placeholders(values))


class _Placeholders(dict):
    """Unknown placeholders stay as typed instead of raising KeyError."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
