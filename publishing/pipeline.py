"""What publications and replies share on their way to a network: the outcome an adapter's error stands for, the
one retry policy, and the sweep that enqueues rows after commit (their compare-and-set moves are
`publishing.models.StateQuerySet.transition`).

Both pipelines keep their truth in rows and use Celery only to run them: a row moves state by a conditional
update (whoever moves 0 rows walks away), an attempt row is written before each network call, a retry is a time on
the row (never a countdown in the queue), and a sweep run by beat finds what is due or stuck.
"""

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from publishing.adapters.base import (
    AdapterError,
    AuthExpired,
    CannotCheck,
    OutcomeUnknown,
    RateLimited,
    Rejected,
)
from publishing.vocabulary import Outcome

SWEEP_BATCH = 500


def outcome_of(error: BaseException) -> Outcome:
    """The outcome an error stands for. Anything that is not one of the adapters' errors (a bug, an unexpected
    answer) may have happened after the network accepted the call: its outcome is unknown."""
    if isinstance(error, CannotCheck | OutcomeUnknown) or not isinstance(error, AdapterError):
        return Outcome.UNKNOWN
    if isinstance(error, AuthExpired):
        return Outcome.AUTH_EXPIRED
    if isinstance(error, Rejected):
        return Outcome.REJECTED
    if isinstance(error, RateLimited):
        return Outcome.RATE_LIMITED
    return Outcome.TRANSIENT


def retry_delay(tries: int, retry_after: float | None = None) -> float:
    """Seconds before the next try: what the network asked for (never earlier), else exponential with jitter."""
    if retry_after:
        return retry_after * random.uniform(1.0, 1.2)
    base = settings.PUBLISHING_RETRY_BASE_SECONDS * 2 ** max(0, tries - 1)
    return min(base, 1800) * random.uniform(0.5, 1.0)


def retry_at(tries: int, error: AdapterError) -> datetime | None:
    """When to try again after `tries` failed tries of this series, or None when the attempts have run out."""
    if tries >= settings.PUBLISHING_MAX_ATTEMPTS:
        return None
    return timezone.now() + timedelta(seconds=retry_delay(tries, getattr(error, "retry_after", None)))


def after_failure(tries: int, error: AdapterError, outcome: str) -> tuple[datetime | None, dict, dict]:
    """What a failed try of a series leads to: when to try again (None: the attempts have run out), what to note on
    the attempt row, and what to set on the publication's or reply's row. A try of unknown outcome makes the next
    one look before sending."""
    noted = {"http_status": error.http_status, "error": error.reason}
    at = retry_at(tries, error)
    if at is None:
        reason = _("Gave up after %(count)s attempts: %(reason)s") % {"count": tries, "reason": error.reason}
        return None, noted, {"error": reason}
    fields = {"next_attempt_at": at, "error": error.reason}
    if outcome == Outcome.UNKNOWN:
        fields["must_check"] = True
    return at, {**noted, "retry_at": at}, fields


def sweep(rows: models.QuerySet, task, *, batch: int = SWEEP_BATCH, queue: str | None = None, **fields) -> list[int]:
    """Take up to `batch` of `rows` that no other sweeper holds, set `fields` on them and enqueue `task` once per
    row after commit (on `queue`, else the task's default). Returns the rows' ids."""
    with transaction.atomic():
        locked = rows.select_for_update(skip_locked=True, of=("self",))
        ids = list(locked.values_list("pk", flat=True)[:batch])
        if ids:
            rows.model.objects.filter(pk__in=ids).update(**fields)
            enqueue_after_commit(task, ids, queue)
    return ids


def enqueue_after_commit(task, ids: list[int], queue: str | None = None) -> None:
    if ids:
        transaction.on_commit(lambda: enqueue(task, ids, queue))


def enqueue(task, ids: list[int], queue: str | None = None) -> None:
    """One message per row, sent to the broker in one round trip (kombu's batch: a Redis pipeline; brokers without
    batches publish one by one). One by one, each message cost a Redis client and a round trip: in a backlog of
    thousands, a third of a worker's CPU went to the dispatcher."""
    with task.app.producer_or_acquire() as producer, producer.batch():
        for pk in ids:
            task.apply_async((pk,), producer=producer, **({"queue": queue} if queue else {}))
