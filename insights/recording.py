"""Writing what a batch fetched: only the rows still claimed under the batch's token, in one transaction, with the
snapshot tables' unique constraints as the last word (ON CONFLICT DO NOTHING): a figure is never written twice.
Each batch also brings the posts' latest figures (`insights.models.latest`) up to date, in the same transaction. On
PostgreSQL a batch of publications is all one statement (`insights.recording_postgres`); the statements below are the
embedded SQLite's."""

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from insights.models import (
    PUBLICATION_METRICS,
    AccountSnapshot,
    AudienceBreakdown,
    PublicationSnapshot,
    ScheduledSnapshot,
)
from insights.models.latest import record, refresh_followers
from insights.models.rows import insert_rows
from insights.recording_postgres import record_in_one_statement
from publishing.adapters.metrics import AccountMetrics, PostMetrics

State = ScheduledSnapshot.State


def _finish(claim: str, pks: list[int], state: str, **fields) -> int:
    """Move the batch's rows `pks` still claimed under `claim` to `state`; a row released meanwhile (its lease ran
    out) is not moved. The update locks the rows until commit, so a release cannot slip in before the write."""
    rows = ScheduledSnapshot.objects.filter(pk__in=pks, claim=claim, state=State.CLAIMED)
    return rows.update(state=state, lease_until=None, attempts=F("attempts") + 1, updated_at=timezone.now(), **fields)


def record_publications(claim: str, fetched: dict[str, PostMetrics], rows) -> int:
    """Snapshots of the publications the network answered for; those it left out are gone (failed, no row).
    `rows`: the batch's claimed rows (`insights.collection.Due`)."""
    answered = [r for r in rows if r.publication.external_id in fetched]
    gone = [r.pk for r in rows if r.publication.external_id not in fetched]
    gone_reason = gettext("The network no longer has this post.")  # in the institution's language, as read
    if connection.vendor == "postgresql":
        return record_in_one_statement(claim, fetched, answered, gone, gone_reason)
    now = timezone.now()
    with transaction.atomic():
        if _finish(claim, [r.pk for r in answered], State.DONE, error="") != len(answered):
            transaction.set_rollback(True)  # taken over by another worker: it writes them
            return 0
        counts = {r.publication_id: fetched[r.publication.external_id].counts() for r in answered}
        columns = ("publication", "checkpoint", "taken_at", *PUBLICATION_METRICS)
        at = connection.ops.adapt_datetimefield_value(now)
        snapshots = [
            (r.publication_id, r.checkpoint, at, *(counts[r.publication_id][name] for name in PUBLICATION_METRICS))
            for r in answered
        ]
        insert_rows(PublicationSnapshot, columns, snapshots, unique=("publication", "checkpoint"))
        record(counts, now)
        if gone:
            _finish(claim, gone, State.FAILED, error=gone_reason)
    return len(answered)


def record_account(claim: str, fetched: AccountMetrics, rows: list[ScheduledSnapshot]) -> int:
    """The account's snapshot of the day, and its audience of the day where the network gave one."""
    now = timezone.now()
    with transaction.atomic():
        if _finish(claim, [r.pk for r in rows], State.DONE, error="") != len(rows):
            transaction.set_rollback(True)
            return 0
        for row in rows:
            AccountSnapshot.objects.bulk_create(
                [AccountSnapshot(account_id=row.account_id, day=row.day, taken_at=now, **fetched.counts())],
                ignore_conflicts=True,
            )
            audience = [
                AudienceBreakdown(
                    account_id=row.account_id, day=row.day, dimension=dimension, bucket=bucket[:100], value=value
                )
                for dimension, buckets in fetched.audience.items()
                for bucket, value in buckets.items()
            ]
            AudienceBreakdown.objects.bulk_create(audience, ignore_conflicts=True)
            refresh_followers(row.account_id, row.day)
    return len(rows)
