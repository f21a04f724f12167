"""Pulling messages from the networks: the `account_sync` service and the bulk upsert it pages through.

The cursor row is the truth: each page's messages and the cursor that follows them commit together, so a crash
mid-sync resumes from the last stored page and re-fetched messages upsert onto the same rows (never duplicates).
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from inbox.models import Message, Reply, SyncCursor
from inbox.selectors import forget_counts
from publishing.adapters import ADAPTERS, get_adapter
from publishing.adapters.base import AdapterError, AuthExpired, FetchedMessage, RateLimited
from publishing.connections import socialaccount_needs_reconnect
from publishing.models import Publication, SocialAccount

logger = logging.getLogger("museumcm.inbox")

MAX_PAGES = 10_000  # a guard against a network that always says "more"
# A sync storing more than BURST_ROWS + BURST_SHARE of the rows the table held at its last analysis (a first sync, a
# backlog after an outage) refreshes the table's statistics and visibility map itself (`messages_table_refresh`).
BURST_ROWS = 1_000
BURST_SHARE = 0.1
DEFAULT_BACKOFF = 60.0
LOCK_SECONDS = 300
# Fields the network owns; the team's own fields (status, assignee, routing) are never overwritten by a sync.
NETWORK_FIELDS = [
    "kind",
    "author_id",
    "author_handle",
    "author_name",
    "author_avatar",
    "text",
    "created_at",
    "url",
    "parent_external_id",
    "root_external_id",
    "deleted",
    "edited",
    "extra",
    "synced_at",
]


@dataclass
class SyncResult:
    pages: int = 0
    stored: int = 0
    skipped: bool = False
    error: str = ""


def syncable_accounts() -> list[SocialAccount]:
    """Connected accounts whose network's adapter has an inbox to pull."""
    return [
        account
        for account in SocialAccount.objects.connected()
        if account.behaves_as in ADAPTERS and ADAPTERS[account.behaves_as].has_inbox
    ]


def accounts_without_inbox() -> list[SocialAccount]:
    """Connected accounts whose network offers no way to read comments (Pinterest): the inbox says so."""
    return [
        account
        for account in SocialAccount.objects.connected()
        if account.behaves_as in ADAPTERS and not ADAPTERS[account.behaves_as].has_inbox
    ]


def account_sync(*, account: SocialAccount, max_pages: int = MAX_PAGES) -> SyncResult:
    """Page through the account's new messages from its stored cursor until the network has nothing more.

    A rate limit stores when the next sync may run; an expired token flags the account for reconnecting;
    any other network error is recorded on the cursor and the next scheduled sync tries again.
    """
    if account not in syncable_accounts():
        return SyncResult(skipped=True)
    row, _created = SyncCursor.objects.get_or_create(account=account)
    if not row.claim(seconds=LOCK_SECONDS):
        return SyncResult(skipped=True)
    adapter = get_adapter(account)
    result = SyncResult()
    try:
        _pull(adapter, row, result, max_pages)
    except AdapterError as error:
        result.error = error.reason
        cursor_stopped(row, error, during="sync")
    finally:
        row.release()
    messages_table_refresh(stored=result.stored)
    return result


def _pull(adapter, row: SyncCursor, result: SyncResult, max_pages: int) -> None:
    while result.pages < max_pages:
        page = adapter.fetch_messages(dict(row.cursor))
        with transaction.atomic():
            result.stored += messages_upsert(account=row.account, fetched=page.messages, forget=False)
            row.cursor = page.cursor
            # Each stored page also renews the lock: a long catch-up is never joined by a second sync.
            until = timezone.now() + timezone.timedelta(seconds=LOCK_SECONDS)
            SyncCursor.objects.filter(pk=row.pk).update(cursor=page.cursor, locked_until=until)
        result.pages += 1
        if not page.more:
            break
    if result.stored:
        forget_counts()  # once per sync, not once per page
    SyncCursor.objects.filter(pk=row.pk).update(last_synced_at=timezone.now(), last_error="", next_allowed_at=None)


