"""Writing what a batch fetched: only the rows still claimed under the batch's token, in one transaction, with the
snapshot tables' unique constraints as the last word (ON CONFLICT DO NOTHING): a figure is never written twice."""

from django.db import transaction
from django.utils import timezone

from insights.models import AccountSnapshot, AudienceBreakdown, PublicationSnapshot, ScheduledSnapshot
from publishing.adapters.metrics import AccountMetrics, PostMetrics

State = ScheduledSnapshot.State
GONE = "The network no longer has this post."


def _still_ours(claim: str):
    return ScheduledSnapshot.objects.select_for_update().filter(claim=claim, state=State.CLAIMED)


def record_publications(claim: str, fetched: dict[str, PostMetrics], publications) -> int:
    """Snapshots of the publications the network answered for; those it left out are gone (failed, no row)."""
    external = {p.pk: p.external_id for p in publications}
    now = timezone.now()
    with transaction.atomic():
        rows = list(_still_ours(claim).values_list("pk", "publication_id", "checkpoint"))
        answered = [(pk, pub, cp) for pk, pub, cp in rows if external.get(pub) in fetched]
        PublicationSnapshot.objects.bulk_create(
            [
                PublicationSnapshot(publication_id=pub, checkpoint=cp, taken_at=now, **fetched[external[pub]].counts())
                for _pk, pub, cp in answered
            ],
            ignore_conflicts=True,
        )
        done = [pk for pk, _pub, _cp in answered]
        ScheduledSnapshot.objects.filter(pk__in=done).update(
            state=State.DONE, lease_until=None, error="", updated_at=now
        )
        gone = ScheduledSnapshot.objects.filter(pk__in=[pk for pk, *_ in rows if pk not in set(done)])
        gone.update(state=State.FAILED, lease_until=None, error=GONE, updated_at=now)
    return len(done)


def record_account(claim: str, fetched: AccountMetrics) -> int:
    """The account's snapshot of the day, and its audience of the day where the network gave one."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(_still_ours(claim).values_list("pk", "account_id", "day"))
        for _pk, account_id, day in rows:
            AccountSnapshot.objects.bulk_create(
                [AccountSnapshot(account_id=account_id, day=day, taken_at=now, **fetched.counts())],
                ignore_conflicts=True,
            )
            AudienceBreakdown.objects.bulk_create(
                [
                    AudienceBreakdown(
                        account_id=account_id, day=day, dimension=dimension, bucket=bucket[:100], value=value
                    )
                    for dimension, buckets in fetched.audience.items()
                    for bucket, value in buckets.items()
                ],
                ignore_conflicts=True,
            )
        ScheduledSnapshot.objects.filter(pk__in=[r[0] for r in rows]).update(
            state=State.DONE, lease_until=None, error="", updated_at=now
        )
    return len(rows)
