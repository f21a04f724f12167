"""Comments read post by post (Facebook, Instagram, Threads, LinkedIn): these networks have no notifications feed
for a page, so the inbox walks the account's latest published posts and asks each for the comments after its own
position."""

import logging
from typing import Any

from publishing.adapters.base import MALFORMED
from publishing.adapters.values import FetchedMessage, FetchPage

logger = logging.getLogger("museumcm.adapters")

# How many of the account's latest published posts a sync looks at for new comments.
PUBLICATIONS_WATCHED = 30


class CommentsOfPublications:
    """Mixed into an adapter: `fetch_messages` pages through the watched posts; the network provides
    `fetch_comments` (one page of one post) and `parse_comment` (one item, into messages)."""

    network: str
    account: Any

    def fetch_messages(self, cursor: dict[str, Any]) -> FetchPage:
        return page_through_publications(self, cursor)

    def fetch_comments(self, publication, position: str | None) -> tuple[list[FetchedMessage], str | None, bool]:
        """One page of a published post's comments after `position`: (messages, new position, more waiting)."""
        raise NotImplementedError

    def parse_comment(self, item: dict[str, Any], publication) -> list[FetchedMessage]:
        raise NotImplementedError

    def parse_safely(self, item: Any, publication, parse=None) -> list[FetchedMessage]:
        """Malformed network data is logged and skipped: one odd comment never stops a sync."""
        try:
            return (parse or self.parse_comment)(item, publication)
        except MALFORMED as error:
            logger.warning(
                "%s: skipped a malformed comment on %s: %.300r (%s)", self.network, publication.external_id, item, error
            )
            return []


def watched_publications(account) -> list:
    """The account's latest published posts, newest first: where new comments are looked for."""
    return list(
        account.publications.filter(state="published")
        .exclude(external_id="")
        .order_by("-published_at", "-pk")[:PUBLICATIONS_WATCHED]
    )


def page_through_publications(adapter: CommentsOfPublications, cursor: dict[str, Any]) -> FetchPage:
    """One page of comments of one watched post, and the cursor that goes on from there.

    Cursor shape: `{"current": <post id being read>, "after": {<post id>: <network's position in its comments>}}`.
    Each post keeps its own position, so the next sync asks each post only for what came after.
    """
    publications = watched_publications(adapter.account)
    if not publications:
        return FetchPage([], cursor, False)
    ids = [p.external_id for p in publications]
    index = ids.index(cursor["current"]) if cursor.get("current") in ids else 0
    publication = publications[index]
    positions = {key: value for key, value in (cursor.get("after") or {}).items() if key in ids}
    messages, position, more_here = adapter.fetch_comments(publication, positions.get(publication.external_id))
    if position:
        positions[publication.external_id] = position
    following = ids[index + 1] if index + 1 < len(ids) else ""
    current = publication.external_id if more_here else following
    return FetchPage(messages, {"current": current, "after": positions}, bool(current))
