"""Pinterest (API v5): Pins on a board, from one image, a carousel of 2 to 5 images, or a video (registered, uploaded to
Pinterest's bucket, polled until processed). A board is required: the post target's choice (`extra["board_id"]`), else
the account's first board. Pinterest has no comment API, so no inbox; no idempotency key, so after an ambiguous failure
`find_existing` looks through the board's latest Pins.
"""

import base64
import time
from typing import Any

from django.utils.translation import gettext

from publishing.adapters import register
from publishing.adapters.base import (
    Adapter,
    AdapterError,
    Limits,
    MediaInfo,
    Problem,
    PublishResult,
    RateLimited,
    Rejected,
    TransientError,
    first_sent_at,
    parse_time,
    read_file,
)
from publishing.adapters.pinterest_metrics import PinterestMetrics
from publishing.adapters.rotating import RotatingRefresh
from publishing.adapters.text import hashtag_problems
from publishing.adapters.values import Provider
from publishing.vocabulary import MediaKind

MAX_TITLE, MAX_LINK = 100, 2048
BOARDS_PAGE, MAX_BOARD_PAGES = 250, 10


def pin_url(pin_id: str) -> str:
    return f"https://www.pinterest.com/pin/{pin_id}/"


@register
class PinterestAdapter(PinterestMetrics, RotatingRefresh, Adapter):
    """Pins of one Pinterest business account, with a user token renewed through the refresh_token grant."""

    network = "pinterest"
    default_server = "https://api.pinterest.com"
    has_inbox = False
    can_reply = False
    token_path = "/v5/oauth/token"
    media_poll_attempts = 30
    oauth = Provider(
        "pinterest",
        "https://www.pinterest.com/oauth/",
        "https://api.pinterest.com/v5/oauth/token",
        "https://api.pinterest.com",
        ("boards:read", "boards:write", "pins:read", "pins:write", "user_accounts:read"),
        scope_separator=",",
        basic_auth=True,
    )

    @classmethod
    def identify(cls, prov: Provider, token: dict) -> list[dict[str, Any]]:
        """The business account behind the token, with its boards (a Pin needs one: the editor offers them)."""
        from publishing.models import SocialAccount
        from publishing.oauth.flow import call, expires_at

        headers = {"Authorization": f"Bearer {token['access_token']}"}
        user = call("GET", f"{prov.api_url}/v5/user_account", headers=headers)
        credentials = {"access_token": token["access_token"], "refresh_token": token.get("refresh_token", "")}
        probe = SocialAccount(network=cls.network, server_url=prov.api_url, credentials=credentials)
        return [
            {
                "handle": user["username"],
                "display_name": user.get("business_name") or user["username"],
                "external_id": str(user.get("id") or ""),
                "avatar_url": user.get("profile_image") or "",
                "server_url": prov.api_url,
                "credentials": credentials,
                "token_expires_at": expires_at(token),
                "options": {"boards": cls(probe).boards()},
            }
        ]

    def limits(self) -> Limits:
        return Limits(
            max_chars=800,  # the Pin's description
            max_images=5,
            max_videos=1,
            image_types=frozenset({"image/jpeg", "image/png"}),
            video_types=frozenset({"video/mp4", "video/quicktime"}),
            max_image_bytes=20 * 1024 * 1024,
            max_video_bytes=2 * 1024 * 1024 * 1024,
            max_alt_chars=500,
        )

    def validate(self, text: str, media: list[MediaInfo], link: str = "") -> list[Problem]:
        """The text is the Pin's description and the link its destination (not appended to the text); a Pin is a
        picture, so an image or a video is required."""
        limits = self.limits()
        problems = [*self.text_problems(text.strip(), limits), *self.media_problems(media, limits)]
        if not media:
            problems.append(Problem(gettext("Pinterest needs an image or a video: a Pin is a picture."), code="empty"))
        if len(link) > MAX_LINK:
            message = gettext("Pinterest allows links of up to %(limit)s characters.")
            problems.append(Problem(message % {"limit": MAX_LINK}, code="link_too_long"))
        return [*problems, *hashtag_problems(text)]

    # Auth ---------------------------------------------------------------------------------------------------------

    def token_request(self, form: dict[str, str]) -> dict[str, Any]:
        """Pinterest's token endpoint authenticates the client with HTTP Basic."""
        response = self.request("POST", self.token_path, data=form, auth=self.client(), anonymous=True)
        return self.json(response)

    # Publishing ---------------------------------------------------------------------------------------------------

    def board_id(self, publication) -> str:
        chosen = (publication.extra or {}).get("board_id")
        boards = (self.account.options or {}).get("boards") or []
        if chosen or boards:
            return str(chosen or boards[0]["id"])
        raise Rejected(gettext("Choose a Pinterest board for this post: the account has none known to museumcm."))

    def publish(self, publication) -> PublishResult:
        media = publication.media()
        link = publication.post.link or ""
        self.ensure_publishable(publication.text, media, link)
        board = self.board_id(publication)
        payload: dict[str, Any] = {
            "board_id": board,
            "description": publication.text.strip(),
            "media_source": self._source(publication, media),
        }
        if title := (publication.extra or {}).get("title") or "":
            payload["title"] = title[:MAX_TITLE]
        if link:
            payload["link"] = link
        if alt := next((m.alt_text for m in media if m.kind == MediaKind.IMAGE and m.alt_text), ""):
            payload["alt_text"] = alt[:500]  # Pinterest keeps one alt text per Pin, not per carousel item
        pin = self.json(self.call("POST", "/v5/pins", write=True, json=payload))
        return PublishResult(str(pin["id"]), pin_url(str(pin["id"])), extra={"board_id": board})

    def _source(self, publication, media: list) -> dict[str, Any]:
        if media[0].kind == MediaKind.VIDEO:
            media_id = self._video(publication, media[0])
            return {"source_type": "video_id", "media_id": media_id, "cover_image_key_frame_time": 0}
        encoded = [{"content_type": m.content_type, "data": base64.b64encode(read_file(m)).decode()} for m in media]
        if len(encoded) == 1:
            return {"source_type": "image_base64", **encoded[0]}
        return {"source_type": "multiple_image_base64", "items": encoded}

    def _video(self, publication, item) -> str:
        """Register the upload, send the file to the bucket, then wait for Pinterest to process it. The media id is
        remembered at once: a retry polls the same upload instead of sending the file again."""
        media_id = (publication.extra or {}).get("pinterest_media_id")
        if not media_id:
            registered = self.json(self.call("POST", "/v5/media", json={"media_type": "video"}))
            fields = dict(registered.get("upload_parameters") or {})
            files = {"file": (item.file.name.rsplit("/", 1)[-1], read_file(item), item.content_type)}
            self.request("POST", registered["upload_url"], data=fields, files=files, anonymous=True)
            media_id = str(registered["media_id"])
            publication.remember(pinterest_media_id=media_id)
        for _attempt in range(self.media_poll_attempts):
            status = self.json(self.call("GET", f"/v5/media/{media_id}")).get("status")
            if status == "succeeded":
                return media_id
            if status == "failed":
                publication.remember(pinterest_media_id="")
                raise Rejected(gettext("Pinterest could not process the video."))
            time.sleep(1)
        raise TransientError(gettext("Pinterest is still processing the video; the Pin will be tried again."))

    def find_existing(self, publication) -> PublishResult | None:
        """The board's latest Pins since the first attempt, looked through for the same description and link."""
        board = self.board_id(publication)
        pins = self.json(self.call("GET", f"/v5/boards/{board}/pins", params={"page_size": 25})).get("items") or []
        since = first_sent_at(publication)
        for pin in pins:
            same = (pin.get("description") or "") == publication.text.strip()
            same = same and (pin.get("link") or "") == (publication.post.link or "")
            if same and (since is None or parse_time(pin.get("created_at")) >= since):
                return PublishResult(str(pin["id"]), pin_url(str(pin["id"])), extra={"board_id": board})
        return None

    def boards(self) -> list[dict[str, str]]:
        """The account's boards, every page (`bookmark`), as {"id", "name"}."""
        found, params = [], {"page_size": BOARDS_PAGE}
        for _page in range(MAX_BOARD_PAGES):
            answer = self.json(self.call("GET", "/v5/boards", params=params))
            found += [{"id": str(b["id"]), "name": b.get("name", "")} for b in answer.get("items") or []]
            if not answer.get("bookmark"):
                break
            params = {"page_size": BOARDS_PAGE, "bookmark": answer["bookmark"]}
        return found

    # Errors -------------------------------------------------------------------------------------------------------

    def error_reason(self, response) -> str:
        message = self.json_body(response).get("message")
        return gettext("Pinterest answered: %(message)s") % {"message": message} if message else ""

    def classify(self, response, reason: str) -> AdapterError | None:
        if response.status_code == 429:
            return RateLimited(reason, retry_after=self.retry_after(response) or 60.0)
        return None

    def not_found(self, response) -> bool:
        return response.status_code == 404 and self.json_body(response).get("code") == 50
