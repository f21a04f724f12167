"""The schedule of record for collection: one row per snapshot still to take, moved by compare-and-set.

Like publications (`publishing.models.StateQuerySet`), a row is claimed by a conditional update and whoever moves 0
rows walks away; a claimed row carries a lease and the claim's token, so a dead worker's rows go back to due when the
lease runs out, and a late worker whose claim was taken over writes nothing.
"""

import uuid
from datetime import datetime

from django.db import connections, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insights.models.rows import array_literal
from insights.models.snapshots import Checkpoint
from publishing.models import Leased, LeasedQuerySet, Publication, SocialAccount


class ScheduledSnapshotQuerySet(LeasedQuerySet):
    def claimable(self, now: datetime):
        """Due rows whose time has come, not waiting for a retry, on a connected account."""
        return self.ready(now).filter(
            state=ScheduledSnapshot.State.DUE,
            due_at__lte=now,
            account__status=SocialAccount.Status.CONNECTED,
        )

    def stuck(self, now: datetime):
        """Claimed rows whose worker died or never got the message: their lease ran out."""
        return self.filter(state=ScheduledSnapshot.State.CLAIMED, lease_until__lt=now)

    def claim_batches(self, batches: dict[uuid.UUID, list[int]], *, lease_until: datetime, now: datetime) -> int:
        """Claim each batch of due rows under its own token, all in one statement (one UPDATE per batch was a third
        of a dispatch); a row no longer due is not claimed. Returns how many rows were claimed."""
        State = ScheduledSnapshot.State
        if connections[self.db].vendor != "postgresql":  # the embedded SQLite of `make run`: one UPDATE per batch
            return sum(
                self.filter(pk__in=pks, state=State.DUE).update(
                    state=State.CLAIMED, claim=token, lease_until=lease_until, updated_at=now
                )
                for token, pks in batches.items()
            )
        pairs = [(pk, token) for token, pks in batches.items() for pk in pks]
        if not pairs:
            return 0
        ids, tokens = zip(*pairs, strict=True)
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"""UPDATE {self.model._meta.db_table} AS s
                    SET state = %s, claim = c.claim, lease_until = %s, updated_at = %s
                    FROM unnest(%s::bigint[], %s::uuid[]) AS c(id, claim)
                    WHERE s.id = c.id AND s.state = %s""",
                [State.CLAIMED, lease_until, now, array_literal(ids), array_literal(tokens), State.DUE],
            )
            return cursor.rowcount

    def release(self, *, now: datetime | None = None) -> int:
        """Give stuck rows back to due (the sweep does this before claiming); returns how many."""
        now = now or timezone.now()
        return self.stuck(now).update(state=ScheduledSnapshot.State.DUE, claim=None, lease_until=None, updated_at=now)


class ScheduledSnapshot(Leased):
    """A snapshot to take: a publication at one checkpoint (`kind=publication`, `publication` and `checkpoint` set),
    or an account on one day (`kind=account`, `day` set). `account` is always set: collection batches per account.

    States: due → claimed (a worker holds it until `lease_until`, under the token `claim`) → done, or back to due with
    `next_attempt_at` after a failure (rate limit, transient), or failed after the attempts ran out or a permanent
    refusal. `attempts` counts the tries that reached the network.
    """

    class Kind(models.TextChoices):
        PUBLICATION = "publication", _("Publication")
        ACCOUNT = "account", _("Account")

    class State(models.TextChoices):
        DUE = "due", _("Due")
        CLAIMED = "claimed", _("Claimed")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="scheduled_snapshots")
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.CASCADE, related_name="scheduled_snapshots"
    )
    checkpoint = models.CharField(max_length=4, choices=Checkpoint.choices, blank=True)
    day = models.DateField(null=True, blank=True)
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.DUE)
    claim = models.UUIDField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScheduledSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("scheduled snapshot")
        verbose_name_plural = _("scheduled snapshots")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "checkpoint"],
                condition=Q(kind="publication"),
                name="one_schedule_per_checkpoint",
            ),
            models.UniqueConstraint(
                fields=["account", "day"], condition=Q(kind="account"), name="one_schedule_per_account_day"
            ),
            models.CheckConstraint(
                condition=Q(kind="publication", publication__isnull=False, day__isnull=True)
                | Q(kind="account", publication__isnull=True, day__isnull=False),
                name="schedule_kind_matches_target",
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(state__in=["due", "claimed"]), name="schedule_open_due_idx"),
            # A batch's rows by its token (the worker's load, its finishing UPDATE): without it each batch scanned
            # the whole schedule, done rows included.
            models.Index(fields=["claim"], condition=Q(state="claimed"), name="schedule_claimed_idx"),
        ]

    def __str__(self) -> str:
        target = f"{self.publication_id} +{self.checkpoint}" if self.publication_id else f"{self.account_id} {self.day}"
        return f"{self.kind} {target}: {self.state}"