def cursor_stopped(row: SyncCursor, error: AdapterError, *, during: str) -> None:
    """Record why the account's sync or recheck stopped: a rate limit says when the next may run (both wait), an
    expired token flags the account for reconnecting; after any other error the next scheduled run tries again."""
    logger.warning("inbox %s of %s stopped: %s", during, row.account, error.reason)
    fields = {"last_error": error.reason}
    if isinstance(error, RateLimited):
        wait = error.retry_after if error.retry_after is not None else DEFAULT_BACKOFF
        fields["next_allowed_at"] = timezone.now() + timezone.timedelta(seconds=wait)
    SyncCursor.objects.filter(pk=row.pk).update(**fields)
    if isinstance(error, AuthExpired):  # publishing's one road: hold the due publications, warn the team
        socialaccount_needs_reconnect(account=row.account, reason=error.reason)


def messages_table_refresh(*, stored: int) -> bool:
    """VACUUM (ANALYZE) the message table after a sync that stored a burst of rows; True if it did.

    What autovacuum would do a minute or more later (and never where it is off), done at once: a table filled by a
    first sync has no statistics, and the planner, taking it for empty, sorted all 200,000 messages for a page of 50
    (2 s a page); nor a visibility map, so the first reads check every row's transaction and write every page back.
    VACUUM cannot run inside a transaction: there, ANALYZE alone. SKIP_LOCKED: a concurrent sync's refresh suffices.
    """
    if connection.vendor != "postgresql" or not stored:
        return False
    table = Message._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = %s::regclass", [table])
        if stored < BURST_ROWS + BURST_SHARE * cursor.fetchone()[0]:
            return False
        logger.info("inbox: %s messages stored, refreshing %s's statistics", stored, table)
        cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM (ANALYZE, SKIP_LOCKED)'} {table}")
    return True


# Upsert ------------------------------------------------------------------------------------------------------------


def messages_upsert(*, account: SocialAccount, fetched: list[FetchedMessage], forget: bool = True) -> int:
    """Insert or update one page of messages in a few queries (not one per row); returns how many were stored.

    An edited text marks the message edited; a deletion keeps the text we had and marks it deleted; our own
    replies coming back from the network are skipped (they are shown from the Reply rows). Parents and
    publications are resolved before writing, so each row is written once (its search vector computed once).
    """
    rows: dict[str, Message] = {}
    now = timezone.now()
    for item in fetched:
        message = _clean(account, item, now)
        if message is not None:
            rows[message.external_id] = message  # a page repeating a message: the last version wins
    ours = set(
        Reply.objects.filter(message__account=account, external_id__in=list(rows)).values_list("external_id", flat=True)
    )
    for external_id in ours:
        rows.pop(external_id)
    if not rows:
        return 0
    # One query finds both the rows being re-synced (edits, deletions) and the parents the new ones answer.
    wanted = {m.parent_external_id for m in rows.values() if m.parent_external_id}
    known = {external_id: values for external_id, *values in _stored(account, list(wanted.union(rows)))}
    for message in rows.values():
        existing = known.get(message.external_id)
        _merge(message, existing[2:] if existing else None)
    _resolve_links(account, rows, {key: known[key][:2] for key in wanted if key in known})
    Message.objects.bulk_create(
        rows.values(),
        update_conflicts=True,
        unique_fields=["account", "external_id"],
        update_fields=[*NETWORK_FIELDS, "parent", "publication", "awaiting_parent"],
    )
    _adopt_orphans(account, list(rows))
    if forget:
        forget_counts()
    return len(rows)


