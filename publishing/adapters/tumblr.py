"""Tumblr (API v2, Neue Post Format): posts of text blocks, images with alt text (and a video) sent in one multipart
request, a link block and tags, published now or into the blog's own queue (`extra["queue"]` on the post target).
The refresh token changes at every renewal (publishing/adapters/rotating.py). Replies and reblogs of the museum's
posts come into the inbox from the blog's notifications; Tumblr has no reply endpoint, so the inbox sends people to
the post on Tumblr. No idempotency key: after an ambiguous failure `find_existing` looks through the blog's latest
posts and its queue.
"""

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from django.utils.translation import gettext

from publishing.adapters import register
from publishing.adapters.base import (
    Adapter,
    FetchedMessage,
    FetchPage,
    Limits,
    MediaInfo,
    Problem,
    PublishResult,
    Rejected,
    ReplyTarget,
    read_file,
)
from publishing.adapters.rotating import RotatingRefresh
from publishing.adapters.text import hashtag_problems
from publishing.adapters.tumblr_metrics import TumblrMetrics
from publishing.adapters.values import Provider
from publishing.vocabulary import MediaKind, MessageKind

logger = logging.getLogger("museumcm.adapters")

BLOCK_CHARS = 4096
HASHTAG = re.compile(r"(?<![\w&])#(\w[\w-]*)")
NOTE_TYPES = ("reply", "reblog_with_content", "mention_in_reply")
KINDS = {"reply": MessageKind.REPLY, "reblog_with_content": MessageKind.QUOTE, "mention_in_reply": MessageKind.MENTION}
MAX_PAGES = 10


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


