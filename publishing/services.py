"""Flows on publications: queueing (the editorial calendar calls these), dispatching, publishing, and what a
person does about a publication (publish now, retry, cancel, mark as published, send again).

The database row is the truth and Celery only executes it: every move is a compare-and-set update, and a worker
that loses a race walks away.
"""

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from publishing import moves, pipeline, sql
from publishing.adapters import get_adapter
from publishing.adapters.base import AdapterError, AuthExpired, CannotCheck, OutcomeUnknown, PublishResult
from publishing.connections import socialaccount_needs_reconnect
from publishing.live import LIVE_QUEUE
from publishing.models import Publication, PublishAttempt, PublishingPause, SocialAccount
from publishing.vocabulary import PauseResolution

logger = logging.getLogger("museumcm.publishing")

State = Publication.State
Action = Publication.Action
Outcome = PublishAttempt.Outcome
DISPATCH_BATCH = 500


# Called by the editorial calendar -----------------------------------------------------------------------------------


def publications_target(
    *, post, accounts, texts: dict[int, str] | None = None, options: dict[int, dict] | None = None
) -> None:
    """The post goes to these accounts (each with its own text, else the post's, and its network's options: a Pinterest
    board, Tumblr's queue, kept in `extra`): publications of accounts no longer wanted are deleted while pending and
    cancelled while due; wanted ones are created or their text and options updated."""
    wanted, texts, options = {a.pk: a for a in accounts}, texts or {}, options or {}
    dropped = post.publications.exclude(account_id__in=wanted)
    dropped.filter(state=State.PENDING).delete()
    dropped.filter(state=State.DUE).move(Action.CANCEL)
    existing = {p.account_id: p for p in post.publications.all()}
    for pk, publication in existing.items():
        if pk in wanted and publication.text != (texts.get(pk) or post.text):
            Publication.objects.filter(pk=publication.pk).update(text=texts.get(pk) or post.text)
        if pk in options and {**publication.extra, **options[pk]} != publication.extra:
            Publication.objects.filter(pk=publication.pk).update(extra={**publication.extra, **options[pk]})
    Publication.objects.bulk_create(
        Publication(
            post=post,
            account=account,
            text=texts.get(pk) or post.text,
            scheduled_at=post.scheduled_at,
            extra=options.get(pk, {}),
        )
        for pk, account in wanted.items()
        if pk not in existing
    )


def publications_queue(*, post) -> int:
    """The post is approved: its pending publications become due, each at its time (the post's, unless that
    publication alone was moved and the move was reviewed with the post)."""
    post.publications.filter(state=State.PENDING, scheduled_at__isnull=True).update(scheduled_at=post.scheduled_at)
    return post.publications.move("queue")


def publications_withdraw(*, post) -> int:
    """The approved post was edited: what has not started sending goes back to pending (un-queued)."""
    return post.publications.move("withdraw")


def publications_reschedule(*, post) -> int:
    """Keep the publications' copy of the post's time in step (dispatching reads it without a join)."""
    return post.publications.filter(state__in=[State.PENDING, State.DUE]).update(scheduled_at=post.scheduled_at)


# Dispatching (Celery beat, every second) ---------------------------------------------------------------------------


def publications_dispatch(*, now: datetime | None = None) -> int:
    """Claim the due publications whose time has come (DUE → SENDING) and enqueue them after commit.

    Also re-enqueue SENDING rows nobody works on (a dead worker's lease ran out, or Redis lost the message).
    Returns how many were enqueued.
    """
    now = now or timezone.now()
    count = _redispatch_stuck(now)
    if PublishingPause.objects.active().exists():
        return count
    while True:
        claimed = _claim_batch(now)
        count += claimed
        if claimed < DISPATCH_BATCH:
            return count


def _claim_batch(now: datetime) -> int:
    rows = Publication.objects.claimable(now).order_by("scheduled_at")
    fields = {"state": State.SENDING, "dispatched_at": now, "lease_until": None, "updated_at": now}
    # A live post's retry keeps its place ahead of the scheduled ones (publishing/live.py).
    live = pipeline.sweep(rows.filter(extra__has_key="live"), _task(), batch=DISPATCH_BATCH, queue=LIVE_QUEUE, **fields)
    return len(live) + len(pipeline.sweep(rows, _task(), batch=DISPATCH_BATCH, **fields))


def _redispatch_stuck(now: datetime) -> int:
    # The lease is cleared so that the next worker may take it; its unfinished attempt makes it check first.
    rows = Publication.objects.stuck(now, settings.PUBLISHING_REDISPATCH_SECONDS)
    ids = pipeline.sweep(rows, _task(), batch=DISPATCH_BATCH, dispatched_at=now, lease_until=None)
    if ids:
        logger.warning("re-dispatching %s stuck publications: %s", len(ids), ids[:20])
    return len(ids)


def _task():
    from publishing.tasks import publish_publication

    return publish_publication


# Publishing one publication (the Celery task) ----------------------------------------------------------------------


