"""X (API v2): media upload with alt text metadata, then POST /2/tweets; mentions as the inbox.

X has no idempotency key: after an ambiguous failure the pipeline asks `find_existing`, which looks through the
account's own tweets since the first attempt for the same text.
"""

import html
import logging
import re
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext

from publishing.adapters import register
from publishing.adapters.base import (
    MALFORMED,
    Adapter,
    AdapterError,
    AuthExpired,
    FetchedMessage,
    FetchPage,
    Limits,
    MessageState,
    Problem,
    PublishResult,
    RateLimited,
    Rejected,
    ReplyTarget,
    TransientError,
    compose_text,
    first_sent_at,
    parse_time,
    read_file,
)
from publishing.adapters.part_by_part import PartByPart
from publishing.adapters.text import x_length
from publishing.adapters.values import Provider
from publishing.adapters.x_metrics import XMetrics
from publishing.parts import part_texts

logger = logging.getLogger("museumcm.adapters")

PAGE_SIZE = 100
CHUNK_BYTES = 4 * 1024 * 1024
URL = re.compile(r"https?://\S+")
TWEET_FIELDS = "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets"
LOOKUP_SIZE = 100  # ids per GET /2/tweets


def comparable(text: str) -> str:
    """A tweet's text as X returns it (NFC, &amp; escaped, links as t.co) reduced to what we can compare."""
    text = unicodedata.normalize("NFC", html.unescape(text))
    return " ".join(URL.sub(" ", text).split())