@register
class TumblrAdapter(TumblrMetrics, RotatingRefresh, Adapter):
    """Posts of one blog (stored by its uuid, stable across renames), with a user token renewed through the
    refresh_token grant."""

    network = "tumblr"
    default_server = "https://api.tumblr.com"
    can_reply = False
    token_path = "/v2/oauth2/token"
    oauth = Provider(
        "tumblr",
        "https://www.tumblr.com/oauth2/authorize",
        "https://api.tumblr.com/v2/oauth2/token",
        "https://api.tumblr.com",
        ("basic", "write", "offline_access"),
    )

    @classmethod
    def identify(cls, prov: Provider, token: dict) -> list[dict[str, Any]]:
        """The blogs the user can post to (each by its uuid). They share one token whose refresh token rotates: the
        primary blog comes first and is ticked; connecting several makes each renew the same pair (a refused renewal
        asks for reconnecting, never fails silently)."""
        from publishing.oauth.flow import call, expires_at

        headers = {"Authorization": f"Bearer {token['access_token']}"}
        user = call("GET", f"{prov.api_url}/v2/user/info", headers=headers).get("response", {}).get("user", {})
        credentials = {"access_token": token["access_token"], "refresh_token": token.get("refresh_token", "")}
        blogs = sorted(user.get("blogs") or [], key=lambda blog: not blog.get("primary"))
        return [
            {
                "handle": blog["name"],
                "display_name": blog.get("title") or blog["name"],
                "external_id": blog.get("uuid") or blog["name"],
                "server_url": prov.api_url,
                "credentials": credentials,
                "token_expires_at": expires_at(token),
            }
            for blog in blogs
        ]

    def limits(self) -> Limits:
        return Limits(
            max_chars=BLOCK_CHARS * 250,  # counted per paragraph (one text block each) in `validate`
            max_images=30,
            max_videos=1,
            images_with_video=True,
            image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
            video_types=frozenset({"video/mp4"}),
            max_image_bytes=10 * 1024 * 1024,
            max_video_bytes=500 * 1024 * 1024,
            max_alt_chars=BLOCK_CHARS,
        )

    def validate(self, text: str, media: list[MediaInfo], link: str = "") -> list[Problem]:
        problems = [*self.text_problems(text.strip(), self.limits(), media), *self.media_problems(media, self.limits())]
        if any(len(p) > BLOCK_CHARS for p in paragraphs(text)):
            message = gettext("Tumblr allows %(limit)s characters per paragraph; split the longest one.")
            problems.append(Problem(message % {"limit": BLOCK_CHARS}, code="too_long"))
        return [*problems, *hashtag_problems(text)]

    # Auth ---------------------------------------------------------------------------------------------------------

    def token_request(self, form: dict[str, str]) -> dict[str, Any]:
        """Tumblr's token endpoint takes the client in the form."""
        client_id, secret = self.client()
        data = {**form, "client_id": client_id, "client_secret": secret}
        return self.json(self.request("POST", self.token_path, data=data, anonymous=True))

    @property
    def blog(self) -> str:
        return self.account.external_id or self.account.handle

    # Publishing ---------------------------------------------------------------------------------------------------

    def publish(self, publication) -> PublishResult:
        media = publication.media()
        link = publication.post.link or ""
        self.ensure_publishable(publication.text, media, link)
        queued = bool((publication.extra or {}).get("queue"))
        body = {"content": self.content(publication.text, media, link), "state": "queue" if queued else "published"}
        if tags := self.tags(publication.text):
            body["tags"] = ",".join(tags)
        if media:
            files = {"json": (None, json.dumps(body), "application/json")}
            for number, item in enumerate(media):
                files[f"media-{number}"] = (item.file.name.rsplit("/", 1)[-1], read_file(item), item.content_type)
            response = self.call("POST", f"/v2/blog/{self.blog}/posts", write=True, files=files)
        else:
            response = self.call("POST", f"/v2/blog/{self.blog}/posts", write=True, json=body)
        post_id = str(self.json(response)["response"]["id"])
        return self._result(post_id, queued)

    def content(self, text: str, media: list, link: str) -> list[dict[str, Any]]:
        blocks: list[dict[str, Any]] = [{"type": "text", "text": p} for p in paragraphs(text)]
        for number, item in enumerate(media):
            identifier = {"type": item.content_type, "identifier": f"media-{number}"}
            if item.kind == MediaKind.VIDEO:
                blocks.append({"type": "video", "media": identifier})
            else:
                size = {"width": item.width, "height": item.height} if getattr(item, "width", None) else {}
                blocks.append({"type": "image", "media": [identifier | size], "alt_text": item.alt_text or ""})
        if link:
            blocks.append({"type": "link", "url": link})
        return blocks

    @staticmethod
    def tags(text: str) -> list[str]:
        """The text's hashtags become the post's tags (Tumblr's way of being found)."""
        return list(dict.fromkeys(HASHTAG.findall(text)))

    def _result(self, post_id: str, queued: bool) -> PublishResult:
        if queued:  # no public address until the queue publishes it, under a new id
            return PublishResult(post_id, "", extra={"queued": True})
        return PublishResult(post_id, f"https://www.tumblr.com/{self.account.handle}/{post_id}")

    def find_existing(self, publication) -> PublishResult | None:
        """The blog's latest posts and its queue, looked through for the same text blocks."""
        wanted = paragraphs(publication.text)
        queued = bool((publication.extra or {}).get("queue"))
        places = [("/posts/queue", True), ("/posts", False)] if queued else [("/posts", False), ("/posts/queue", True)]
        for path, in_queue in places:
            params = {"npf": "true", "limit": 20}
            posts = self.json(self.call("GET", f"/v2/blog/{self.blog}{path}", params=params))["response"]["posts"]
            for post in posts:
                texts = [b.get("text", "") for b in post.get("content") or [] if b.get("type") == "text"]
                if texts == wanted:
                    return self._result(str(post.get("id_string") or post["id"]), in_queue)
        return None

    # Inbox --------------------------------------------------------------------------------------------------------

    def fetch_messages(self, cursor: dict[str, Any]) -> FetchPage:
        """Notifications newer than the cursor's `since` (a Unix time), newest first, paged back with `before`; `since`
        moves forward only once the walk reached it."""
        since = int(cursor.get("since") or 0)
        params: dict[str, Any] = {"types[]": list(NOTE_TYPES)}
        if cursor.get("before"):
            params["before"] = cursor["before"]
        answer = self.json(self.call("GET", f"/v2/blog/{self.blog}/notifications", params=params))["response"]
        notes = [n for n in answer.get("notifications") or [] if int(n.get("timestamp") or 0) > since]
        newest = max([int(cursor.get("newest") or 0), *[int(n["timestamp"]) for n in notes]], default=0)
        messages = [m for n in reversed(notes) if (m := self._message(n))]
        following = ((answer.get("_links") or {}).get("next") or {}).get("query_params") or {}
        if following.get("before") and len(notes) == len(answer.get("notifications") or []):
            return FetchPage(messages, {"since": since, "newest": newest, "before": following["before"]}, more=True)
        return FetchPage(messages, {"since": max(newest, since)}, more=False)

    def _message(self, note: dict) -> FetchedMessage | None:
        try:
            kind, who, target = note["type"], note["from_tumblelog_name"], str(note["target_post_id"])
            reblog = kind == "reblog_with_content"
            url = f"https://www.tumblr.com/{who}/{note['post_id']}" if reblog else self._post_url(target)
            return FetchedMessage(
                external_id=str(note["id"]),
                kind=KINDS.get(kind, MessageKind.REPLY),
                text=str(note.get("added_text") if reblog else note.get("reply_text") or ""),
                created_at=datetime.fromtimestamp(int(note["timestamp"]), UTC),
                author_id=who,
                author_handle=who,
                url=url,
                parent_external_id=target,
                root_external_id=target,
                extra={"type": kind},
            )
        except (KeyError, TypeError, ValueError) as error:
            logger.warning("tumblr: skipped a malformed notification (%r): %.300r", error, note)
            return None

    def _post_url(self, post_id: str) -> str:
        return f"https://www.tumblr.com/{self.account.handle}/{post_id}"

    def look_up_one(self, target: ReplyTarget):
        """Tumblr offers no way to look a note up again: it is left as it is."""
        return None

    def reply(self, target: ReplyTarget, text: str, *, idempotency_key: str) -> PublishResult:
        raise Rejected(gettext("Tumblr has no way to answer from museumcm: reply on Tumblr itself."))

    # Errors -------------------------------------------------------------------------------------------------------

    def error_reason(self, response) -> str:
        body = self.json_body(response)
        errors = body.get("errors") if isinstance(body.get("errors"), list) else []
        detail = "; ".join(str(e.get("detail") or e.get("title")) for e in errors if isinstance(e, dict))
        detail = detail or (body.get("meta") or {}).get("msg") or body.get("error_description") or ""
        return gettext("Tumblr answered: %(detail)s") % {"detail": detail} if detail else ""

    def not_found(self, response) -> bool:
        return response.status_code == 404 and (self.json_body(response).get("meta") or {}).get("status") == 404
