"""Bluesky's inbox: notifications pulled by the network's cursor, and stored messages looked up again.

The AppView dates a notification by the post's own `createdAt` when that is earlier than when it indexed it (a phone
clock behind, a relay backlog; seen on the reference AppView), and sorts by that date: a late reply lands behind
notifications already seen. So a sync does not stop at the last date it saw: it walks back `OVERLAP` further and
recognises what it already has by id (`ids` in the cursor), so a reply dated up to a day early still arrives, once.
"""

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from publishing.adapters.base import (
    MALFORMED,
    FetchedMessage,
    FetchPage,
    MessageState,
    Rejected,
    ReplyTarget,
    TransientError,
    parse_time,
)

logger = logging.getLogger("museumcm.adapters")

POST = "app.bsky.feed.post"
PAGE_SIZE = 50
OVERLAP = timedelta(hours=24)
KEPT_IDS = 1000  # ids remembered from the overlap window; beyond, a re-read notification is upserted again (harmless)
FUTURE = timedelta(minutes=5)  # a notification dated later than this is malformed: it moves no mark


def rkey_of(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


class BlueskyInbox:
    """The inbox half of the Bluesky adapter (mixed into `BlueskyAdapter`, which provides `call` and `post_url`)."""

    def fetch_messages(self, cursor: dict[str, Any]) -> FetchPage:
        """Replies, mentions and quotes, newest first, back to `OVERLAP` before the latest date the previous sync
        saw (`seen`). Ids already seen in that window (`ids`: uri → date) are skipped; the marks move forward only
        once the walk is done, so a sync interrupted between pages resumes from its stored page."""
        seen = _time(cursor.get("seen"))
        floor = seen - OVERLAP if seen else None
        known, walked = cursor.get("ids") or {}, cursor.get("walked") or {}
        params: dict[str, Any] = {"reasons": ["reply", "mention", "quote"], "limit": PAGE_SIZE}
        if cursor.get("page"):
            params["cursor"] = cursor["page"]
        data = self.json(self.call("GET", "/xrpc/app.bsky.notification.listNotifications", params=params))
        if not isinstance(data, dict) or not isinstance(data.get("notifications") or [], list):
            raise TransientError(gettext("Bluesky sent notifications in an unexpected shape."))
        items = data.get("notifications") or []
        window = [item for item in items if not _older(item, floor)]
        fresh = [item for item in window if _uri(item) not in known and _uri(item) not in walked]
        walked = {**walked, **dict(pair for item in window if (pair := _dated_id(item)))}
        messages = [message for item in reversed(fresh) if (message := self._message(item))]
        if len(window) < len(items) or not data.get("cursor") or not items:
            return FetchPage(messages, _settled(seen, {**known, **walked}), more=False)
        following = {"seen": cursor.get("seen", ""), "ids": known, "walked": walked, "page": data["cursor"]}
        return FetchPage(messages, following, more=True)

    def _message(self, item: Any) -> FetchedMessage | None:
        try:
            record, author = item["record"], item["author"]
            reply = record.get("reply") or {}
            parent = reply.get("parent", {}).get("uri", "")
            if item["reason"] == "quote":
                parent = item.get("reasonSubject") or parent
            own_ref = {"uri": item["uri"], "cid": item["cid"]}
            return FetchedMessage(
                external_id=item["uri"],
                kind=item["reason"],
                text=record["text"],
                created_at=parse_time(record.get("createdAt") or item["indexedAt"]),
                author_id=author["did"],
                author_handle=author["handle"],
                author_name=author.get("displayName") or "",
                author_avatar=author.get("avatar") or "",
                url=self.post_url(rkey_of(item["uri"]), author["handle"]),
                parent_external_id=parent,
                root_external_id=reply.get("root", {}).get("uri", "") or parent,
                extra={"uri": item["uri"], "cid": item["cid"], "root": reply.get("root") or own_ref},
            )
        except MALFORMED as error:
            logger.warning("bluesky: skipped a malformed notification (%r): %.300r", error, item)
            return None

    def look_up(self, targets: list[ReplyTarget]) -> list[MessageState]:
        """`app.bsky.feed.getPosts` (25 uris a call). A record rewritten in place shows its new text and a new cid,
        which an answer must cite: the cid is kept up to date too. getPosts leaves out deleted posts, but also the
        posts of anyone who blocks the museum (and taken-down ones): a post left out is asked of its author's repo."""
        uris = [target.extra.get("uri") or target.external_id for target in targets]
        data = self.json(self.call("GET", "/xrpc/app.bsky.feed.getPosts", params={"uris": uris}))
        if not isinstance(data, dict) or not isinstance(data.get("posts"), list):
            raise TransientError(gettext("Bluesky sent posts in an unexpected shape."))
        posts = {post.get("uri"): post for post in data["posts"] if isinstance(post, dict)}
        return [
            _state(target, posts[uri]) if uri in posts else self._absent(target, uri)
            for target, uri in zip(targets, uris, strict=True)
        ]

    def _absent(self, target: ReplyTarget, uri: str) -> MessageState:
        """Deleted only on the network's word: `getRecord` in the author's repo answers RecordNotFound. A record
        still there is missing (hidden from us), with its current text and cid."""
        parts = uri.removeprefix("at://").split("/")
        if len(parts) != 3:
            return MessageState(target.external_id, missing=True)
        params = dict(zip(("repo", "collection", "rkey"), parts, strict=True))
        try:
            record = self.json(self.call("GET", "/xrpc/com.atproto.repo.getRecord", params=params))
        except Rejected as error:
            if getattr(error, "xrpc_error", "") == "RecordNotFound":
                return MessageState(target.external_id, deleted=True)
            return MessageState(target.external_id, missing=True)  # repo gone or suspended: not the record's word
        if not isinstance(record, dict):
            return MessageState(target.external_id, missing=True)
        return replace(_state(target, record, "value"), missing=True)


def _state(target: ReplyTarget, post: dict[str, Any], field: str = "record") -> MessageState:
    """What a post view (or a repo record, its record under `value`) says of a stored message."""
    record = post.get(field)
    text = record.get("text") if isinstance(record, dict) else None
    extra = {"cid": post["cid"]} if isinstance(post.get("cid"), str) else {}
    return MessageState(target.external_id, text=text if isinstance(text, str) else None, extra=extra)


def _time(value: Any) -> datetime | None:
    try:
        return parse_time(value) if value else None
    except (TypeError, ValueError):
        return None


def _uri(item: Any) -> Any:
    return item.get("uri") if isinstance(item, dict) else None


def _older(item: Any, floor: datetime | None) -> bool:
    """Dated at or before the floor (a malformed date is not: `_message` logs and skips the item)."""
    dated = _time(item.get("indexedAt")) if isinstance(item, dict) else None
    return floor is not None and dated is not None and dated <= floor


def _dated_id(item: Any) -> tuple[str, str] | None:
    """(uri, date) of a well-formed notification dated no later than now (give or take clocks)."""
    dated = _time(item.get("indexedAt")) if isinstance(item, dict) else None
    uri = _uri(item)
    if not isinstance(uri, str) or dated is None or dated > timezone.now() + FUTURE:
        return None
    return uri, dated.isoformat()


def _settled(seen: datetime | None, ids: dict[str, str]) -> dict[str, Any]:
    """The cursor after a finished walk: the latest date seen, and the ids dated within the overlap before it."""
    dates = {uri: parsed for uri, value in ids.items() if (parsed := _time(value))}
    latest = max([*dates.values(), *([seen] if seen else [])], default=None)
    if latest is None:
        return {"seen": "", "ids": {}}
    recent = sorted((item for item in dates.items() if item[1] > latest - OVERLAP), key=lambda i: i[1], reverse=True)
    return {"seen": latest.isoformat(), "ids": {uri: dated.isoformat() for uri, dated in recent[:KEPT_IDS]}}
