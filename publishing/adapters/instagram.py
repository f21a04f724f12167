"""Instagram (professional accounts, Instagram Login on graph.instagram.com).

Instagram never receives our files: it downloads them from `SITE_URL`, so a post is a container made from public
URLs, polled until Meta has processed it, then published. An image or a video is required; only JPEG images.
"""

import re
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from publishing.adapters import register
from publishing.adapters.base import (
    AdapterError,
    FetchedMessage,
    Limits,
    MediaInfo,
    Problem,
    PublishResult,
    RateLimited,
    Rejected,
    ReplyTarget,
    TransientError,
    parse_time,
)
from publishing.adapters.graph import absolute_media_url, facebook_login, meta_pages
from publishing.adapters.graph_containers import ContainerAdapter
from publishing.adapters.instagram_metrics import InstagramMetrics
from publishing.adapters.text import hashtags, plain_length
from publishing.adapters.values import Provider

MAX_HASHTAGS = 30
MAX_MENTIONS = 20
MAX_CAROUSEL = 10
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]+)")
MIN_RATIO, MAX_RATIO = 4 / 5, 1.91
COMMENT_FIELDS = "id,text,timestamp,username,from{id,username},parent_id,hidden"


@register
class InstagramAdapter(InstagramMetrics, ContainerAdapter):
    network = "instagram"
    default_server = "https://graph.instagram.com"
    api_version = "v23.0"
    account_noun = _("Instagram account")
    create_edge = "media"
    publish_edge = "media_publish"
    status_fields = "status_code,status"
    status_key = "status_code"
    list_edge = "media"
    text_field = "caption"
    quota_edge = "content_publishing_limit"
    refresh_grant = "ig_refresh_token"
    recheck_fields = "id,text,hidden"
    oauth = facebook_login(
        "instagram",
        "instagram_basic", "instagram_content_publish", "instagram_manage_comments", "pages_show_list",
        "pages_read_engagement", "business_management",
    )  # fmt: skip

    @classmethod
    def identify(cls, prov: Provider, token: dict) -> list[dict[str, Any]]:
        """The Instagram professional accounts of the person's Pages."""
        fields = "id,name,access_token,instagram_business_account{id,username,name,profile_picture_url}"
        return [
            {
                "handle": ig.get("username") or ig["id"],
                "display_name": ig.get("name") or page.get("name", ""),
                "external_id": ig["id"],
                "avatar_url": ig.get("profile_picture_url", ""),
                "server_url": prov.api_url,
                "credentials": {"access_token": page["access_token"], "page_id": page["id"]},
            }
            for page in meta_pages(prov, token, fields)
            if (ig := page.get("instagram_business_account"))
        ]

    def publishing_failures(self) -> dict[int, tuple[type[AdapterError], str]]:
        return publishing_failures()

    def limits(self) -> Limits:
        return Limits(
            max_chars=2200,
            max_images=MAX_CAROUSEL,
            max_videos=MAX_CAROUSEL,
            images_with_video=True,
            image_types=frozenset({"image/jpeg"}),
            max_image_bytes=8 * 1024 * 1024,
            max_video_bytes=300 * 1024 * 1024,
        )

    def count(self, text: str) -> int:
        return plain_length(text)

    def validate(self, text: str, media: list[MediaInfo], link: str = "") -> list[Problem]:
        problems = super().validate(text, media, link)
        if not media:
            problems.append(Problem(gettext("Instagram needs an image or a video."), code="media_required"))
        if len(media) > MAX_CAROUSEL:
            message = gettext("Instagram allows %(limit)s images or videos in a carousel; this post has %(count)s.")
            problems.append(Problem(message % {"limit": MAX_CAROUSEL, "count": len(media)}, code="too_many_media"))
        if len(hashtags(text)) > MAX_HASHTAGS:
            message = gettext("Instagram allows %(limit)s hashtags; this text has %(count)s.")
            problems.append(Problem(message % {"limit": MAX_HASHTAGS, "count": len(hashtags(text))}, code="hashtags"))
        mentions = MENTION.findall(text)
        if len(mentions) > MAX_MENTIONS:
            message = gettext("Instagram allows %(limit)s mentions; this text has %(count)s.")
            problems.append(Problem(message % {"limit": MAX_MENTIONS, "count": len(mentions)}, code="mentions"))
        return problems + [p for number, item in enumerate(media, 1) for p in _shape_problems(number, item)]

    # Publishing -----------------------------------------------------------------------------------------------------

    def create_post_container(self, text: str, media: list) -> str:
        if len(media) == 1:
            return self.create_container(caption=text, **_item_fields(media[0], carousel=False))
        return self.create_carousel([_item_fields(m, carousel=True) for m in media], caption=text)

    def status_detail(self, data: dict[str, Any]) -> str:
        return str(data.get("status") or "")

    # Inbox ----------------------------------------------------------------------------------------------------------

    def comments_edge(self, publication) -> tuple[str, ...]:
        return (publication.external_id, "comments")

    def comments_params(self, position: str | None) -> dict[str, Any]:
        fields = f"{COMMENT_FIELDS},replies{{{COMMENT_FIELDS}}}"
        return {"fields": fields, "limit": 50, **({"after": position} if position else {})}

    def parse_comment(self, item: dict[str, Any], publication) -> list[FetchedMessage]:
        """A top-level comment and the replies Instagram nests under it (replies only go one level deep)."""
        top_level = str(item["id"])
        messages = [self._message(item, publication, top_level=top_level)]
        for reply in (item.get("replies") or {}).get("data") or []:
            messages += self.parse_safely(
                reply, publication, parse=lambda r, p: [self._message(r, p, top_level=top_level)]
            )
        return [m for m in messages if m is not None]

    def _message(self, item: dict[str, Any], publication, *, top_level: str) -> FetchedMessage | None:
        author = item.get("from") or {}
        username = str(author.get("username") or item.get("username") or "")
        if str(author.get("id") or "") == self.user_id or username == self.account.handle:
            return None  # the museum's own answers are Replies already
        is_reply = item["id"] != top_level
        return FetchedMessage(
            external_id=str(item["id"]),
            kind="reply" if is_reply else "comment",
            text=str(item["text"]),
            created_at=parse_time(item["timestamp"]),
            author_id=str(author.get("id") or username),
            author_handle=username,
            parent_external_id=top_level if is_reply else publication.external_id,
            root_external_id=publication.external_id,
            url=publication.external_url,
            extra={"top_level_id": top_level, "hidden": bool(item.get("hidden"))},
        )

    def reply(self, target: ReplyTarget, text: str, *, idempotency_key: str) -> PublishResult:
        """Instagram answers only top-level comments: a reply to a reply goes under its top-level comment."""
        comment = str(target.extra.get("top_level_id") or target.external_id)
        data = self.post_json(comment, "replies", data={"message": text})
        return PublishResult(str(data["id"]))


