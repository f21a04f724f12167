"""What the rows a pipeline moves have in common, declared once (the flows are publishing/pipeline.py's).

Publications and inbox replies are sent the same way: claimed by compare-and-set under a lease, an attempt row per
network call, a retry as a time on the row, an idempotency key. Insights' scheduled snapshots share the claim: the
lease and the time of the next try.
"""

import uuid
from datetime import datetime
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from publishing.vocabulary import Outcome


class LeasedQuerySet(models.QuerySet):
    def ready(self, now: datetime):
        """Rows not waiting for a retry, or whose retry time has come."""
        return self.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


class StateQuerySet(LeasedQuerySet):
    """Rows with a `state` and an `updated_at` that move only by compare-and-set (publications, inbox replies)."""

    def move(self, name: str, **fields) -> int:
        """Make the declared move `name` (`Publication.MOVES`) on the rows still in one of its sources."""
        sources, target = self.model.MOVES[name]
        return self.transition(sources, target, **fields)

    def transition(self, source, target: str, **fields) -> int:
        """Move the rows still in `source` (a state or a list of states) to `target`.

        Returns how many rows moved; a caller that gets 0 lost the race and must walk away.
        """
        sources = [source] if isinstance(source, str) else list(source)
        return self.filter(state__in=sources).update(state=target, updated_at=timezone.now(), **fields)


class Leased(models.Model):
    """A row a worker owns until `lease_until` (a dead worker's row is taken back when it runs out), and that waits
    on the row, never in the queue, for its next try (`next_attempt_at`)."""

    lease_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Outgoing(Leased):
    """Something we send to a network through the pipeline: a publication, or an inbox reply. Its state changes by
    compare-and-set (`StateQuerySet`), and its `attempts` are `Attempt` rows."""

    # What only the pipeline writes: read-only in the admin, where an edit would break a lease, a retry or the key
    # that keeps a send from going out twice.
    PIPELINE_FIELDS: ClassVar[tuple[str, ...]] = (
        "idempotency_key",
        "attempt_count",
        "series_start",
        "must_check",
        "dispatched_at",
        "lease_until",
        "next_attempt_at",
        "external_id",
    )

    # Sent as the network's idempotency key where one exists (Mastodon), or used to derive one (Bluesky rkey).
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    attempt_count = models.PositiveIntegerField(default=0)
    # attempt_count when the current series of tries began (a person's "retry" starts a new series).
    series_start = models.PositiveIntegerField(default=0)
    # The last try may have reached the network (timeout after sending, worker died): look before sending again.
    must_check = models.BooleanField(default=False)
    # When it was last enqueued (a sweep re-sends a message Redis may have lost).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(_("network id"), max_length=300, blank=True)
    error = models.TextField(_("reason"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def settle_interrupted(self, now: datetime) -> bool:
        """The earlier attempts a dead worker left unfinished are of unknown outcome: the next try looks on the
        network before sending. Returns whether there were any."""
        unfinished = self.attempts.filter(outcome=Outcome.STARTED, number__lt=self.attempt_count)
        if not unfinished.update(
            outcome=Outcome.UNKNOWN, finished_at=now, error=gettext("The worker stopped during this attempt.")
        ):
            return False
        type(self).objects.filter(pk=self.pk).update(must_check=True)
        self.must_check = True
        return True


class Attempt(models.Model):
    """One call to a network, written before the call and completed after: the audit trail survives a crash.
    Publications' attempts and the inbox's replies' share these fields."""

    Outcome = Outcome
    # The name of the foreign key to what was being sent.
    OF: ClassVar[str]

    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.STARTED)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{getattr(self, self.OF)} #{self.number}: {self.get_outcome_display()}"

    @property
    def retry_in_seconds(self) -> int | None:
        """How long after this attempt the next one was planned ("next try in 30 s")."""
        if self.retry_at is None:
            return None
        return max(0, round((self.retry_at - (self.finished_at or self.started_at)).total_seconds()))
