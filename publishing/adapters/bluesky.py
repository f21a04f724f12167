"""Bluesky (AT Protocol): a persisted session, blobs with alt text, facets at byte offsets, retry-safe records.

Publishing never doubles: the record key (a TID) is chosen by us and stored on the publication before the call,
and the record is written with `putRecord` under it, so a second write can only rewrite the same post. A retry looks
the key up first and leaves a record already written as it is; `createdAt` is the time of the write actually sent.
"""

import base64
import hashlib
import json
import logging
import random
import time
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from publishing.adapters import register
from publishing.adapters.base import (
    Adapter,
    AdapterError,
    AuthExpired,
    Limits,
    PublishResult,
    RateLimited,
    Rejected,
    ReplyTarget,
)
from publishing.adapters.bluesky_inbox import POST, BlueskyInbox
from publishing.adapters.bluesky_metrics import BlueskyMetrics
from publishing.adapters.bluesky_records import BlueskyRecords
from publishing.adapters.text import grapheme_length
from publishing.parts import part_texts

logger = logging.getLogger("museumcm.adapters")

LOOKUP_SIZE = 25  # uris per app.bsky.feed.getPosts
AUTH_ERRORS = {"ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing", "AccountTakedown"}
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
MAIN_PASSWORD_SCOPE = "com.atproto.access"
APP_PASSWORDS_URL = "https://bsky.app/settings/app-passwords"


def tid(micros: int | None = None, clock_id: int | None = None) -> str:
    """A record key in AT Protocol's TID format: 53 bits of microseconds and a 10-bit clock id, base32-sortable."""
    micros = time.time_ns() // 1000 if micros is None else micros
    clock_id = random.randrange(1024) if clock_id is None else clock_id
    value = (micros << 10) | clock_id
    return "".join(TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -5, -5))


def tid_from_key(key: str) -> str:
    """A stable TID for an idempotency key (a reply retried gets the same record key)."""
    digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    base = 1_672_531_200_000_000  # 2023-01-01 in microseconds: keys stay in the TID range of real posts
    return tid(base + (digest >> 12) % (10 * 365 * 86_400_000_000), digest & 1023)


def _claims(token: str) -> dict[str, Any]:
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, TypeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def _jwt_expiry(token: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(_claims(token)["exp"]), UTC)
    except (ValueError, KeyError, TypeError):
        return None


def opened_with_main_password(session: dict[str, Any]) -> bool:
    """The session's scope says which password opened it: the reference PDS gives `com.atproto.appPass` (or
    `com.atproto.appPassPrivileged`) to an app password and `com.atproto.access`, full access, to the main one."""
    return _claims(session.get("accessJwt") or "").get("scope") == MAIN_PASSWORD_SCOPE


def main_password_refusal(link: str = APP_PASSWORDS_URL) -> str:
    """Why the main password is refused, and where to make an app password (`link`: the address, or an anchor)."""
    message = gettext(
        "This is the account's main password, which gives full control of the account. museumcm accepts only an "
        "app password: it can post and read notifications but cannot change the password, the email or delete the "
        "account, and it can be revoked on its own at any time. Create one in Bluesky's settings (%(link)s) and "
        "use it here."
    )
    return message % {"link": link}


