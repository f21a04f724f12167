"""What to measure next: the checkpoints of newly published publications, and each account's snapshot of the day.

Beat runs `snapshots_plan` every few minutes; the rows it writes are the schedule (`ScheduledSnapshot`). Writing is
idempotent (the schedule's unique constraints and ON CONFLICT DO NOTHING), so two beats or a rerun never double it.
"""

from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from insights.models import Checkpoint, ScheduledSnapshot
from publishing.adapters import ADAPTERS
from publishing.adapters.base import Adapter
from publishing.models import Publication, SocialAccount

PLAN_BATCH = 2000
LAST = list(Checkpoint)[-1]


def snapshots_plan(*, now: datetime | None = None) -> int:
    """Plan what is not planned yet; returns how many schedule rows were offered (those already there are kept)."""
    now = now or timezone.now()
    return _plan_publications(now) + _plan_accounts(now)


def measured_networks() -> list[str]:
    """The networks whose adapter fetches metrics; the others' accounts and posts are not scheduled at all."""
    return [name for name, cls in ADAPTERS.items() if cls.fetch_post_metrics is not Adapter.fetch_post_metrics]


def _plan_publications(now: datetime) -> int:
    """Every checkpoint still ahead of a publication published in the last 30 days, and the last one already past
    (taken late rather than never: a post published before insights ran, or while collection was stopped)."""
    planned = ScheduledSnapshot.objects.filter(publication=OuterRef("pk"))
    fresh = Publication.objects.filter(
        state=Publication.State.PUBLISHED,
        published_at__gt=now - LAST.offset,
        published_at__lte=now,
        account__network__in=measured_networks(),
    ).exclude(external_id="")
    rows = fresh.filter(~Exists(planned)).values_list("pk", "account_id", "published_at")[:PLAN_BATCH]
    schedule = [
        ScheduledSnapshot(
            kind=ScheduledSnapshot.Kind.PUBLICATION,
            account_id=account_id,
            publication_id=pk,
            checkpoint=checkpoint,
            due_at=published_at + checkpoint.offset,
        )
        for pk, account_id, published_at in rows
        for checkpoint in checkpoints_to_take(published_at, now)
    ]
    return len(ScheduledSnapshot.objects.bulk_create(schedule, ignore_conflicts=True))


def checkpoints_to_take(published_at: datetime, now: datetime) -> list[Checkpoint]:
    """The checkpoints still ahead, plus the latest one already past: a checkpoint overtaken by a later one that is
    also past would only record a late figure under an early label."""
    past = [c for c in Checkpoint if published_at + c.offset <= now]
    ahead = [c for c in Checkpoint if published_at + c.offset > now]
    return past[-1:] + ahead


def _plan_accounts(now: datetime) -> int:
    """One snapshot of each connected account a day, due as soon as the day is planned."""
    day = timezone.localdate(now)
    accounts = SocialAccount.objects.connected().filter(network__in=measured_networks()).values_list("pk", flat=True)
    schedule = [
        ScheduledSnapshot(kind=ScheduledSnapshot.Kind.ACCOUNT, account_id=pk, day=day, due_at=now) for pk in accounts
    ]
    return len(ScheduledSnapshot.objects.bulk_create(schedule, ignore_conflicts=True))
