"""Mastodon (client API): media v2 with alt text, statuses with an Idempotency-Key, mentions as the inbox.

Limits are read from the instance (`GET /api/v2/instance`) and cached: instances raise the 500-character default.

Other servers of this API bend the documented contract; Takahē did all of this, and the adapter copes with each:
- it ignores `Idempotency-Key` (a resend makes a second status): any answer to a write that does not prove refusal
  (5xx, timeout, reset) is an unknown outcome, and the account's statuses are looked through before a resend;
- it rewrites what it shows (`@user@domain` as `@user`, links without scheme and shortened): a status is recognised
  by what cannot be rewritten (`mastodon_matching`: normalised text without links, media alt texts, creation window);
- it answers a revoked token with 400 "Invalid Bearer token": auth failures are read from the error's words;
- it answers a deleted status with an HTML 404 page (Mastodon: JSON "Record not found"): see `look_up_one`;
- it advertises 23 characters per URL but counts every character: on a server that is not Mastodon itself (its
  `version`), text is counted the stricter way.
"""

import logging
import re
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.cache import cache
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
    NotFound,
    OutcomeUnknown,
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
from publishing.adapters.mastodon_matching import html_to_text, same_status
from publishing.adapters.mastodon_metrics import MastodonMetrics
from publishing.adapters.part_by_part import PartByPart
from publishing.adapters.text import MASTODON_URL_LENGTH, grapheme_length, mastodon_length
from publishing.parts import part_texts

logger = logging.getLogger("museumcm.adapters")

MASTODON_VERSION = re.compile(r"^\d+\.\d+\.\d+(?:[-+][\w.+-]+)?$")
# Error texts that mean "reconnect the account", whatever the status: Mastodon's 401, Takahē's 400, a missing scope.
AUTH_FAILURE = re.compile(
    r"\b(invalid|revoked|expired)\b.*\btoken\b|\btoken\b.*\b(invalid|revoked|expired)\b|out_of_scope_for_token"
    r"|outside the authorized scopes",
    re.IGNORECASE,
)
PAGE_SIZE = 40  # notifications: the API allows up to 80
INSTANCE_CACHE_SECONDS = 6 * 3600
DEFAULT_CONFIGURATION: dict[str, Any] = {
    "statuses": {"max_characters": 500, "max_media_attachments": 4, "characters_reserved_per_url": 23},
    "media_attachments": {
        "image_size_limit": 16 * 1024 * 1024,
        "video_size_limit": 99 * 1024 * 1024,
        "description_limit": 1500,
        "supported_mime_types": ["image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/quicktime"],
    },
}


def _link_min_id(response) -> str:
    """The `min_id` of the Link header's "prev" page: where the next forward page starts."""
    prev = response.links.get("prev", {}).get("url", "")
    return parse_qs(urlsplit(prev).query).get("min_id", [""])[0]


def _newest_id(items: list[Any]) -> str:
    """Ids are numeric strings on Mastodon, ULIDs elsewhere: longer is newer, then lexical order."""
    ids = [str(item["id"]) for item in items if isinstance(item, dict) and "id" in item]
    return max(ids, key=lambda value: (len(value), value)) if ids else ""


