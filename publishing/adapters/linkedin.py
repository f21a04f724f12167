"""LinkedIn (Posts and Community Management APIs), posting as the museum's organisation.

Images are registered (`initializeUpload`), their bytes PUT to the returned URL, then referenced by the post.
The post's `commentary` is "little text": reserved characters are escaped so LinkedIn does not cut the text at the
first bracket. There is no way to look a post up, but sending the same commentary again is refused with a 422
DUPLICATE_POST naming the first post: that refusal is our proof that it went out.
"""

import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import requests
from django.utils.translation import gettext

from publishing.adapters import register
from publishing.adapters.base import (
    MALFORMED,
    Adapter,
    AdapterError,
    FetchedMessage,
    Limits,
    MediaInfo,
    MessageState,
    Problem,
    PublishResult,
    RateLimited,
    Rejected,
    ReplyTarget,
    compose_text,
    read_file,
)
from publishing.adapters.comments import CommentsOfPublications
from publishing.adapters.linkedin_metrics import LinkedInMetrics
from publishing.adapters.text import plain_length
from publishing.adapters.values import Provider

logger = logging.getLogger("museumcm.adapters")

LINKEDIN_VERSION = "202510"
RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")
URL = re.compile(r"https?://\S+")
HASHTAG = re.compile(r"(?<![\w&#])#(\w+)")
POST_URN = re.compile(r"urn:li:(?:share|ugcPost|activity):\d+")
COMMENT_URN = re.compile(r"urn:li:comment:\((?P<on>urn:li:[A-Za-z]+:\d+),(?P<id>\d+)\)")
PAGE_SIZE = 50


class DuplicatePost(Rejected):
    """LinkedIn refused the commentary as a copy of a post it already has: `urn` is that post."""

    def __init__(self, reason: str, *, urn: str):
        super().__init__(reason, http_status=422)
        self.urn = urn


def little_text(text: str) -> str:
    """Escape LinkedIn's reserved characters; keep URLs as they are (they link) and #hashtags as hashtags."""
    pieces, position = [], 0
    for found in URL.finditer(text):
        pieces.append(_escape_words(text[position : found.start()]))
        pieces.append(found.group())
        position = found.end()
    pieces.append(_escape_words(text[position:]))
    return "".join(pieces)


def _escape_words(text: str) -> str:
    escaped = RESERVED.sub(r"\\\1", text)
    return re.sub(r"(?<!\w)\\#(\w+)", lambda m: "{hashtag|\\#|" + RESERVED.sub(r"\\\1", m.group(1)) + "}", escaped)


def post_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


