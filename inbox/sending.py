"""Sending our replies: the publication pipeline's guarantees for an answer to a message.

A reply is queued (a row), claimed by compare-and-set (queued → sending, under a lease), sent with an attempt row
written before the network call, and settled in one commit with that attempt. A retry is a time on the row
(`next_attempt_at`), never a countdown in the queue; beat's sweep (`replies_dispatch`) enqueues what is due, what
Redis lost and what a dead worker left sending. The outcome mapping and the retry policy are publishing's
(publishing/pipeline.py); an expired token goes through publishing's one service.
"""

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from inbox.models import Message, Reply, ReplyAttempt
from inbox.models.reply import STALLED_AFTER
from publishing import pipeline
from publishing.adapters import get_adapter
from publishing.adapters.base import (
    AdapterError,
    CannotCheck,
    OutcomeUnknown,
    PublishResult,
    ReplyTarget,
    first_sent_at,
)
from publishing.connections import socialaccount_needs_reconnect
from publishing.vocabulary import Outcome

logger = logging.getLogger("museumcm.inbox")

State = Reply.State


def reply_queue(*, message: Message, text: str, by) -> Reply:
    """Queue our answer (turning the expert's draft into it when there is one); sent after commit by a task."""
    now = timezone.now()
    draft = message.replies.filter(state=State.DRAFT).order_by("-pk").first()
    if draft is not None and Reply.objects.filter(pk=draft.pk).transition(
        State.DRAFT, State.QUEUED, text=text, sent_by=by, dispatched_at=now
    ):
        reply = Reply.objects.get(pk=draft.pk)
    else:
        reply = Reply.objects.create(
            message=message, author=by, sent_by=by, text=text, state=State.QUEUED, dispatched_at=now
        )
    pipeline.enqueue_after_commit(_task(), [reply.pk])
    return reply


def reply_retry(*, reply: Reply, by) -> bool:
    """A person decided to try again a failed (or unconfirmed) reply: a new series of attempts, with the same
    idempotency key, sent at once without looking first (the person looked)."""
    if reply.stalled:  # its worker died mid-call: nobody knows whether it went out; the key guards a resend
        Reply.objects.filter(pk=reply.pk, updated_at__lt=timezone.now() - STALLED_AFTER).transition(
            State.SENDING, State.UNCONFIRMED, lease_until=None
        )
    moved = Reply.objects.filter(pk=reply.pk).transition(
        [State.FAILED, State.UNCONFIRMED],
        State.QUEUED,
        error="",
        sent_by=by,
        series_start=F("attempt_count"),
        must_check=False,
        next_attempt_at=None,
        dispatched_at=timezone.now(),
    )
    if moved:
        pipeline.enqueue_after_commit(_task(), [reply.pk])
    return bool(moved)


def replies_dispatch(*, now: datetime | None = None) -> int:
    """Beat's sweep: enqueue the queued replies whose retry time has come or whose message may be lost, and give
    back to the queue those a dead worker left sending (they look before sending again). Returns how many."""
    now = now or timezone.now()
    stuck = Reply.objects.stuck(now)
    recovered = pipeline.sweep(
        stuck, _task(), state=State.QUEUED, must_check=True, lease_until=None, dispatched_at=now, updated_at=now
    )
    if recovered:
        logger.warning("re-dispatching %s stuck replies: %s", len(recovered), recovered[:20])
    due = Reply.objects.due(now, settings.PUBLISHING_REDISPATCH_SECONDS)
    return len(recovered) + len(pipeline.sweep(due, _task(), next_attempt_at=None, dispatched_at=now))


def reply_send(*, reply_id: int) -> str | None:
    """Send a queued reply once; returns its new state (None if it was not ours to send).

    Claimed with a compare-and-set (queued → sending): a second worker, a re-delivered task or a double click
    finds nothing to claim. After an ambiguous failure the network is asked first where it can be; where it
    cannot, the reply becomes unconfirmed and a person decides.
    """
    attempt = _start(reply_id)
    if attempt is None:
        return None
    reply = attempt.reply
    adapter = get_adapter(reply.message.account)
    clock = time.monotonic()
    try:
        result, found = _deliver(adapter, reply)
    except AdapterError as error:
        return _failed(reply, attempt, error, clock, can_check=adapter.can_find_replies)
    except Exception as error:  # a bug or an unexpected answer: we cannot know whether the reply went out
        logger.exception("reply %s: unexpected error", reply.pk)
        unknown = OutcomeUnknown(_("Unexpected error while replying: %(error)s") % {"error": error})
        return _failed(reply, attempt, unknown, clock, can_check=adapter.can_find_replies)
    return _sent(reply, attempt, result, clock, found=found)