@register
class MastodonAdapter(MastodonMetrics, PartByPart, Adapter):
    """Statuses on one account of one instance; the account's `server_url` is the instance."""

    network = "mastodon"
    can_thread = True
    can_chain = True
    reset_header = "X-RateLimit-Reset"  # an ISO 8601 instant
    media_poll_interval = 0.5
    media_poll_attempts = 60

    @classmethod
    def identify(cls, prov, token: dict) -> list[dict[str, Any]]:
        """The account the token belongs to, on the instance the app was registered with (`publishing.oauth`)."""
        from publishing.oauth.mastodon import mastodon_accounts

        return mastodon_accounts(prov, token)

    # Limits -------------------------------------------------------------------------------------------------------

    def configuration(self) -> dict[str, Any]:
        """The instance's `configuration`, read once per adapter: validation asks for it twice (limits and count)."""
        return self.instance()["configuration"]

    def instance(self) -> dict[str, Any]:
        """What the instance says of itself (`configuration`, `version`), read once per adapter."""
        if not hasattr(self, "_instance"):
            self._instance = self._read_instance()
        return self._instance

    def _read_instance(self) -> dict[str, Any]:
        """Cached for all workers; the defaults when the instance cannot tell us right now, or when there is no
        instance (a sandbox account imitating Mastodon)."""
        if not self.base_url:
            return {"configuration": DEFAULT_CONFIGURATION, "version": ""}
        key = f"mastodon-instance-v2:{self.base_url}"
        instance = cache.get(key)
        if instance is None:
            try:
                answer = self.json(self.request("GET", "/api/v2/instance", timeout=(2, 5)))
                configuration = answer.get("configuration") or DEFAULT_CONFIGURATION
                instance = {"configuration": configuration, "version": str(answer.get("version") or "")}
                cache.set(key, instance, INSTANCE_CACHE_SECONDS)
            except AdapterError as error:
                logger.warning("mastodon: instance configuration of %s unavailable: %s", self.base_url, error)
                instance = {"configuration": DEFAULT_CONFIGURATION, "version": ""}
                cache.set(key, instance, 60)  # do not ask again at every keystroke
        return instance

    def counts_like_mastodon(self) -> bool:
        """Mastodon itself ("4.3.2", "4.4.0-beta.1", glitch-soc's "4.3.2+glitch") counts every URL as it advertises;
        other servers ("4.0.0 (compatible; Takahe 0.11.0)") may not: Takahē advertises 23 and counts in full."""
        return bool(MASTODON_VERSION.match(self.instance()["version"]))

    def limits(self) -> Limits:
        configuration = self.configuration()
        statuses = {**DEFAULT_CONFIGURATION["statuses"], **configuration.get("statuses", {})}
        media = {**DEFAULT_CONFIGURATION["media_attachments"], **configuration.get("media_attachments", {})}
        types = frozenset(media["supported_mime_types"])
        return Limits(
            max_chars=statuses["max_characters"],
            max_images=statuses["max_media_attachments"],
            image_types=frozenset(t for t in types if t.startswith("image/")),
            video_types=frozenset(t for t in types if t.startswith("video/")),
            max_image_bytes=media["image_size_limit"],
            max_video_bytes=media["video_size_limit"],
            max_alt_chars=media["description_limit"],
        )

    def count(self, text: str) -> int:
        """Mastodon's count; on a server whose count may differ, the stricter of it and every character in full."""
        statuses = self.configuration().get("statuses", {})
        length = mastodon_length(text, url_length=statuses.get("characters_reserved_per_url", MASTODON_URL_LENGTH))
        return length if self.counts_like_mastodon() else max(length, grapheme_length(text))

    # Publishing ---------------------------------------------------------------------------------------------------

    def publish(self, publication) -> PublishResult:
        media = publication.media()
        link = publication.post.link or ""
        self.ensure_publishable(publication.text, media, link)
        if len(texts := part_texts(publication.text, link)) > 1 or publication.extra.get("follows"):
            return self.publish_thread(publication, texts, media)
        payload = {
            "status": compose_text(publication.text, link),
            "media_ids": [self._upload(item) for item in media],
            "visibility": "public",
        }
        return self._post_status(payload, str(publication.idempotency_key))

    def send_part(self, publication, number: int, text: str, parent: str | None, media: list) -> PublishResult:
        """A part of a thread: a status answering the part before, under its own Idempotency-Key."""
        uploads = [self._upload(item) for item in media] if number == 0 else []
        payload = {"status": text, "media_ids": uploads, "visibility": "public", "in_reply_to_id": parent}
        key = f"{publication.idempotency_key}:part:{number}" if number else str(publication.idempotency_key)
        return self._post_status({k: v for k, v in payload.items() if v is not None}, key)

    def find_part(self, publication, number: int, text: str, parent: str | None, media: list) -> PublishResult | None:
        alt_texts = [item.alt_text or "" for item in media] if number == 0 else []
        status = self._find_status(text, alt_texts, since=first_sent_at(publication), reply_to=parent or "")
        return self._result(status) if status else None

    def _upload(self, item) -> str:
        """Upload one file with its alt text; wait until the instance has processed it (202 → poll)."""
        files = {"file": (item.file.name.rsplit("/", 1)[-1], read_file(item), item.content_type)}
        response = self.request("POST", "/api/v2/media", files=files, data={"description": item.alt_text})
        attachment = self.json(response)
        for _attempt in range(self.media_poll_attempts):
            if response.status_code == 200 and attachment.get("url"):
                return str(attachment["id"])
            time.sleep(self.media_poll_interval)
            response = self.request("GET", f"/api/v1/media/{attachment['id']}")
            attachment = self.json(response) if response.status_code == 200 else attachment
        raise TransientError(gettext("Mastodon is still processing the image; the post will be tried again."))

    def _post_status(self, payload: dict[str, Any], idempotency_key: str) -> PublishResult:
        headers = {"Idempotency-Key": idempotency_key}
        response = self.request("POST", "/api/v1/statuses", write=True, json=payload, headers=headers)
        try:
            status = response.json()
        except ValueError:
            status = None
        if not isinstance(status, dict) or "id" not in status:  # a 2xx we cannot read may still be a status made
            raise OutcomeUnknown(gettext("The server accepted the post with an answer that cannot be read."))
        return self._result(status)

    def find_existing(self, publication) -> PublishResult | None:
        """After an unknown outcome: the account's status made by the earlier attempt, if any (see the module's
        docstring: servers that ignore Idempotency-Key and rewrite what they show)."""
        if len(parts := publication.parts) > 1:
            return self.thread_found(publication, len(parts))
        text = compose_text(publication.text, publication.post.link or "")
        alt_texts = [item.alt_text or "" for item in publication.media()]
        taken = set(
            type(publication)
            .objects.filter(account=publication.account_id)
            .exclude(pk=publication.pk)
            .exclude(external_id="")
            .values_list("external_id", flat=True)
        )
        status = self._find_status(text, alt_texts, since=first_sent_at(publication), reply_to="", taken=taken)
        return self._result(status) if status else None

    def find_reply(self, target: ReplyTarget, text: str, *, since) -> PublishResult | None:
        """After an unknown outcome of `reply`: the museum's answer to `target` with this text, if it is there."""
        status = self._find_status(self._reply_text(target, text), [], since=since, reply_to=target.external_id)
        return self._result(status) if status else None

    def _find_status(self, text, alt_texts, *, since, reply_to: str, taken=frozenset()) -> dict | None:
        """Newest first, down to `since`: the first status answering `reply_to` ("" for a post) that reads the same."""
        response = self.request("GET", f"/api/v1/accounts/{self._account_id()}/statuses", params={"limit": 40})
        for status in self.json(response):
            if since and parse_time(status["created_at"]) < since:
                break  # newest first: everything further is older
            if str(status.get("in_reply_to_id") or "") != reply_to or str(status["id"]) in taken:
                continue
            if same_status(status, text, alt_texts):
                return status
        return None

    @staticmethod
    def _result(status: dict) -> PublishResult:
        url = status.get("url") or status.get("uri") or ""
        return PublishResult(str(status["id"]), url, {"uri": status.get("uri")})

    def _account_id(self) -> str:
        if not self.account.external_id:
            response = self.request("GET", "/api/v1/accounts/verify_credentials")
            self.account.external_id = str(self.json(response)["id"])
            self.account.save(update_fields=["external_id"])
        return self.account.external_id

    # Inbox --------------------------------------------------------------------------------------------------------

    def fetch_messages(self, cursor: dict[str, Any]) -> FetchPage:
        """Mentions (replies included), oldest unseen first: `min_id` walks forward from the stored cursor."""
        params = {"types[]": "mention", "limit": PAGE_SIZE, "min_id": cursor.get("min_id") or "0"}
        response = self.request("GET", "/api/v1/notifications", params=params)
        items = self.json(response)
        if not isinstance(items, list):
            raise TransientError(gettext("Mastodon sent notifications in an unexpected shape."))
        roots: dict[str, str] = {}
        oldest_first = list(reversed(items))  # Mastodon pages newest first; a parent should come before its replies
        messages = [message for item in oldest_first if (message := self._message(item, roots))]
        newest = _link_min_id(response) or _newest_id(items) or cursor.get("min_id")
        next_cursor = {"min_id": newest} if newest else {}
        return FetchPage(messages, next_cursor, more=len(items) >= PAGE_SIZE)

    def _message(self, item: Any, roots: dict[str, str]) -> FetchedMessage | None:
        try:
            status, author = item["status"], item["status"]["account"]
            parent = str(status.get("in_reply_to_id") or "")
            return FetchedMessage(
                external_id=str(status["id"]),
                kind="direct" if status.get("visibility") == "direct" else "reply" if parent else "mention",
                text=html_to_text(status["content"]),
                created_at=parse_time(status["created_at"]),
                author_id=str(author["id"]),
                author_handle=author["acct"],
                author_name=author.get("display_name") or "",
                author_avatar=author.get("avatar") or "",
                url=status.get("url") or "",
                parent_external_id=parent,
                root_external_id=self._root_of(status, roots) if parent else "",
                extra={"acct": author["acct"], "visibility": status.get("visibility", "public")},
            )
        except MALFORMED as error:
            logger.warning("mastodon: skipped a malformed notification (%r): %.300r", error, item)
            return None

    def _root_of(self, status: dict[str, Any], roots: dict[str, str]) -> str:
        """The conversation's first status. A reply to one of ours points at it directly (no extra call)."""
        parent = str(status["in_reply_to_id"])
        if str(status.get("in_reply_to_account_id") or "") == self.account.external_id:
            return roots.get(parent, parent)
        if parent not in roots:
            try:
                ancestors = self.json(self.request("GET", f"/api/v1/statuses/{status['id']}/context"))["ancestors"]
                roots[parent] = str(ancestors[0]["id"]) if ancestors else parent
            except (AdapterError, KeyError, TypeError, IndexError):
                roots[parent] = ""
        return roots[parent]

    def look_up_one(self, target: ReplyTarget) -> MessageState | None:
        """The status as it reads now (Mastodon edits keep the id); 404 "Record not found" once it is deleted. Takahē
        answers a deleted status with an HTML 404 page: that is a deletion too, once the server has shown it is the
        account's own (a wrong address answers HTML 404s as well)."""
        try:
            status = self.json(self.request("GET", f"/api/v1/statuses/{target.external_id}"))
        except Rejected as error:
            if error.http_status == 404 and not isinstance(error, NotFound) and self._is_accounts_server():
                raise NotFound(error.reason, http_status=404) from error
            raise
        if not isinstance(status, dict) or not isinstance(status.get("content"), str):
            logger.warning("mastodon: unreadable status %s: %.300r", target.external_id, status)
            return None
        return MessageState(target.external_id, text=html_to_text(status["content"]))

    def _is_accounts_server(self) -> bool:
        """Whether the server answers `verify_credentials` with this account (asked once per adapter)."""
        if not hasattr(self, "_accounts_server"):
            try:
                me = self.json(self.request("GET", "/api/v1/accounts/verify_credentials"))
                self._accounts_server = isinstance(me, dict) and str(me.get("id")) == self.account.external_id
            except (Rejected, TransientError):
                self._accounts_server = False
        return self._accounts_server

    def reply(self, target: ReplyTarget, text: str, *, idempotency_key: str) -> PublishResult:
        text = self._reply_text(target, text)
        payload = {"status": text, "in_reply_to_id": target.external_id, "visibility": "public"}
        if target.extra.get("visibility") == "direct":
            payload["visibility"] = "direct"
        return self._post_status(payload, idempotency_key)

    @staticmethod
    def _reply_text(target: ReplyTarget, text: str) -> str:
        acct = target.extra.get("acct", "")
        if acct and f"@{acct}" not in text:
            return f"@{acct} {text}"  # Mastodon notifies only the people a status mentions
        return text

    # Errors -------------------------------------------------------------------------------------------------------

    def request(self, method: str, path: str, *, write: bool = False, **kwargs):
        """A 5xx to a write does not prove refusal (a server may fail after committing): the outcome is unknown, so
        the pipeline looks for the status before sending again."""
        try:
            return super().request(method, path, write=write, **kwargs)
        except TransientError as error:
            if write and not isinstance(error, RateLimited) and (error.http_status or 0) >= 500:
                raise OutcomeUnknown(error.reason, http_status=error.http_status) from error
            raise

    def error_reason(self, response) -> str:
        error = self.json_body(response).get("error")
        if not error:
            return ""
        return gettext("Mastodon answered: %(error)s") % {"error": error}

    def not_found(self, response) -> bool:
        """A deleted (or never visible) status: 404 with Mastodon's own error body."""
        return response.status_code == 404 and bool(self.json_body(response).get("error"))

    def classify(self, response, reason: str) -> AdapterError | None:
        """By the server's words, not only its status: Takahē answers a revoked token with 400 "Invalid Bearer
        token" (Mastodon: 401), and a token without the scope is a reconnection too, not a refusal of the post."""
        if response.status_code == 422 and "processing" in reason.lower():
            return TransientError(reason, http_status=422)
        if response.status_code in (400, 401, 403) and AUTH_FAILURE.search(reason):
            return AuthExpired(reason, http_status=response.status_code)
        return None