def publication_publish(*, publication_id: int) -> str | None:
    """Send one claimed publication to its network, once; returns its new state (None if another worker has it).

    The attempt row is written before the network call and completed after, so a crash leaves a trace that makes
    the next try look for the post before sending it again. Each side of the call is one commit (publishing/sql.py).
    """
    now = timezone.now()
    started = sql.publication_start(
        publication_id, now=now, lease_until=now + timedelta(seconds=settings.PUBLISHING_LEASE_SECONDS)
    )
    if started is None:
        return None
    publication, attempt = started
    if publication.interrupted:  # a worker died mid-call: the post may be out, so look before sending again
        publication.settle_interrupted(now)
    if attempt is None:  # the account is not connected: the publication waits until it is
        number = publication.attempt_count
        sql.updates(_owned(publication, number, State.DUE, held=True, lease_until=None, attempt_count=number - 1))
        return State.DUE
    clock = time.monotonic()
    try:
        found, result = _send(publication)
    except AdapterError as error:
        return _failed(publication, attempt, error, clock)
    except Exception as error:  # a bug or an unexpected answer: we cannot know whether the post went out
        logger.exception("publication %s: unexpected error", publication.pk)
        unknown = OutcomeUnknown(_("Unexpected error while publishing: %(error)s") % {"error": error})
        return _failed(publication, attempt, unknown, clock)
    return _succeeded(publication, attempt, result, clock, found=found)


def _send(publication: Publication) -> tuple[bool, PublishResult]:
    adapter = get_adapter(publication.account)
    if publication.must_check:
        existing = adapter.find_existing(publication)
        if existing is not None:
            return True, existing
    return False, adapter.publish(publication)


def _owned(publication: Publication, number: int, target: str, **fields) -> sql.Change:
    """Compare-and-set from SENDING, as long as this attempt still owns the row (its number is the row's count)."""
    where = {"pk": publication.pk, "attempt_count": number, "state": State.SENDING}
    return Publication, where, {"state": target, "updated_at": timezone.now(), **fields}


def _conclude(publication, attempt, started: float, outcome: str, target: str, *, noted: dict, **fields) -> str:
    """Complete the attempt (its outcome and what was `noted` on it) and move the row to `target`, in one commit."""
    noted = {
        **noted,
        "outcome": outcome,
        "finished_at": timezone.now(),
        "duration_ms": round((time.monotonic() - started) * 1000),
    }
    for name, value in noted.items():
        setattr(attempt, name, value)
    moved = _owned(publication, attempt.number, target, lease_until=None, **fields)
    sql.updates((PublishAttempt, {"pk": attempt.pk}, noted), moved)
    return target


def _succeeded(publication, attempt, result: PublishResult, started: float, *, found: bool) -> str:
    note = _("Found on the network: the earlier attempt had gone through.") if found else ""
    return _conclude(
        publication,
        attempt,
        started,
        Outcome.PUBLISHED,
        State.PUBLISHED,
        noted={"error": note},
        external_id=result.external_id,
        external_url=result.url,
        extra={**publication.extra, **result.extra},
        published_at=timezone.now(),
        error="",
        must_check=False,
        next_attempt_at=None,
    )


def _failed(publication, attempt, error: AdapterError, started: float) -> str:
    outcome = pipeline.outcome_of(error)
    if isinstance(error, CannotCheck):
        return _unconfirmed(publication, attempt, error, started)
    if outcome == Outcome.AUTH_EXPIRED:
        return _auth_expired(publication, attempt, error, started)
    if outcome == Outcome.REJECTED:
        noted = {"http_status": error.http_status, "error": error.reason}
        return _conclude(publication, attempt, started, outcome, State.FAILED, noted=noted, error=error.reason)
    return _retry_later(publication, attempt, error, started, outcome)


def _retry_later(publication, attempt, error: AdapterError, started: float, outcome: str) -> str:
    """Transient, rate limited or unknown outcome: back to DUE after a backoff, until the attempts run out."""
    at, noted, fields = pipeline.after_failure(attempt.number - publication.series_start, error, outcome)
    target = State.DUE if at else State.UNCONFIRMED if outcome == Outcome.UNKNOWN else State.FAILED
    return _conclude(publication, attempt, started, outcome, target, noted=noted, **fields)


def _unconfirmed(publication, attempt, error: CannotCheck, started: float) -> str:
    reason = _(
        "We cannot tell whether this post went out: an earlier attempt may have reached the network, and %(network)s "
        "offers no way to check. Look at the account, then mark it as published or send it again."
    ) % {"network": publication.account.get_network_display()}
    noted = {"error": error.reason}
    return _conclude(publication, attempt, started, Outcome.UNKNOWN, State.UNCONFIRMED, noted=noted, error=reason)


def _auth_expired(publication, attempt, error: AuthExpired, started: float) -> str:
    noted = {"http_status": error.http_status, "error": error.reason}
    _conclude(
        publication, attempt, started, Outcome.AUTH_EXPIRED, State.DUE, noted=noted, held=True, error=error.reason
    )
    socialaccount_needs_reconnect(account=publication.account, reason=error.reason)
    return State.DUE