def _start(reply_id: int) -> ReplyAttempt | None:
    """Own the queued row for one lease and write its attempt row, in one commit. An attempt a dead worker left
    unfinished is of unknown outcome, and makes this one look before sending."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.PUBLISHING_LEASE_SECONDS)
    with transaction.atomic():
        rows = Reply.objects.ready(now).filter(pk=reply_id)
        if not rows.transition(State.QUEUED, State.SENDING, attempt_count=F("attempt_count") + 1, lease_until=lease):
            return None
        reply = Reply.objects.select_related("message__account").get(pk=reply_id)
        reply.settle_interrupted(now)
        return ReplyAttempt.objects.create(reply=reply, number=reply.attempt_count, started_at=now)


def _deliver(adapter, reply: Reply) -> tuple[PublishResult, bool]:
    message = reply.message
    target = ReplyTarget(message.external_id, root_external_id=message.root_external_id, extra=message.extra)
    if reply.must_check:
        existing = adapter.find_reply(target, reply.text, since=first_sent_at(reply))
        if existing is not None:
            return existing, True
    return adapter.reply(target, reply.text, idempotency_key=str(reply.idempotency_key)), False


def _conclude(reply: Reply, attempt: ReplyAttempt, started: float, outcome: str, target: str, *, noted, **fields):
    """Complete the attempt and move the row to `target` in one commit, as long as this attempt still owns it."""
    noted = {**noted, "outcome": outcome, "finished_at": timezone.now()}
    noted["duration_ms"] = round((time.monotonic() - started) * 1000)
    owned = Reply.objects.filter(pk=reply.pk, attempt_count=attempt.number)
    with transaction.atomic():
        ReplyAttempt.objects.filter(pk=attempt.pk).update(**noted)
        owned.transition(State.SENDING, target, lease_until=None, **fields)
    return target


def _sent(reply: Reply, attempt: ReplyAttempt, result: PublishResult, started: float, *, found: bool) -> str:
    note = _("Found on the network: the earlier attempt had gone through.") if found else ""
    now = timezone.now()
    fields = {"external_id": result.external_id, "url": result.url, "sent_at": now, "error": "", "must_check": False}
    with transaction.atomic():
        _conclude(reply, attempt, started, Outcome.PUBLISHED, State.SENT, noted={"error": note}, **fields)
        message = Message.objects.filter(pk=reply.message_id)
        message.filter(first_response_at__isnull=True).update(first_response_at=now)
        message.filter(status=Message.Status.OPEN).update(status=Message.Status.DONE)
    return State.SENT


def _failed(reply: Reply, attempt: ReplyAttempt, error: AdapterError, started: float, *, can_check: bool) -> str:
    outcome = pipeline.outcome_of(error)
    noted = {"http_status": error.http_status, "error": error.reason}
    if outcome == Outcome.AUTH_EXPIRED:
        _conclude(reply, attempt, started, outcome, State.FAILED, noted=noted, error=error.reason)
        socialaccount_needs_reconnect(account=reply.message.account, reason=error.reason)
        return State.FAILED
    if outcome == Outcome.REJECTED:
        return _conclude(reply, attempt, started, outcome, State.FAILED, noted=noted, error=error.reason)
    if isinstance(error, CannotCheck) or (outcome == Outcome.UNKNOWN and not can_check):
        return _conclude(reply, attempt, started, outcome, State.UNCONFIRMED, noted=noted, error=error.reason)
    return _retry_later(reply, attempt, error, started, outcome)


def _retry_later(reply: Reply, attempt: ReplyAttempt, error: AdapterError, started: float, outcome: str) -> str:
    """Transient, rate limited, or unknown where the network can be asked: queued again for the policy's time."""
    at, noted, fields = pipeline.after_failure(attempt.number - reply.series_start, error, outcome)
    target = State.QUEUED if at else State.UNCONFIRMED if outcome == Outcome.UNKNOWN else State.FAILED
    return _conclude(reply, attempt, started, outcome, target, noted=noted, **fields)


def _task():
    from inbox.tasks import send_reply

    return send_reply