def _stored(account: SocialAccount, external_ids: list[str]) -> list[tuple]:
    """(external_id, pk, publication_id, text, edited) of the stored messages among `external_ids`.

    On PostgreSQL each id is looked up on its own (LATERAL … LIMIT 1): one probe of the unique index each, a plan the
    database keeps even without statistics of a table that a large first sync is filling, where `IN (…)` or a plain
    join took the account's other indexes for selective and read every stored row of the account for each page.
    """
    if connection.vendor != "postgresql":
        stored = Message.objects.filter(account=account, external_id__in=external_ids)
        return list(stored.values_list("external_id", "pk", "publication_id", "text", "edited"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT wanted.id, m.id, m.publication_id, m.text, m.edited FROM unnest(%s::text[]) AS wanted(id) "
            f"CROSS JOIN LATERAL (SELECT id, publication_id, text, edited FROM {Message._meta.db_table} "
            "WHERE account_id = %s AND external_id = wanted.id LIMIT 1) m",
            [external_ids, account.pk],
        )
        return cursor.fetchall()


def _merge(message: Message, known: tuple[str, bool] | None) -> None:
    if known is None:
        return
    text, edited = known
    if message.deleted and not message.text:
        message.text = text
    message.edited = edited or (not message.deleted and message.text != text)


def _resolve_links(account: SocialAccount, rows: dict[str, Message], parents: dict[str, tuple]) -> None:
    """Point each row at its parent message and at the publication it answers (by root, parent, or the parent's).

    `parents` maps the stored parents' external ids to (pk, publication_id).
    """
    wanted = {m.parent_external_id for m in rows.values() if m.parent_external_id}
    roots = wanted | {m.root_external_id for m in rows.values() if m.root_external_id}
    publications = dict(
        Publication.objects.filter(account=account, external_id__in=roots).values_list("external_id", "pk")
    )
    for message in rows.values():
        parent_id, inherited = parents.get(message.parent_external_id, (None, None))
        message.parent_id = parent_id
        message.awaiting_parent = (
            bool(message.parent_external_id) and parent_id is None and (message.parent_external_id not in publications)
        )
        message.publication_id = (
            publications.get(message.root_external_id) or publications.get(message.parent_external_id) or inherited
        )


def _adopt_orphans(account: SocialAccount, external_ids: list[str]) -> None:
    """Replies stored before the message they answer (a later page, another sync) get their parent now."""
    # A small partial index holds only the rows awaiting a parent: this stays cheap however big the inbox grows.
    orphans = Message.objects.filter(account=account, awaiting_parent=True, parent_external_id__in=external_ids)
    parent = Message.objects.filter(account=account, external_id=OuterRef("parent_external_id"))
    orphans.update(
        awaiting_parent=False,
        parent_id=Subquery(parent.values("pk")[:1]),
        publication_id=Coalesce("publication_id", Subquery(parent.values("publication_id")[:1])),
    )


def _clean(account: SocialAccount, item: FetchedMessage, now: datetime | None = None) -> Message | None:
    """A Message from what the adapter parsed, or None (logged) when the network sent something unusable."""
    try:
        external_id = _text(item.external_id, 300)
        created_at = item.created_at
        if not external_id or not isinstance(created_at, datetime):
            raise ValueError("missing id or date")
        if timezone.is_naive(created_at):
            created_at = created_at.replace(tzinfo=UTC)
        kind = item.kind if item.kind in Message.Kind.values else None
        if kind is None:
            raise ValueError(f"unknown kind {item.kind!r}")
        return Message(
            account=account,
            external_id=external_id,
            kind=kind,
            author_id=_text(item.author_id, 300),
            author_handle=_text(item.author_handle, 300),
            author_name=_text(item.author_name, 300),
            author_avatar=_url(item.author_avatar),
            text=_text(item.text, None),
            created_at=created_at,
            url=_url(item.url),
            parent_external_id=_text(item.parent_external_id, 300),
            root_external_id=_text(item.root_external_id, 300),
            deleted=bool(item.deleted),
            extra=item.extra if isinstance(item.extra, dict) else {},
            synced_at=now or timezone.now(),
        )
    except (AttributeError, TypeError, ValueError) as error:
        logger.warning("inbox: skipped a malformed message from %s: %s (%r)", account, error, item)
        return None


def _text(value, limit: int | None) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    value = value.replace("\x00", "")  # PostgreSQL refuses NUL in text
    return value[:limit] if limit else value


def _url(value) -> str:
    value = _text(value, 1000)
    return value if value.startswith(("https://", "http://")) else ""