@register
class LinkedInAdapter(LinkedInMetrics, CommentsOfPublications, Adapter):
    network = "linkedin"
    default_server = "https://api.linkedin.com"
    oauth = Provider(
        "linkedin",
        "https://www.linkedin.com/oauth/v2/authorization",
        "https://www.linkedin.com/oauth/v2/accessToken",
        "https://api.linkedin.com",
        ("openid", "profile", "w_member_social", "w_organization_social", "r_organization_social",
         "rw_organization_admin"),
    )  # fmt: skip

    @classmethod
    def identify(cls, prov: Provider, token: dict) -> list[dict[str, Any]]:
        """Museums post as organisations: one account per organisation the person administers, else the member."""
        from publishing.oauth.flow import call, expires_at

        headers = {
            "Authorization": f"Bearer {token['access_token']}",
            "LinkedIn-Version": LINKEDIN_VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
        }
        credentials = {"access_token": token["access_token"], "refresh_token": token.get("refresh_token", "")}
        common = {"server_url": prov.api_url, "credentials": credentials, "token_expires_at": expires_at(token)}
        acls = call(
            "GET",
            f"{prov.api_url}/rest/organizationAcls",
            params={"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"},
            headers=headers,
        )
        accounts = []
        for element in acls.get("elements", []):
            urn = element["organization"]
            organisation = call("GET", f"{prov.api_url}/rest/organizations/{urn.rsplit(':', 1)[-1]}", headers=headers)
            name = organisation.get("localizedName", urn)
            accounts.append(
                {"handle": organisation.get("vanityName") or name, "display_name": name, "external_id": urn}
            )
        if not accounts:
            me = call("GET", f"{prov.api_url}/v2/userinfo", headers=headers)
            person = {"display_name": me.get("name", ""), "avatar_url": me.get("picture", "")}
            accounts.append({"handle": me["sub"], "external_id": f"urn:li:person:{me['sub']}", **person})
        return [{**account, **common} for account in accounts]

    def find_existing(self, publication) -> PublishResult | None:
        """LinkedIn offers no lookup, yet sending again is safe: a copy is refused with DUPLICATE_POST naming the
        first post, which `publish` takes as the proof it went out. So "not found, send again" is the answer."""
        return None

    def limits(self) -> Limits:
        return Limits(
            max_chars=3000,
            max_images=20,
            max_videos=0,
            image_types=frozenset({"image/jpeg", "image/png", "image/gif"}),
            max_image_bytes=36 * 1024 * 1024,
            max_alt_chars=4086,
        )

    def count(self, text: str) -> int:
        return plain_length(text)

    def validate(self, text: str, media: list[MediaInfo], link: str = "") -> list[Problem]:
        """Counted with the link appended, as it is sent. Several images go as one multi-image post (2 to 20)."""
        return super().validate(compose_text(text, link), media, link)

    def auth_headers(self) -> dict[str, str]:
        return {**super().auth_headers(), "LinkedIn-Version": LINKEDIN_VERSION, "X-Restli-Protocol-Version": "2.0.0"}

    @property
    def author(self) -> str:
        return self.account.external_id  # urn:li:organization:…

    # Publishing -----------------------------------------------------------------------------------------------------

    def publish(self, publication) -> PublishResult:
        media = publication.media()
        text = compose_text(publication.text, publication.post.link)
        self.ensure_publishable(text, media)
        body = self.post_body(text, [self.upload_image(m) for m in media])
        try:
            response = self.request("POST", "/rest/posts", json=body, write=True)
        except DuplicatePost as duplicate:
            return PublishResult(duplicate.urn, post_url(duplicate.urn), extra={"duplicate_of_earlier_attempt": True})
        urn = response.headers.get("x-restli-id", "")
        return PublishResult(urn, post_url(urn))

    def post_body(self, text: str, images: list[dict[str, str]]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "author": self.author,
            "commentary": little_text(text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if len(images) == 1:
            body["content"] = {"media": images[0]}
        elif images:
            body["content"] = {"multiImage": {"images": images}}
        return body

    def upload_image(self, media) -> dict[str, str]:
        """Register the image, PUT its bytes: LinkedIn hands back the URN the post refers to."""
        answer = self.json(
            self.request(
                "POST",
                "/rest/images",
                params={"action": "initializeUpload"},
                json={"initializeUploadRequest": {"owner": self.author}},
            )
        )["value"]
        self.request("PUT", answer["uploadUrl"], data=read_file(media), headers={"Content-Type": media.content_type})
        return {"id": answer["image"], "altText": media.alt_text}

    # Errors -----------------------------------------------------------------------------------------------------

    def error_reason(self, response: requests.Response) -> str:
        return str(self.json_body(response).get("message") or "")

    def not_found(self, response: requests.Response) -> bool:
        """A deleted comment: 404 with LinkedIn's own error body (`{"status": 404, "message": …}`)."""
        return response.status_code == 404 and self.json_body(response).get("status") == 404

    def classify(self, response: requests.Response, reason: str) -> AdapterError | None:
        body = self.json_body(response)
        codes = [e.get("code") for e in ((body.get("errorDetails") or {}).get("inputErrors") or [])]
        if response.status_code == 422 and "DUPLICATE_POST" in codes:
            found = POST_URN.search(response.text)
            if found:
                return DuplicatePost(reason, urn=found.group())
            return Rejected(gettext("LinkedIn refused this post as a duplicate of an earlier one."), http_status=422)
        if response.status_code == 429:
            return RateLimited(
                reason or gettext("LinkedIn's daily limit for this call is reached; it resets at midnight UTC."),
                retry_after=self.retry_after(response) or seconds_to_midnight_utc(),
            )
        if response.status_code == 403:
            return Rejected(
                gettext("The LinkedIn account lacks a permission this action needs (%(reason)s).") % {"reason": reason},
                http_status=403,
            )
        return None

    # Inbox ----------------------------------------------------------------------------------------------------------

    def comments_of(self, urn: str, start: int, count: int = PAGE_SIZE) -> dict[str, Any]:
        return self.json(
            self.request(
                "GET", f"/rest/socialActions/{quote(urn, safe='')}/comments", params={"start": start, "count": count}
            )
        )

    def fetch_comments(self, publication, position: str | None) -> tuple[list[FetchedMessage], str | None, bool]:
        """Comments come by offset (`start`/`count`); each comment with answers is asked for its own replies."""
        start = int(position or 0)
        data = self.comments_of(publication.external_id, start)
        elements = data.get("elements") or []
        messages = []
        for element in elements:
            messages += self.parse_safely(element, publication)
            if _reply_count(element):
                replies = self.comments_of(str(element.get("commentUrn") or element.get("$URN")), 0, 100)
                messages += [
                    m for reply in replies.get("elements") or [] for m in self.parse_safely(reply, publication)
                ]
        total = int((data.get("paging") or {}).get("total") or 0)
        position_after = start + len(elements)
        return messages, str(position_after), bool(elements) and position_after < total

    def parse_comment(self, element: dict[str, Any], publication) -> list[FetchedMessage]:
        actor = str(element["actor"])
        if actor == self.author:
            return []  # the museum's own answers are Replies already
        urn = str(element.get("commentUrn") or element["$URN"])
        parent = str(element.get("parentComment") or "")
        created = datetime.fromtimestamp(int(element["created"]["time"]) / 1000, tz=UTC)
        return [
            FetchedMessage(
                external_id=urn,
                kind="reply" if parent else "comment",
                text=str(element["message"]["text"]),
                created_at=created,
                author_id=actor,
                author_handle=actor.rsplit(":", 1)[-1],
                url=post_url(publication.external_id),
                parent_external_id=parent or publication.external_id,
                root_external_id=publication.external_id,
                extra={"object": str(element.get("object") or publication.external_id)},
            )
        ]

    def look_up_one(self, target: ReplyTarget) -> MessageState | None:
        """`GET /rest/socialActions/{activity}/comments/{id}`, both read from the comment's URN: 404 once deleted."""
        found = COMMENT_URN.fullmatch(target.external_id)
        if found is None:
            logger.warning("linkedin: cannot recheck %s: not a comment URN", target.external_id)
            return None
        path = f"/rest/socialActions/{quote(found['on'], safe='')}/comments/{found['id']}"
        element = self.json(self.request("GET", path))
        try:
            return MessageState(target.external_id, text=str(element["message"]["text"]))
        except MALFORMED as error:
            logger.warning("linkedin: unreadable comment %s: %.300r (%r)", target.external_id, element, error)
            return None

    def reply(self, target: ReplyTarget, text: str, *, idempotency_key: str) -> PublishResult:
        """A comment on the post, under the comment answered (`parentComment`)."""
        post = str(target.extra.get("object") or target.root_external_id)
        body = {"actor": self.author, "object": post, "message": {"text": text}, "parentComment": target.external_id}
        response = self.request(
            "POST", f"/rest/socialActions/{quote(target.external_id, safe='')}/comments", json=body, write=True
        )
        urn = response.headers.get("x-restli-id") or str(self.json(response).get("commentUrn") or "")
        return PublishResult(urn)


def _reply_count(element: Any) -> int:
    try:
        return int(((element.get("commentsSummary") or {}).get("aggregatedTotalComments")) or 0)
    except (AttributeError, TypeError, ValueError):
        return 0


def seconds_to_midnight_utc() -> float:
    """LinkedIn's daily limits reset at 00:00 UTC."""
    now = datetime.now(UTC)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - now).total_seconds()