@register
class XAdapter(XMetrics, PartByPart, Adapter):
    """Tweets of one user, with an OAuth 2 user token refreshed through the refresh_token grant."""

    network = "x"
    default_server = "https://api.x.com"
    media_poll_attempts = 60
    recheck_batch = LOOKUP_SIZE
    reset_header = "x-rate-limit-reset"  # Unix seconds
    can_thread = True
    can_chain = True
    oauth = Provider(
        "x",
        "https://x.com/i/oauth2/authorize",
        "https://api.x.com/2/oauth2/token",
        "https://api.x.com",
        ("tweet.read", "tweet.write", "users.read", "media.write", "offline.access"),
        pkce=True,
        basic_auth=True,
    )

    @classmethod
    def identify(cls, prov: Provider, token: dict) -> list[dict[str, Any]]:
        """The user the token belongs to."""
        from publishing.oauth.flow import call, expires_at

        headers = {"Authorization": f"Bearer {token['access_token']}"}
        me = call("GET", f"{prov.api_url}/2/users/me", params={"user.fields": "profile_image_url"}, headers=headers)
        user = me["data"]
        credentials = {"access_token": token["access_token"], "refresh_token": token.get("refresh_token", "")}
        return [
            {
                "handle": user["username"],
                "display_name": user.get("name", ""),
                "external_id": user["id"],
                "avatar_url": user.get("profile_image_url", ""),
                "server_url": prov.api_url,
                "credentials": credentials,
                "token_expires_at": expires_at(token),
            }
        ]

    def limits(self) -> Limits:
        return Limits(
            max_chars=280,
            max_images=4,
            max_videos=1,
            image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
            video_types=frozenset({"video/mp4", "video/quicktime"}),
            max_image_bytes=5 * 1024 * 1024,
            max_video_bytes=512 * 1024 * 1024,
            max_alt_chars=1000,
        )

    def count(self, text: str) -> int:
        return x_length(text)

    def media_problems(self, media, limits):
        problems = super().media_problems(media, limits)
        gifs = [m for m in media if m.content_type == "image/gif"]
        if gifs and len(media) > 1:
            message = gettext("X allows one animated GIF per post, without other images or video.")
            problems.append(Problem(message, code="mix"))
        return problems

    # Auth ---------------------------------------------------------------------------------------------------------

    def refresh_credentials(self) -> None:
        """The refresh_token grant (needs the offline.access scope); X rotates the refresh token each time."""
        refresh = self.credentials.get("refresh_token")
        if not refresh:
            raise AuthExpired(gettext("X gave no refresh token for this account: reconnect it."))
        app = getattr(settings, "SOCIAL_APPS", {}).get("x", {})
        client_id = self.credentials.get("client_id") or app.get("client_id", "")
        secret = app.get("client_secret", "")
        data = {"grant_type": "refresh_token", "refresh_token": refresh, "client_id": client_id}
        auth = (client_id, secret) if secret else None  # a confidential client authenticates with HTTP Basic
        response = self.request("POST", "/2/oauth2/token", data=data, auth=auth, anonymous=True)
        token = self.json(response)
        self.account.credentials = {
            **self.credentials,
            "access_token": token["access_token"],
            "refresh_token": token.get("refresh_token", refresh),
        }
        if token.get("expires_in"):
            self.account.token_expires_at = timezone.now() + timedelta(seconds=int(token["expires_in"]))
        self.account.save(update_fields=["credentials", "token_expires_at"])

    def renews(self, error: AuthExpired) -> bool:
        """A 401 is answered by one refresh and one more try (`call`), when X gave a refresh token."""
        return bool(self.credentials.get("refresh_token"))

    def user_id(self) -> str:
        if not self.account.external_id:
            data = self.json(self.call("GET", "/2/users/me"))["data"]
            self.account.external_id = str(data["id"])
            self.account.save(update_fields=["external_id"])
        return self.account.external_id

    # Publishing ---------------------------------------------------------------------------------------------------

    def publish(self, publication) -> PublishResult:
        media = publication.media()
        link = publication.post.link or ""
        self.ensure_publishable(publication.text, media, link)
        if len(texts := part_texts(publication.text, link)) > 1 or publication.extra.get("follows"):
            return self.publish_thread(publication, texts, media)
        payload: dict[str, Any] = {"text": compose_text(publication.text, link)}
        if media:
            payload["media"] = {"media_ids": [self._upload(item) for item in media]}
        return self._tweet(payload)

    def send_part(self, publication, number: int, text: str, parent: str | None, media: list) -> PublishResult:
        payload: dict[str, Any] = {"text": text}
        if number == 0 and media:
            payload["media"] = {"media_ids": [self._upload(item) for item in media]}
        if parent:
            payload["reply"] = {"in_reply_to_tweet_id": parent}
        return self._tweet(payload)

    def find_part(self, publication, number: int, text: str, parent: str | None, media: list) -> PublishResult | None:
        """The account's tweet with this text answering `parent` (None: not a reply), since the first attempt."""
        params: dict[str, Any] = {"max_results": PAGE_SIZE, "tweet.fields": "created_at,referenced_tweets"}
        if since := first_sent_at(publication):
            params["start_time"] = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        response = self.call("GET", f"/2/users/{self.user_id()}/tweets", params=params)
        for tweet in self.json(response).get("data") or []:
            references = tweet.get("referenced_tweets") or []
            answered = next((str(r.get("id")) for r in references if r.get("type") == "replied_to"), None)
            if comparable(tweet.get("text", "")) == comparable(text) and answered == parent:
                return PublishResult(str(tweet["id"]), self.tweet_url(str(tweet["id"])))
        return None

    def _tweet(self, payload: dict[str, Any]) -> PublishResult:
        response = self.call("POST", "/2/tweets", write=True, json=payload)
        self._remember_quota(response)
        data = self.json(response)["data"]
        return PublishResult(str(data["id"]), self.tweet_url(str(data["id"])))

    def quota(self) -> dict[str, Any] | None:
        """Posts left in X's 24-hour window for this user, as its last answer to a post said (X has no endpoint
        for it: the `x-user-limit-24hour-*` headers of POST /2/tweets are the source). None before the first post."""
        return cache.get(self._quota_key())

    def _remember_quota(self, response) -> None:
        headers = response.headers
        limit, remaining = headers.get("x-user-limit-24hour-limit"), headers.get("x-user-limit-24hour-remaining")
        if not (limit and remaining and limit.isdigit() and remaining.isdigit()):
            return
        reset = headers.get("x-user-limit-24hour-reset", "")
        seconds = int(reset) - time.time() if reset.isdigit() else 86400
        resets_at = datetime.fromtimestamp(time.time() + seconds, UTC).isoformat()
        quota = {"used": int(limit) - int(remaining), "limit": int(limit), "period": "24 h", "resets_at": resets_at}
        cache.set(self._quota_key(), quota, max(60, int(seconds)))

    def _quota_key(self) -> str:
        return f"x-quota:{self.base_url}:{self.account.pk}"

    def tweet_url(self, tweet_id: str, username: str | None = None) -> str:
        return f"https://x.com/{(username or self.account.handle).lstrip('@')}/status/{tweet_id}"

    def _upload(self, item) -> str:
        content = read_file(item)
        if item.kind == "video" or item.content_type == "image/gif":
            media_id = self._upload_chunked(item, content)
        else:
            files = {"media": (item.file.name.rsplit("/", 1)[-1], content, item.content_type)}
            response = self.call("POST", "/2/media/upload", files=files, data={"media_category": "tweet_image"})
            media_id = str(self.json(response)["data"]["id"])
        if item.alt_text:
            metadata = {"id": media_id, "metadata": {"alt_text": {"text": item.alt_text[:1000]}}}
            self.call("POST", "/2/media/metadata", json=metadata)
        return media_id

    def _upload_chunked(self, item, content: bytes) -> str:
        """initialize → append (chunks) → finalize → poll the status while X processes the video or GIF."""
        category = "tweet_gif" if item.content_type == "image/gif" else "tweet_video"
        init = {"media_type": item.content_type, "total_bytes": len(content), "media_category": category}
        media_id = str(self.json(self.call("POST", "/2/media/upload/initialize", json=init))["data"]["id"])
        for index, start in enumerate(range(0, len(content), CHUNK_BYTES)):
            files = {"media": ("chunk", content[start : start + CHUNK_BYTES], "application/octet-stream")}
            self.call("POST", f"/2/media/upload/{media_id}/append", files=files, data={"segment_index": index})
        data = self.json(self.call("POST", f"/2/media/upload/{media_id}/finalize"))["data"]
        for _attempt in range(self.media_poll_attempts):
            info = data.get("processing_info") or {"state": "succeeded"}
            if info["state"] == "succeeded":
                return media_id
            if info["state"] == "failed":
                error = (info.get("error") or {}).get("message") or ""
                raise Rejected(gettext("X could not process the video: %(error)s") % {"error": error})
            time.sleep(min(float(info.get("check_after_secs") or 1), 5))
            params = {"command": "STATUS", "media_id": media_id}
            data = self.json(self.call("GET", "/2/media/upload", params=params))["data"]
        raise TransientError(gettext("X is still processing the video; the post will be tried again."))

    def find_existing(self, publication) -> PublishResult | None:
        """The account's tweets since the first attempt, looked through for the same text."""
        if len(parts := publication.parts) > 1:
            return self.thread_found(publication, len(parts))
        wanted = comparable(compose_text(publication.text, publication.post.link or ""))
        params: dict[str, Any] = {"max_results": PAGE_SIZE, "tweet.fields": "created_at", "exclude": "replies"}
        if since := first_sent_at(publication):
            params["start_time"] = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        response = self.call("GET", f"/2/users/{self.user_id()}/tweets", params=params)
        for tweet in self.json(response).get("data") or []:
            if comparable(tweet.get("text", "")) == wanted:
                return PublishResult(str(tweet["id"]), self.tweet_url(str(tweet["id"])))
        return None

    # Inbox --------------------------------------------------------------------------------------------------------

    def fetch_messages(self, cursor: dict[str, Any]) -> FetchPage:
        """Mentions newer than `since_id`; X pages from the newest back (next_token), so `since_id` moves forward
        only when the walk is complete."""
        params: dict[str, Any] = {
            "max_results": PAGE_SIZE,
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": "username,name,profile_image_url",
        }
        if cursor.get("since_id"):
            params["since_id"] = cursor["since_id"]
        if cursor.get("page"):
            params["pagination_token"] = cursor["page"]
        body = self.json(self.call("GET", f"/2/users/{self.user_id()}/mentions", params=params))
        if not isinstance(body, dict):
            raise TransientError(gettext("X sent mentions in an unexpected shape."))
        meta = body.get("meta") or {}
        users = {u.get("id"): u for u in (body.get("includes") or {}).get("users") or [] if isinstance(u, dict)}
        tweets = body.get("data") or []
        messages = [message for tweet in reversed(tweets) if (message := self._message(tweet, users))]
        newest = cursor.get("newest") or meta.get("newest_id") or cursor.get("since_id")
        if meta.get("next_token"):
            page_cursor = {"since_id": cursor.get("since_id"), "newest": newest, "page": meta["next_token"]}
            return FetchPage(messages, page_cursor, more=True)
        return FetchPage(messages, {"since_id": newest} if newest else {}, more=False)

    def _message(self, tweet: Any, users: dict[str, dict]) -> FetchedMessage | None:
        try:
            references = {ref["type"]: str(ref["id"]) for ref in tweet.get("referenced_tweets") or []}
            author = users.get(tweet["author_id"]) or {"id": tweet["author_id"], "username": tweet["author_id"]}
            parent = references.get("replied_to") or references.get("quoted") or ""
            kind = "reply" if "replied_to" in references else "quote" if "quoted" in references else "mention"
            return FetchedMessage(
                external_id=str(tweet["id"]),
                kind=kind,
                text=html.unescape(tweet["text"]),
                created_at=parse_time(tweet["created_at"]),
                author_id=str(author["id"]),
                author_handle=author["username"],
                author_name=author.get("name") or "",
                author_avatar=author.get("profile_image_url") or "",
                url=self.tweet_url(str(tweet["id"]), author["username"]),
                parent_external_id=parent,
                root_external_id=str(tweet.get("conversation_id") or "") if "replied_to" in references else "",
                extra={"username": author["username"]},
            )
        except MALFORMED as error:
            logger.warning("x: skipped a malformed mention (%r): %.300r", error, tweet)
            return None

    def look_up(self, targets: list[ReplyTarget]) -> list[MessageState]:
        """`GET /2/tweets?ids=…` (up to 100): a deleted tweet comes back as an `errors` entry of type
        resource-not-found (in a 200). An edit is a new tweet id at the end of `edit_history_tweet_ids`: its text,
        looked up in a second call, is the current one."""
        found, gone = self._tweets([t.external_id for t in targets])
        latest = {wanted: tweet["edit_history_tweet_ids"][-1] for wanted, tweet in found.items() if _edited(tweet)}
        newer, _gone = self._tweets(list(set(latest.values()))) if latest else ({}, set())
        states = [MessageState(external_id, deleted=True) for external_id in gone]
        for wanted, tweet in found.items():
            current = newer.get(latest[wanted], tweet) if wanted in latest else tweet
            states.append(MessageState(wanted, text=html.unescape(str(current.get("text") or ""))))
        return states

    def _tweets(self, ids: list[str]) -> tuple[dict[str, dict], set[str]]:
        """The tweets X shows for these ids (by the id asked for), and the ids it says do not exist."""
        params = {"ids": ",".join(ids), "tweet.fields": "edit_history_tweet_ids"}
        body = self.json(self.call("GET", "/2/tweets", params=params))
        if not isinstance(body, dict):
            raise TransientError(gettext("X sent tweets in an unexpected shape."))
        asked, found = set(ids), {}
        for tweet in body.get("data") or []:
            if not isinstance(tweet, dict) or "text" not in tweet:
                continue  # malformed: left as it is
            tweet_id = str(tweet.get("id"))
            history = [str(i) for i in tweet.get("edit_history_tweet_ids") or []] or [tweet_id]
            # X may answer an older id with the latest version: the history names the id we asked for.
            wanted = tweet_id if tweet_id in asked else next((i for i in history if i in asked), "")
            if wanted:
                found[wanted] = {**tweet, "id": tweet_id, "edit_history_tweet_ids": history}
        gone = {str(e.get("resource_id") or e.get("value")) for e in body.get("errors") or [] if _not_found(e)}
        return found, gone & asked

    def reply(self, target: ReplyTarget, text: str, *, idempotency_key: str) -> PublishResult:
        return self._tweet({"text": text, "reply": {"in_reply_to_tweet_id": target.external_id}})

    # Errors -------------------------------------------------------------------------------------------------------

    def error_reason(self, response) -> str:
        body = self.json_body(response)
        errors = body.get("errors") if isinstance(body.get("errors"), list) else []
        detail = (
            body.get("detail")
            or body.get("error_description")
            or "; ".join(str(e.get("message")) for e in errors if isinstance(e, dict) and e.get("message"))
            or body.get("title")
        )
        return gettext("X answered: %(detail)s") % {"detail": detail} if detail else ""

    def classify(self, response, reason: str) -> AdapterError | None:
        body = self.json_body(response)
        problem = str(body.get("type") or "")
        if problem.endswith("/usage-capped"):
            message = gettext("The X account has used up its posting quota for this period: %(reason)s")
            return Rejected(message % {"reason": reason}, http_status=response.status_code)
        if response.status_code == 429:
            return RateLimited(reason, retry_after=self.retry_after(response))
        if response.status_code == 400 and body.get("error") in {"invalid_grant", "invalid_request"}:
            return AuthExpired(reason, http_status=400)  # the token endpoint refusing a refresh token
        return None


def _edited(tweet: dict[str, Any]) -> bool:
    return tweet["edit_history_tweet_ids"][-1] != str(tweet.get("id"))


def _not_found(error: Any) -> bool:
    """An `errors` entry saying the tweet does not exist (deleted), not that it is hidden from us (protected)."""
    if not isinstance(error, dict):
        return False
    return str(error.get("type") or "").endswith("/resource-not-found") or error.get("title") == "Not Found Error"
