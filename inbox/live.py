"""The live desk's reading of the inbox: a session's live column (replies to its posts and its hashtag) and the
figures of its summary. The inbox may read editorial; editorial only links here by URL name."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q

from editorial.models import LiveSession, Post
from inbox.models import Message
from publishing.live import LIVE_QUEUE
from publishing.models import Publication

COLUMN_SIZE = 40
# While someone watches a session's column, its accounts are synced this often instead of every 90 s.
LIVE_SYNC_SECONDS = 10


def live_messages(session: LiveSession, *, limit: int = COLUMN_SIZE) -> list[Message]:
    """Replies to the session's posts and messages carrying its hashtag on its accounts, newest first."""
    about = Q(publication__post__live_session=session)
    if session.tag:
        about |= Q(account__in=session.accounts.all(), text__icontains=session.tag)
    rows = Message.objects.filter(about, deleted=False).exclude(status=Message.Status.SPAM)
    return list(rows.select_related("account", "publication__post").order_by("-created_at", "-pk")[:limit])


def live_sync_soon(session: LiveSession) -> int:
    """Ask for a sync of the session's accounts, at most once per LIVE_SYNC_SECONDS each (the column polls often),
    on the live queue: during an event, answers must not wait behind a backlog of scheduled publications."""
    from inbox.tasks import sync_account

    asked = 0
    for account_id in session.accounts.values_list("pk", flat=True):
        if cache.add(f"live-sync-{account_id}", 1, timeout=LIVE_SYNC_SECONDS):
            sync_account.apply_async((account_id,), queue=LIVE_QUEUE)
            asked += 1
    return asked


@dataclass
class SummaryLine:
    post: Post
    publications: list[Publication] = field(default_factory=list)


def live_summary(session: LiveSession) -> list[SummaryLine]:
    """What went out when, each publication with its replies and how many the team answered."""
    publications = (
        Publication.objects.filter(post__live_session=session, post__live_fired_at__isnull=False)
        .select_related("account", "post")
        .annotate(
            replies=Count("messages", filter=Q(messages__deleted=False)),
            answered=Count("messages", filter=Q(messages__first_response_at__isnull=False)),
        )
        .order_by("post__live_fired_at", "post_id", "account_id")
    )
    lines: dict[int, SummaryLine] = {}
    for publication in publications:
        lines.setdefault(publication.post_id, SummaryLine(publication.post)).publications.append(publication)
    return list(lines.values())
