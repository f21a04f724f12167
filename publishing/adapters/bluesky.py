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
import re
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
    compose_text,
    read_file,
)
from publishing.adapters.bluesky_inbox import POST, BlueskyInbox
from publishing.adapters.text import grapheme_length
from publishing.linkcard import linkcard_fetch

logger = logging.getLogger("museumcm.adapters")

LOOKUP_SIZE = 25  # uris per app.bsky.feed.getPosts
AUTH_ERRORS = {"ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing", "AccountTakedown"}
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
MAIN_PASSWORD_SCOPE = "com.atproto.access"
APP_PASSWORDS_URL = "https://bsky.app/settings/app-passwords"
# Facets: URLs with a scheme, @handle.domain mentions, #hashtags (not inside a URL: URLs are matched first).
LINK = re.compile(r"https?://[^\s<>\"]+[^\s<>\"().,;:!?'\u2019]")
MENTION = re.compile(r"(?<![\w@])@([a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9-]+)+)")
TAG = re.compile(r"(?<![\w&#])#(\w*[^\W\d_]\w*)")


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
class BlueskyAdapter(BlueskyInbox, Adapter):
    """Posts on one account's PDS (`server_url`, default bsky.social) with the session kept in its credentials."""

    network = "bluesky"
    default_server = "https://bsky.social"
    recheck_batch = LOOKUP_SIZE

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

    def call(self, method: str, path: str, **kwargs):
        """A request with the session; an expired access token is refreshed once and the call made again.

        Safe for writes: a request refused for its token was not executed.
        """
        try:
            return self.request(method, path, **kwargs)
        except AuthExpired as error:
            if getattr(error, "xrpc_error", "") != "ExpiredToken":
                raise
        self.refresh_credentials()
        return self.request(method, path, **kwargs)

    @property
    def did(self) -> str:
        return self.credentials.get("did") or self.account.external_id

    # Publishing ---------------------------------------------------------------------------------------------------

    def publish(self, publication) -> PublishResult:
        """One record under the publication's record key. A retry first looks the key up: a record an earlier
        attempt wrote is returned as it is; otherwise the record is dated now, when it is actually sent (a post
        held over a weekend must not appear days old)."""
        media = publication.media()
        link = publication.post.link or ""
        self.ensure_publishable(publication.text, media, link)
        rkey, earlier = self._reserve_rkey(publication)
        if earlier and (found := self.find_existing(publication)):
            return found
        text = compose_text(publication.text, link)
        record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": _now()}
        if facets := self.facets(text):
            record["facets"] = facets
        if embed := self._embed(text, media):
            record["embed"] = embed
        return self._put(rkey, record)

    def _embed(self, text: str, media: list) -> dict[str, Any] | None:
        """The images, or else a card for the first link (title, description, thumbnail), as the official app
        makes it: a bare URL is all Bluesky shows otherwise. A record has one embed."""
        images = [self._image(item) for item in media if item.kind == "image"]
        if images:
            return {"$type": "app.bsky.embed.images", "images": images}
        link = LINK.search(text)
        card = linkcard_fetch(link[0]) if link else None
        if card is None:
            return None
        external: dict[str, Any] = {"uri": card.url, "title": card.title, "description": card.description}
        if card.image:
            upload = self.call(
                "POST", "/xrpc/com.atproto.repo.uploadBlob", data=card.image, headers={"Content-Type": card.image_type}
            )
            external["thumb"] = self.json(upload)["blob"]
        return {"$type": "app.bsky.embed.external", "external": external}

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

    def _image(self, item) -> dict[str, Any]:
        response = self.call(
            "POST",
            "/xrpc/com.atproto.repo.uploadBlob",
            data=read_file(item),
            headers={"Content-Type": item.content_type},
        )
        image = {"image": self.json(response)["blob"], "alt": item.alt_text}
        if item.width and item.height:
            image["aspectRatio"] = {"width": item.width, "height": item.height}
        return image

    def _put(self, rkey: str, record: dict[str, Any]) -> PublishResult:
        payload = {"repo": self.did, "collection": POST, "rkey": rkey, "record": record}
        response = self.call("POST", "/xrpc/com.atproto.repo.putRecord", write=True, json=payload)
        result = self.json(response)
        return PublishResult(result["uri"], self.post_url(rkey), {"cid": result.get("cid"), "rkey": rkey})

    def post_url(self, rkey: str, handle: str | None = None) -> str:
        return f"https://bsky.app/profile/{handle or self.credentials.get('handle') or self.account.handle}/post/{rkey}"

    def find_existing(self, publication) -> PublishResult | None:
        """getRecord by the stored record key: the record, or None (400 RecordNotFound) if it was never written."""
        rkey = publication.extra.get("rkey")
        if not rkey:
            return None  # no key was ever stored, so no call was ever made
        params = {"repo": self.did, "collection": POST, "rkey": rkey}
        try:
            response = self.call("GET", "/xrpc/com.atproto.repo.getRecord", params=params)
        except Rejected as error:
            if getattr(error, "xrpc_error", "") == "RecordNotFound":
                return None
            raise
        result = self.json(response)
        return PublishResult(result["uri"], self.post_url(rkey), {"cid": result.get("cid"), "rkey": rkey})

    def facets(self, text: str) -> list[dict[str, Any]]:
        """Links, mentions and hashtags as rich-text facets, at UTF-8 byte offsets."""
        facets, taken = [], []
        for match in LINK.finditer(text):
            taken.append(match.span())
            facets.append(self._facet(text, match.span(), {"$type": "app.bsky.richtext.facet#link", "uri": match[0]}))
        for match in MENTION.finditer(text):
            if (did := self._resolve(match[1])) and not _inside(match.span(), taken):
                feature = {"$type": "app.bsky.richtext.facet#mention", "did": did}
                facets.append(self._facet(text, match.span(), feature))
        for match in TAG.finditer(text):
            if not _inside(match.span(), taken):
                feature = {"$type": "app.bsky.richtext.facet#tag", "tag": match[1]}
                facets.append(self._facet(text, match.span(), feature))
        return sorted(facets, key=lambda facet: facet["index"]["byteStart"])

    @staticmethod
    def _facet(text: str, span: tuple[int, int], feature: dict[str, Any]) -> dict[str, Any]:
        start, end = (len(text[:position].encode()) for position in span)
        return {"index": {"byteStart": start, "byteEnd": end}, "features": [feature]}

    def _resolve(self, handle: str) -> str | None:
        try:
            response = self.call("GET", "/xrpc/com.atproto.identity.resolveHandle", params={"handle": handle})
            return self.json(response).get("did")
        except Rejected:
            return None  # not a Bluesky handle: left as plain text

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
        error.xrpc_error = self._xrpc(response).get("error", "")
        return error

    @staticmethod
    def _xrpc(response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    def error_reason(self, response) -> str:
        body = self._xrpc(response)
        if not body.get("error"):
            return ""
        message = body.get("message") or body["error"]
        return gettext("Bluesky answered: %(message)s (%(error)s)") % {"message": message, "error": body["error"]}

    def classify(self, response, reason: str) -> AdapterError | None:
        if self._xrpc(response).get("error") in AUTH_ERRORS:
            return AuthExpired(reason, http_status=response.status_code)
        if response.status_code == 429:
            return RateLimited(reason, retry_after=self.retry_after(response))
        return None

    def retry_after(self, response) -> float | None:
        """Retry-After when sent, else RateLimit-Reset (Unix seconds)."""
        seconds = super().retry_after(response)
        reset = response.headers.get("RateLimit-Reset")
        if seconds is None and reset and reset.isdigit():
            seconds = max(0.0, int(reset) - time.time())
        return seconds


def _now() -> str:
    return timezone.now().isoformat().replace("+00:00", "Z")


def _inside(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] < end for start, end in taken)
