"""Asking the networks again about recent messages: no network notifies an edit or a deletion.

`messages_recheck` takes the account's recent messages that were asked about least recently, has the adapter look
them up, and writes only what the network owns, by the upsert's rules: a deletion keeps the text we had and marks the
message deleted, a new text marks it edited; status, assignee and routing are never touched. A message the network
no longer shows without saying it is gone (a block) is marked missing, not deleted, and keeps being looked up. It
holds the account's sync lock, so it never runs beside a sync, and it obeys and stores the same rate-limit back-off.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from inbox.models import Message, SyncCursor
from inbox.selectors import forget_counts
from inbox.sync import LOCK_SECONDS, cursor_stopped, syncable_accounts
from publishing.adapters import get_adapter
from publishing.adapters.base import AdapterError, MessageState, ReplyTarget
from publishing.models import SocialAccount

logger = logging.getLogger("museumcm.inbox")

RECHECK_WINDOW = timedelta(days=7)  # later edits and deletions are rare; older messages are left as they are
RECHECK_LIMIT = 100  # messages per account and run: one call each on the networks that cannot batch


@dataclass
class RecheckResult:
    checked: int = 0
    deleted: int = 0
    missing: int = 0
    edited: int = 0
    skipped: bool = False
    error: str = ""


def messages_recheck(*, account: SocialAccount, limit: int = RECHECK_LIMIT) -> RecheckResult:
    """Look up the account's recent messages again and record what was deleted or edited on the network.

    A rate limit stores the back-off on the sync cursor (sync and recheck both wait) and changes nothing; an expired
    token flags the account for reconnecting; another network error is recorded and the next run tries again.
    """
    if account not in syncable_accounts():
        return RecheckResult(skipped=True)
    row, _created = SyncCursor.objects.get_or_create(account=account)
    if not row.claim(seconds=LOCK_SECONDS):
        return RecheckResult(skipped=True)
    result = RecheckResult()
    try:
        messages = list(
            Message.objects.filter(account=account).worth_rechecking(since=timezone.now() - RECHECK_WINDOW)[:limit]
        )
        states = get_adapter(account).recheck([_target(m) for m in messages]) if messages else []
        _record(messages, states, result)
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
