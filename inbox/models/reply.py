import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from museumcm.fields import REPLY_MAX, BoundedTextField
from publishing.models import Attempt, Outgoing, StateQuerySet

STALLED_AFTER = timezone.timedelta(minutes=10)
PLACEHOLDER = re.compile(r"\{(\w{1,20})\}")


class ReplyQuerySet(StateQuerySet):
    def stuck(self, now):
        """Sending rows whose worker's lease ran out: it died mid-call (the outcome is unknown)."""
        return self.filter(state=Reply.State.SENDING, lease_until__lt=now)

    def due(self, now, redispatch_after: float):
        """Queued rows to enqueue: their retry time has come, or their message was sent long ago and maybe lost."""
        lost_before = now - timezone.timedelta(seconds=redispatch_after)
        lost = Q(next_attempt_at__isnull=True) & (Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=lost_before))
        return self.filter(lost | Q(next_attempt_at__lte=now), state=Reply.State.QUEUED)


class Reply(Outgoing):
    """Our answer to a message, sent through the account's adapter by the `send_reply` task (inbox/sending.py).

    Like a publication, it changes state only by compare-and-set, records an attempt per network call, waits for a
    retry on the row (`next_attempt_at`), and carries an idempotency key: a double click, a re-delivered task or a
    retry after an ambiguous failure never posts it twice.
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
    url = models.URLField(_("link"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["state", "next_attempt_at"],
                name="reply_pending_idx",
                condition=Q(state__in=["queued", "sending"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()}: {self.text[:60]}"

    @property
    def stalled(self) -> bool:
        """Sending for longer than any network call takes: its worker died mid-call; the outcome is unknown."""
        return self.state == self.State.SENDING and self.updated_at < timezone.now() - STALLED_AFTER

    @property
    def can_retry(self) -> bool:
        return self.state in (self.State.FAILED, self.State.UNCONFIRMED) or self.stalled


class ReplyAttempt(Attempt):
    """One call to the network for a reply (as a publication's `PublishAttempt`)."""

    OF = "reply"
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="attempts")

    class Meta:
        ordering = ["reply", "number"]
        constraints = [models.UniqueConstraint(fields=["reply", "number"], name="unique_reply_attempt_number")]


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

    def fill_placeholders(self, message) -> str:
        """The text with `{author}`, `{handle}` and `{account}` filled in, by name only: anything else between
        braces (`{0}`, `{author:>5000000}`, `:-{`) stays as typed. Never str.format: a saved reply is written by
        people, and format's specs can allocate gigabytes or reach attributes."""
        values = {
            "author": message.author_name or message.author_handle,
            "handle": message.author_handle,
            "account": message.account.display_name or message.account.handle,
        }
        return PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), self.text)