def _item_fields(media, *, carousel: bool) -> dict[str, Any]:
    url = absolute_media_url(media)
    if media.kind == "video":
        return {"media_type": "VIDEO" if carousel else "REELS", "video_url": url}
    return {"image_url": url, "alt_text": media.alt_text}


def _shape_problems(number: int, item: MediaInfo) -> list[Problem]:
    if item.kind != "image" or not item.width or not item.height:
        return []
    ratio = item.width / item.height
    if MIN_RATIO - 0.005 <= ratio <= MAX_RATIO + 0.005:
        return []
    message = gettext(
        "Image %(number)s is %(width)s by %(height)s pixels: Instagram accepts ratios from 4:5 to 1.91:1."
    )
    return [Problem(message % {"number": number, "width": item.width, "height": item.height}, code="ratio")]


def publishing_failures() -> dict[int, tuple[type[AdapterError], str]]:
    """Instagram's 2207xxx publishing subcodes (error bodies and container statuses), in words to act on."""
    return {
        2207001: (TransientError, gettext("Instagram had a server error; the post will be tried again.")),
        2207003: (TransientError, gettext("Instagram took too long to download the media; it will try again.")),
        2207004: (Rejected, gettext("The image is too large for Instagram: it must weigh less than 8 MB.")),
        2207005: (Rejected, gettext("Instagram does not accept this media format: use a JPEG image.")),
        2207006: (
            Rejected,
            gettext("Instagram could not find the media: a permission is missing or the token expired."),
        ),
        2207008: (TransientError, gettext("Instagram had a temporary error publishing the post; it will try again.")),
        2207009: (
            Rejected,
            gettext("Instagram does not accept this image's shape: the ratio must be between 4:5 and 1.91:1."),
        ),
        2207010: (
            Rejected,
            gettext("The caption is too long for Instagram: 2,200 characters, 30 hashtags and 20 mentions at most."),
        ),
        2207020: (TransientError, gettext("The prepared Instagram post expired; it will be prepared again.")),
        2207023: (Rejected, gettext("Instagram does not recognise this type of media.")),
        2207026: (Rejected, gettext("Instagram does not accept this video format: use MP4 (H.264, AAC).")),
        2207027: (TransientError, gettext("Instagram has not finished processing the media yet.")),
        2207028: (
            Rejected,
            gettext("Instagram refused the carousel: check that every item is a valid image or video."),
        ),
        2207032: (TransientError, gettext("Instagram could not prepare the post; it will try again.")),
        2207042: (RateLimited, gettext("The account reached Instagram's limit of posts published in 24 hours.")),
        2207050: (
            Rejected,
            gettext(
                "The Instagram account is inactive or restricted: sign in to the Instagram app and follow its steps."
            ),
        ),
        2207051: (Rejected, gettext("Instagram blocked this post as suspected spam.")),
        2207052: (
            Rejected,
            gettext(
                "Instagram could not fetch the image from this site: its address (SITE_URL) must be reachable "
                "from the internet."
            ),
        ),
        2207053: (TransientError, gettext("Instagram had an unknown upload error; the post will be prepared again.")),
        2207057: (Rejected, gettext("The video's thumbnail position is outside the video.")),
    }
