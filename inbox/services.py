"""Flows of the inbox the views and tasks start: answer, retry, route to an expert, triage, presence."""

import logging
import random

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from inbox.models import Message, Presence, Reply
from inbox.models.reply import STALLED_AFTER
from inbox.selectors import forget_counts
from publishing.adapters import get_adapter
from publishing.adapters.base import (
    AdapterError,
    AuthExpired,
    OutcomeUnknown,
    Problem,
    RateLimited,
    ReplyTarget,
    TransientError,
)
from publishing.models import SocialAccount

logger = logging.getLogger("museumcm.inbox")

State = Reply.State
MAX_ATTEMPTS = 4


# Replies -----------------------------------------------------------------------------------------------------------


# What `validate` may say that concerns a reply's text; media rules (Instagram's required image) are for posts.
TEXT_PROBLEMS = {"empty", "too_long", "too_many_bytes"}


def reply_problems(*, message: Message, text: str) -> list[Problem]:
    """What the message's network says about this text (length counted its way); errors block sending."""
    adapter = get_adapter(message.account)
    return [p for p in adapter.validate(text, []) if p.level == "error" and p.code in TEXT_PROBLEMS]


def reply_queue(*, message: Message, text: str, by) -> Reply:
    """Queue our answer (turning the expert's draft into it when there is one); sent after commit by a task."""
    from inbox.tasks import send_reply

    draft = message.replies.filter(state=State.DRAFT).order_by("-pk").first()
    if draft is not None and Reply.objects.filter(pk=draft.pk).transition(
        State.DRAFT, State.QUEUED, text=text, sent_by=by
    ):
        reply = Reply.objects.get(pk=draft.pk)
    else:
        reply = Reply.objects.create(message=message, author=by, sent_by=by, text=text, state=State.QUEUED)
    transaction.on_commit(lambda: send_reply.delay(reply.pk))
    return reply


def reply_retry(*, reply: Reply, by) -> bool:
    """A person decided to try again a failed (or unconfirmed) reply; it keeps its idempotency key."""
    from inbox.tasks import send_reply

    if reply.stalled:  # its worker died mid-call: nobody knows whether it went out; the key guards a resend
        Reply.objects.filter(pk=reply.pk, updated_at__lt=timezone.now() - STALLED_AFTER).transition(
            State.SENDING, State.UNCONFIRMED
        )
    moved = Reply.objects.filter(pk=reply.pk).transition([State.FAILED, State.UNCONFIRMED], State.QUEUED, error="")
    if moved:
        Reply.objects.filter(pk=reply.pk).update(sent_by=by)
        transaction.on_commit(lambda: send_reply.delay(reply.pk))
    return bool(moved)


def reply_send(*, reply_id: int) -> float | None:
    """Send a queued reply once. Returns seconds to wait before trying again, or None when it is settled.

    Claimed with a compare-and-set (queued → sending): a second worker, a re-delivered task or a double click
    finds nothing to claim. A timeout after sending is never retried blindly: the reply becomes unconfirmed.
    """
    if not Reply.objects.filter(pk=reply_id).transition(State.QUEUED, State.SENDING, attempts=F("attempts") + 1):
        return None
    reply = Reply.objects.select_related("message__account").get(pk=reply_id)
    message = reply.message
    target = ReplyTarget(
        external_id=message.external_id, root_external_id=message.root_external_id, extra=message.extra
    )
    sending = Reply.objects.filter(pk=reply_id)
    try:
        result = get_adapter(message.account).reply(target, reply.text, idempotency_key=str(reply.idempotency_key))
    except TransientError as error:  # includes RateLimited
        return _reply_transient(reply, error)
    except OutcomeUnknown as error:
        sending.transition(State.SENDING, State.UNCONFIRMED, error=error.reason)
    except AuthExpired as error:
        SocialAccount.objects.filter(pk=message.account_id).update(
            status=SocialAccount.Status.NEEDS_RECONNECT, status_reason=error.reason
        )
        sending.transition(State.SENDING, State.FAILED, error=error.reason)
    except AdapterError as error:
        sending.transition(State.SENDING, State.FAILED, error=error.reason)
    else:
        now = timezone.now()
        sending.transition(
            State.SENDING, State.SENT, external_id=result.external_id, url=result.url, sent_at=now, error=""
        )
        Message.objects.filter(pk=message.pk, first_response_at__isnull=True).update(first_response_at=now)
        Message.objects.filter(pk=message.pk, status=Message.Status.OPEN).update(status=Message.Status.DONE)
    return None


def _reply_transient(reply: Reply, error: TransientError) -> float | None:
    if reply.attempts >= MAX_ATTEMPTS:
        Reply.objects.filter(pk=reply.pk).transition(State.SENDING, State.FAILED, error=error.reason)
        return None
    Reply.objects.filter(pk=reply.pk).transition(State.SENDING, State.QUEUED, error=error.reason)
    wait = error.retry_after if isinstance(error, RateLimited) and error.retry_after else 5 * 2**reply.attempts
    return min(wait, 600) + random.uniform(0, 2)  # jitter spreads retries


# Triage ------------------------------------------------------------------------------------------------------------


def messages_set_status(*, ids: list[int], status: str) -> int:
    forget_counts()
    return Message.objects.filter(pk__in=ids).update(status=status)


def messages_assign(*, ids: list[int], assignee) -> int:
    return Message.objects.filter(pk__in=ids).update(assignee=assignee)


def messages_mark_read(*, ids: list[int]) -> int:
    changed = Message.objects.filter(pk__in=ids, read=False).update(read=True)
    if changed:
        forget_counts()
    return changed


# Ask an expert -----------------------------------------------------------------------------------------------------


def message_route(*, message: Message, expert, note: str, by) -> None:
    """Send a visitor's question to a curator, who sees it under "Questions for me" and drafts an answer."""
    Message.objects.filter(pk=message.pk).update(
        routed_to=expert, route_note=note, routed_by=by, routed_at=timezone.now()
    )


def answer_draft(*, message: Message, text: str, by) -> Reply:
    """The expert's draft: one per message, edited in place until the community manager sends it."""
    draft = message.replies.filter(state=State.DRAFT).order_by("-pk").first()
    if draft is None:
        return Reply.objects.create(message=message, author=by, text=text, state=State.DRAFT)
    Reply.objects.filter(pk=draft.pk, state=State.DRAFT).update(text=text, author=by, updated_at=timezone.now())
    draft.refresh_from_db()
    return draft


# Presence ----------------------------------------------------------------------------------------------------------


def presence_mark(*, message: Message, user, activity: str = Presence.Activity.VIEWING) -> None:
    Presence.objects.update_or_create(
        message=message, user=user, defaults={"activity": activity, "seen_at": timezone.now()}
    )


def presence_leave(*, message: Message, user) -> None:
    Presence.objects.filter(message=message, user=user).delete()
