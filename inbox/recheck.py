"""Asking the networks again about recent messages: no network notifies an edit or a deletion.

`messages_recheck` takes the account's messages of the past week (never-checked and those of the last day first,
then those asked about least recently), as many as the network answers in `RECHECK_CALLS` lookups, has the adapter
look them up, and writes only what the network owns, by the upsert's rules: a deletion keeps the text we had and
marks the message deleted, a new text marks it edited; status, assignee and routing are never touched. A message the
network no longer shows without saying it is gone (a block) is marked missing, not deleted, and keeps being looked
up. It holds the account's sync lock, so it never runs beside a sync, and obeys and stores the same rate-limit
back-off. Each run stores its lag (`SyncCursor.recheck_oldest`), shown on the accounts page.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Min
from django.db.models.functions import Coalesce
from django.utils import timezone

from inbox.models import Message, SyncCursor
from inbox.selectors import forget_counts
from inbox.sync import LOCK_SECONDS, cursor_stopped, syncable_accounts
from publishing.adapters import get_adapter
from publishing.adapters.base import AdapterError, MessageState, ReplyTarget
from publishing.models import SocialAccount

logger = logging.getLogger("museumcm.inbox")

RECHECK_WINDOW = timedelta(days=7)  # later edits and deletions are rare; older messages are left as they are
RECENT = timedelta(days=1)  # messages this young are rechecked first, newest first, on every run
RECHECK_CALLS = 100  # lookup calls per account and run (one message each on the networks that cannot batch)
RECHECK_MOST = 1000  # messages per account and run, however many one call can ask about


@dataclass
class RecheckResult:
    checked: int = 0
    deleted: int = 0
    missing: int = 0
    edited: int = 0
    skipped: bool = False
    error: str = ""


def messages_recheck(*, account: SocialAccount, limit: int | None = None) -> RecheckResult:
    """Look up the account's recent messages again and record what was deleted or edited on the network.

    `limit` (messages) defaults to what `RECHECK_CALLS` lookups answer: 1,000 on Bluesky (25 per getPosts, capped).

    A rate limit stores the back-off on the sync cursor (sync and recheck both wait) and changes nothing; an expired
    token flags the account for reconnecting; another network error is recorded and the next run tries again.
    """
    if account not in syncable_accounts():
        return RecheckResult(skipped=True)
    row, _created = SyncCursor.objects.get_or_create(account=account)
    if not row.claim(seconds=LOCK_SECONDS):
        return RecheckResult(skipped=True)
    result = RecheckResult()
    adapter = get_adapter(account)
    limit = limit or min(RECHECK_CALLS * adapter.recheck_batch, RECHECK_MOST)
    now = timezone.now()
    recent = Message.objects.filter(account=account).worth_rechecking(since=now - RECHECK_WINDOW, recent=now - RECENT)
    try:
        messages = list(recent[:limit])
        states = adapter.recheck([_target(m) for m in messages]) if messages else []
        _record(messages, states, result)
        oldest = recent.aggregate(oldest=Min(Coalesce("checked_at", "created_at")))["oldest"]
        SyncCursor.objects.filter(pk=row.pk).update(recheck_oldest=oldest or timezone.now())
    except AdapterError as error:
        result.error = error.reason
        cursor_stopped(row, error, during="recheck")
    finally:
        row.release()
    return result


def _target(message: Message) -> ReplyTarget:
    return ReplyTarget(message.external_id, message.root_external_id, message.extra or {})


def _record(messages: list[Message], states: list[MessageState], result: RecheckResult) -> None:
    """Write the changes, and note every message asked about as checked (even one the network would not show, so
    that it does not keep its place at the head of the queue)."""
    by_id = {message.external_id: message for message in messages}
    changed = [message for state in states if (message := by_id.get(state.external_id)) and _apply(message, state)]
    with transaction.atomic():
        if changed:
            Message.objects.bulk_update(changed, ["text", "deleted", "missing_since", "edited", "extra"])
        Message.objects.filter(pk__in=[m.pk for m in messages]).update(checked_at=timezone.now())
    result.checked = len(messages)
    result.deleted = sum(1 for state in states if state.deleted and state.external_id in by_id)
    result.missing = sum(1 for state in states if state.missing and state.external_id in by_id)
    result.edited = sum(1 for message in changed if message.edited and not message.deleted)
    if changed:
        forget_counts()


def _apply(message: Message, state: MessageState) -> bool:
    """The network's news on one message, by the upsert's rules; True when something changed."""
    before = (message.text, message.deleted, message.missing_since, message.edited, message.extra)
    message.deleted = state.deleted  # the network's word: a message it shows again is no longer deleted
    if state.deleted:
        message.missing_since = None  # the text stays: the team still sees what was said
    else:
        message.missing_since = (message.missing_since or timezone.now()) if state.missing else None
        if state.text is not None and state.text.replace("\x00", "") != message.text:
            message.text, message.edited = state.text.replace("\x00", ""), True
    message.extra = {**(message.extra or {}), **state.extra}
    return (message.text, message.deleted, message.missing_since, message.edited, message.extra) != before