# What a person does about a publication -----------------------------------------------------------------------------


def publication_publish_now(*, publication: Publication, by=None) -> bool:
    """Send it at once, even while publishing is paused (that is how a pause is lifted post by post).
    Sending early a publication whose time has not come is a move: it goes back to review instead (`moves`)."""
    now = timezone.now()
    if publication.scheduled_at and publication.scheduled_at > now:
        return _move_for_review(publication, at=now, by=by)
    rows = Publication.objects.filter(pk=publication.pk, held=False, account__status=SocialAccount.Status.CONNECTED)
    if not rows.move(Action.PUBLISH_NOW, next_attempt_at=None, dispatched_at=now, lease_until=None):
        return False
    moves.record(moves.Move(publication, by, publication.scheduled_at, now, back_to_review=False, sent_now=True))
    pipeline.enqueue_after_commit(_task(), [publication.pk])
    return True


def publication_retry(*, publication: Publication) -> bool:
    """A failed publication gets a new series of attempts, starting at the next dispatch."""
    return bool(
        Publication.objects.filter(pk=publication.pk).move(
            Action.RETRY, next_attempt_at=None, series_start=F("attempt_count"), error="", held=False
        )
    )


def publication_send_again(*, publication: Publication) -> bool:
    """A person checked that the unconfirmed post is not on the network: send it again, without looking first."""
    return bool(
        Publication.objects.filter(pk=publication.pk).move(
            Action.SEND_AGAIN, next_attempt_at=None, series_start=F("attempt_count"), must_check=False
        )
    )


def publication_mark_published(*, publication: Publication, url: str = "") -> bool:
    """A person found the post on the network: record it as published (with its link when they give one)."""
    return bool(
        Publication.objects.filter(pk=publication.pk).move(
            Action.MARK_PUBLISHED,
            external_url=url,
            published_at=timezone.now(),
            must_check=False,
            error="",
        )
    )


def publication_cancel(*, publication: Publication) -> bool:
    return bool(Publication.objects.filter(pk=publication.pk).move(Action.CANCEL, next_attempt_at=None))


@transaction.atomic
def publication_reschedule(*, publication: Publication, at: datetime, by=None) -> bool:
    """Move a due publication: a choice of the pause flow for what fell due then, else back to review (`moves`)."""
    if not publication_fell_due_in_pause(publication):
        return _move_for_review(publication, at=at, by=by)
    moved = Publication.objects.filter(pk=publication.pk).move(Action.RESCHEDULE, scheduled_at=at, next_attempt_at=None)
    if moved:
        moves.record(moves.Move(publication, by, publication.scheduled_at, at, back_to_review=False))
    return bool(moved)


def publication_fell_due_in_pause(publication: Publication) -> bool:
    pause = PublishingPause.objects.active().first()
    return pause is not None and fallen_due_during(pause).filter(pk=publication.pk).exists()


@transaction.atomic
def _move_for_review(publication: Publication, *, at: datetime, by) -> bool:
    """The publication takes its new time but waits for approval again; its post's owner records the move."""
    moved = Publication.objects.filter(pk=publication.pk).move("withdraw", scheduled_at=at, next_attempt_at=None)
    if moved:
        moves.record(moves.Move(publication, by, publication.scheduled_at, at, back_to_review=True))
    return bool(moved)


# Pause everything --------------------------------------------------------------------------------------------------


def publishing_pause(*, reason: str, by) -> PublishingPause:
    """Freeze every queued publication on every account; dispatch sends nothing until resumed."""
    with transaction.atomic():
        active = PublishingPause.objects.select_for_update().active().first()
        if active:
            return active
        return PublishingPause.objects.create(reason=reason, started_by=by)


def publishing_resume(*, by, overdue: str, reschedule_to: datetime | None = None) -> int:
    """End the pause; what fell due meanwhile is published now, moved to `reschedule_to`, or cancelled.

    Returns how many publications had fallen due.
    """
    now = timezone.now()
    with transaction.atomic():
        pause = PublishingPause.objects.select_for_update().active().first()
        if pause is None:
            return 0
        rows = fallen_due_during(pause, now)
        count = rows.count()
        if overdue == PauseResolution.CANCEL:
            rows.move(Action.CANCEL)
        elif overdue == PauseResolution.RESCHEDULE:
            for publication in rows.select_related("account"):
                moves.record(moves.Move(publication, by, publication.scheduled_at, reschedule_to, back_to_review=False))
            rows.update(scheduled_at=reschedule_to, next_attempt_at=None, updated_at=now)
        pause.ended_at, pause.ended_by, pause.resolution = now, by, overdue
        pause.save()
    return count


def fallen_due_during(pause: PublishingPause, now: datetime | None = None):
    return Publication.objects.overdue(now or timezone.now()).filter(held=False, scheduled_at__gte=pause.started_at)