@register
class BlueskyAdapter(BlueskyMetrics, BlueskyRecords, BlueskyInbox, Adapter):
    """Posts on one account's PDS (`server_url`, default bsky.social) with the session kept in its credentials."""

    network = "bluesky"
    default_server = "https://bsky.social"
    recheck_batch = LOOKUP_SIZE
    reset_header = "RateLimit-Reset"  # Unix seconds
    can_thread = True
    can_chain = True

    def limits(self) -> Limits:
        return Limits(
            max_chars=300,
            max_bytes=3000,
            max_images=4,
            image_types=frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"}),
            video_types=frozenset(),
            max_image_bytes=2_000_000,
            max_alt_chars=2000,
        )

    def count(self, text: str) -> int:
        return grapheme_length(text)

    # Session ------------------------------------------------------------------------------------------------------

    def login(self, identifier: str, password: str) -> dict[str, Any]:
        """Open a session with a handle and an app password (the connect flow; limited to 30 per 5 minutes)."""
        response = self.request(
            "POST", "/xrpc/com.atproto.server.createSession", json={"identifier": identifier, "password": password}
        )
        session = self.json(response)
        if opened_with_main_password(session):
            self.end_session(session)
            raise AuthExpired(main_password_refusal())
        self._keep_session(session, app_password=password)
        return session

    def end_session(self, session: dict[str, Any]) -> None:
        """Revoke a session we will not keep (best effort: it expires anyway)."""
        headers = {"Authorization": f"Bearer {session.get('refreshJwt', '')}"}
        try:
            self.request("POST", "/xrpc/com.atproto.server.deleteSession", anonymous=True, headers=headers)
        except AdapterError as error:
            logger.warning("bluesky: could not end a refused session: %s", error.reason)

    def refresh_credentials(self) -> None:
        """Renew the session with the refresh token; AuthExpired once that too is expired or revoked."""
        refresh = self.credentials.get("refresh_token")
        if not refresh:
            raise AuthExpired(gettext("Bluesky has no session for this account: reconnect it."))
        try:
            response = self.request(
                "POST", "/xrpc/com.atproto.server.refreshSession", headers={"Authorization": f"Bearer {refresh}"}
            )
        except AuthExpired:
            password = self.credentials.get("app_password")
            if not password:
                raise
            self.login(self.credentials.get("handle") or self.account.handle, password)  # rare: refresh token lost
            return
        self._keep_session(self.json(response))

    def _keep_session(self, session: dict[str, Any], app_password: str | None = None) -> None:
        # Stored under the names every adapter (and the connect flow) uses: access_token, refresh_token.
        changes = {"access_token": session["accessJwt"], "refresh_token": session["refreshJwt"]}
        changes |= {key: session[key] for key in ("did", "handle") if key in session}
        if app_password:
            changes["app_password"] = app_password
        self.account.credentials = {**self.credentials, **changes}
        self.account.external_id = session.get("did", self.account.external_id)
        self.account.token_expires_at = _jwt_expiry(session.get("accessJwt", "")) or self.account.token_expires_at
        self.account.save(update_fields=["credentials", "external_id", "token_expires_at"])

    def renews(self, error: AuthExpired) -> bool:
        """An expired access token is refreshed once and the call made again (`call`); a revoked one is not."""
        return getattr(error, "xrpc_error", "") == "ExpiredToken"

    @property
    def did(self) -> str:
        return self.credentials.get("did") or self.account.external_id

    # Publishing ---------------------------------------------------------------------------------------------------

    def publish(self, publication) -> PublishResult:
        """One record per part under record keys fixed before the first call: the publication's `rkey` for the first
        part, keys derived from its idempotency key for the others (a thread answers itself part after part). A
        retry looks each key up first: a part an earlier attempt wrote is kept as it is, so no part goes out twice
        and none is lost. A part is dated when it is actually sent (a post held over a weekend must not appear
        days old)."""
        media = publication.media()
        link = publication.post.link or ""
        self.ensure_publishable(publication.text, media, link)
        chain = _chain_refs(publication)
        _rkey, earlier = self._reserve_rkey(publication)
        written: list[PublishResult] = []
        for number, text in enumerate(part_texts(publication.text, link)):
            key = part_rkey(publication, number)
            found = self._existing(key) if earlier else None
            record = self._record(text, media if number == 0 else [], written, chain)
            written.append(found or self._put(key, record))
        result = _thread_result(written)
        if chain:  # the next post of a live session's thread answers within the same root
            result.extra["thread_root"] = chain[0]
        return result

    def _record(self, text: str, media: list, thread: list[PublishResult], chain=None) -> dict[str, Any]:
        record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": _now()}
        if facets := self.facets(text):
            record["facets"] = facets
        if embed := self._embed(text, media):
            record["embed"] = embed
        if thread:
            root = chain[0] if chain else _ref(thread[0])
            record["reply"] = {"root": root, "parent": _ref(thread[-1])}
        elif chain:
            record["reply"] = {"root": chain[0], "parent": chain[1]}
        return record

    def _reserve_rkey(self, publication) -> tuple[str, bool]:
        """The record key, chosen once and stored before the first call; True when an earlier attempt stored it
        (the network may hold a record under it)."""
        from publishing.models import Publication

        if "rkey" in publication.extra:
            return publication.extra["rkey"], True
        extra = {**publication.extra, "rkey": tid()}
        rows = Publication.objects.filter(pk=publication.pk).exclude(extra__has_key="rkey")
        if rows.update(extra=extra):
            publication.extra = extra
            return extra["rkey"], False
        # Stored meanwhile by an earlier attempt: that one is the key the network may already hold.
        publication.extra = Publication.objects.values_list("extra", flat=True).get(pk=publication.pk)
        return publication.extra["rkey"], True

    def _put(self, rkey: str, record: dict[str, Any]) -> PublishResult:
        payload = {"repo": self.did, "collection": POST, "rkey": rkey, "record": record}
        response = self.call("POST", "/xrpc/com.atproto.repo.putRecord", write=True, json=payload)
        result = self.json(response)
        return PublishResult(result["uri"], self.post_url(rkey), {"cid": result.get("cid"), "rkey": rkey})

    def post_url(self, rkey: str, handle: str | None = None) -> str:
        return f"https://bsky.app/profile/{handle or self.credentials.get('handle') or self.account.handle}/post/{rkey}"

    def find_existing(self, publication) -> PublishResult | None:
        """getRecord of every part by its record key: the post once all are written; None if the first was never
        written (400 RecordNotFound), or a part of the thread is still missing (`publish` then writes the rest)."""
        if not publication.extra.get("rkey"):
            return None  # no key was ever stored, so no call was ever made
        written = []
        for number in range(len(publication.parts)):
            found = self._existing(part_rkey(publication, number))
            if found is None:
                return None
            written.append(found)
        return _thread_result(written)

    def _existing(self, rkey: str) -> PublishResult | None:
        params = {"repo": self.did, "collection": POST, "rkey": rkey}
        try:
            response = self.call("GET", "/xrpc/com.atproto.repo.getRecord", params=params)
        except Rejected as error:
            if getattr(error, "xrpc_error", "") == "RecordNotFound":
                return None
            raise
        result = self.json(response)
        return PublishResult(result["uri"], self.post_url(rkey), {"cid": result.get("cid"), "rkey": rkey})

    def reply(self, target: ReplyTarget, text: str, *, idempotency_key: str) -> PublishResult:
        """A reply record whose root is the parent's own root; its record key derives from the idempotency key."""
        parent = {"uri": target.extra.get("uri") or target.external_id, "cid": target.extra.get("cid", "")}
        if not parent["cid"]:
            raise Rejected(gettext("This Bluesky message lacks the reference needed to answer it; sync again."))
        record: dict[str, Any] = {
            "$type": POST,
            "text": text,
            "createdAt": _now(),
            "reply": {"root": target.extra.get("root") or parent, "parent": parent},
        }
        if facets := self.facets(text):
            record["facets"] = facets
        return self._put(tid_from_key(idempotency_key), record)

    # Errors -------------------------------------------------------------------------------------------------------

    def error_for(self, response) -> AdapterError:
        error = super().error_for(response)
        error.xrpc_error = self.json_body(response).get("error", "")
        return error

    def error_reason(self, response) -> str:
        body = self.json_body(response)
        if not body.get("error"):
            return ""
        message = body.get("message") or body["error"]
        return gettext("Bluesky answered: %(message)s (%(error)s)") % {"message": message, "error": body["error"]}

    def classify(self, response, reason: str) -> AdapterError | None:
        if self.json_body(response).get("error") in AUTH_ERRORS:
            return AuthExpired(reason, http_status=response.status_code)
        if response.status_code == 429:
            return RateLimited(reason, retry_after=self.retry_after(response))
        return None


def part_rkey(publication, number: int) -> str:
    """The record key of part `number` (0: the publication's stored `rkey`)."""
    return publication.extra["rkey"] if number == 0 else tid_from_key(f"{publication.idempotency_key}:part:{number}")


def _chain_refs(publication) -> tuple[dict, dict] | None:
    """(root, parent) refs when this post continues a live session's thread on the account (publishing.live)."""
    from publishing.live import chain_parent_row

    parent = chain_parent_row(publication)
    if parent is None:
        return None
    extra = parent["extra"]
    parts = extra.get("parts") or [{"uri": parent["external_id"], "cid": extra.get("cid") or ""}]
    return extra.get("thread_root") or parts[0], parts[-1]


def _ref(result: PublishResult) -> dict[str, str]:
    return {"uri": result.external_id, "cid": result.extra.get("cid") or ""}


def _thread_result(written: list[PublishResult]) -> PublishResult:
    """The first part stands for the post (its link, its replies); a thread's other parts are listed in `parts`."""
    head = written[0]
    if len(written) == 1:
        return head
    return PublishResult(head.external_id, head.url, {**head.extra, "parts": [_ref(result) for result in written]})


def _now() -> str:
    return timezone.now().isoformat().replace("+00:00", "Z")
