"""A post on one account and its way through the pipeline: states, moves, attempts."""

from datetime import datetime
from typing import ClassVar, NamedTuple

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from museumcm.fields import POST_TEXT_MAX, BoundedTextField
from publishing import content
from publishing.models.accounts import SocialAccount
from publishing.models.pipeline import Attempt, Outgoing, StateQuerySet
from publishing.parts import split_parts


class Move(NamedTuple):
    """One edge of a state graph: the states it may start from, and where it goes."""

    sources: tuple[str, ...]
    target: str


class PublicationQuerySet(StateQuerySet):
    def claimable(self, now: datetime):
        """Due rows whose time has come, not held, on a connected account, not waiting for a retry."""
        return self.ready(now).filter(
            state=Publication.State.DUE,
            held=False,
            scheduled_at__lte=now,
            account__status=SocialAccount.Status.CONNECTED,
        )

    def stuck(self, now: datetime, redispatch_after: float):
        """Sending rows nobody is working on: the lease of a dead worker ran out, or the queued message was lost."""
        lost_before = now - timezone.timedelta(seconds=redispatch_after)
        return self.filter(state=Publication.State.SENDING).filter(
            Q(lease_until__lt=now) | Q(lease_until__isnull=True, dispatched_at__lt=lost_before)
        )

    def overdue(self, now: datetime):
        """Due rows whose time has passed but did not go out (publishing paused, account held)."""
        return self.filter(state=Publication.State.DUE, scheduled_at__lte=now)

    def needing_attention(self):
        return self.filter(state__in=[Publication.State.FAILED, Publication.State.UNCONFIRMED])


class Publication(Outgoing):
    """A post on one account: that network's own text, and its own progress through the pipeline.

    Its state changes only through compare-and-set updates (`UPDATE … WHERE state = …`), so two workers, a
    re-delivered message or a double click can never both send it.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        DUE = "due", _("Scheduled")
        SENDING = "sending", _("Sending")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")
        UNCONFIRMED = "unconfirmed", _("Unconfirmed")
        CANCELLED = "cancelled", _("Cancelled")

    class Action(models.TextChoices):
        """What a person may do about a publication (the status block's buttons, the dashboard's, the pause's)."""

        PUBLISH_NOW = "publish-now", _("Publish now")
        RETRY = "retry", _("Retry")
        SEND_AGAIN = "send-again", _("Send again")
        MARK_PUBLISHED = "mark-published", _("Mark as published")
        CANCEL = "cancel", _("Cancel")
        RESCHEDULE = "reschedule", _("Reschedule")

    # The state graph, declared once: each move, the states it may start from and where it goes. Services move rows
    # with `Publication.objects.move(…)` (compare-and-set on the sources); templates ask `actions()`. The worker's own
    # steps (SENDING → PUBLISHED, FAILED, UNCONFIRMED, or DUE to retry) are compare-and-set in publishing/sql.py.
    MOVES: ClassVar[dict[str, Move]] = {
        "queue": Move((State.PENDING,), State.DUE),  # the week is approved
        "withdraw": Move((State.DUE,), State.PENDING),  # the approved post was edited or moved: back to review
        "claim": Move((State.DUE,), State.SENDING),  # the dispatcher takes it
        Action.PUBLISH_NOW: Move((State.DUE,), State.SENDING),
        Action.RETRY: Move((State.FAILED,), State.DUE),
        Action.SEND_AGAIN: Move((State.UNCONFIRMED,), State.DUE),
        Action.MARK_PUBLISHED: Move((State.UNCONFIRMED, State.FAILED), State.PUBLISHED),
        Action.CANCEL: Move((State.DUE, State.FAILED, State.UNCONFIRMED), State.CANCELLED),
        Action.RESCHEDULE: Move((State.DUE,), State.DUE),
    }
    # Tones of the status badge; a held publication reads "waiting for reconnection" in the warning tone.
    TONES: ClassVar[dict[str, str]] = {
        State.PUBLISHED: "ok",
        State.FAILED: "danger",
        State.UNCONFIRMED: "warn",
        State.PENDING: "muted",
        State.CANCELLED: "muted",
    }

    post = models.ForeignKey("editorial.Post", on_delete=models.CASCADE, related_name="publications")
    account = models.ForeignKey(SocialAccount, on_delete=models.PROTECT, related_name="publications")
    text = BoundedTextField(_("text"), max_length=POST_TEXT_MAX, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    # The post's time, copied here so that dispatching needs no join; the post's service keeps it in step.
    scheduled_at = models.DateTimeField(_("scheduled at"), null=True, blank=True)
    # Held publications stay due but are not dispatched until their account is reconnected (a pause holds nothing).
    held = models.BooleanField(_("held"), default=False)
    external_url = models.URLField(_("link"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Per-network extras, e.g. {"rkey": "3k…"} (Bluesky) or {"container_id": "…"} (Meta).
    extra = models.JSONField(default=dict, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["scheduled_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["post", "account"], name="one_publication_per_account")]
        indexes = [
            models.Index(fields=["state", "scheduled_at"], name="publication_due_idx"),
            # Insights' cadence counts each account's planned and published posts week by week, by range probes
            models.Index(
                fields=["account", "scheduled_at"], name="publication_planned_idx", condition=~Q(state="cancelled")
            ),
            models.Index(
                fields=["account", "published_at"], name="publication_published_idx", condition=Q(state="published")
            ),
        ]
        permissions = [("pause_publishing", _("Can pause and resume all publishing"))]

    def __str__(self) -> str:
        return f"{self.account} · {self.scheduled_at:%Y-%m-%d %H:%M}" if self.scheduled_at else str(self.account)

    def actions(self) -> list[str]:
        """The actions a person may take now, in the order they are offered. A held publication waits for its
        account: it cannot be sent now."""
        allowed = [action for action in self.Action if self.state in self.MOVES[action].sources]
        return [a for a in allowed if not (self.held and a == self.Action.PUBLISH_NOW)]

    @property
    def can(self) -> dict[str, bool]:
        """`actions()` for templates: `{% if p.can.retry %}` (the action's name in snake case)."""
        return {action.name.lower(): True for action in map(self.Action, self.actions())}

    @property
    def waiting_for_reconnection(self) -> bool:
        return self.state == self.State.DUE and self.held

    @property
    def status_label(self) -> str:
        return _("Waiting for reconnection") if self.waiting_for_reconnection else self.get_state_display()

    @property
    def tone(self) -> str:
        return "warn" if self.waiting_for_reconnection else self.TONES.get(self.state, "")

    @property
    def is_active(self) -> bool:
        """Still moving on its own: the status partial keeps polling while any publication is."""
        return self.state in (self.State.DUE, self.State.SENDING) and not self.held

    @property
    def parts(self) -> list[str]:
        """The texts of the thread this publication makes, in order: one part for most posts (publishing.parts)."""
        return split_parts(self.text)

    def media(self) -> list:
        """The post's images and videos, in order (publishing/content.py). The worker's query says whether there are
        any (`has_media`): most posts have none, and asking anyway was one query in seven of a publication."""
        if getattr(self, "has_media", True) is False:
            return []
        return content.source().media(self.post_id)

    def remember(self, **extra) -> None:
        """Store per-network extras at once (a retry after a crash must be able to read them)."""
        self.extra = {**(self.extra or {}), **extra}
        Publication.objects.filter(pk=self.pk).update(extra=self.extra)


class PublishAttempt(Attempt):
    OF = "publication"
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="attempts")

    class Meta:
        ordering = ["publication", "number"]
        constraints = [models.UniqueConstraint(fields=["publication", "number"], name="unique_attempt_number")]
