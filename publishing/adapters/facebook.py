"""Facebook Pages (Graph API, with a Page token: it does not expire, so there is nothing to refresh).

Photos are uploaded unpublished with their alt text, then attached to one feed post. Facebook has no idempotency
key: after an ambiguous failure, the Page's published posts since the first attempt are searched for the message.
"""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publishing.adapters import register
from publishing.adapters.base import FetchedMessage, Limits, PublishResult, ReplyTarget, parse_time, read_file
from publishing.adapters.facebook_metrics import FacebookMetrics
from publishing.adapters.graph import (
    GRAPH_VERSION,
    GraphAdapter,
    absolute_media_url,
    facebook_login,
    meta_pages,
    remember,
)
from publishing.adapters.text import plain_length
from publishing.adapters.values import Provider

COMMENT_FIELDS = "id,message,created_time,from{id,name},parent{id},permalink_url"
SEARCH_PAGES = 5  # published posts are listed newest first: a few pages reach back far enough
CLOCK_SKEW = 120  # seconds: our clock and Facebook's may disagree a little


@register
class FacebookAdapter(FacebookMetrics, GraphAdapter):
    network = "facebook"
    default_server = "https://graph.facebook.com"
    api_version = GRAPH_VERSION
    account_noun = _("Facebook Page")
    recheck_fields = "id,message,is_hidden"
    comment_text_field = "message"
    oauth = facebook_login(
        "facebook",
        "pages_show_list", "pages_manage_posts", "pages_manage_engagement", "pages_read_engagement",
        "pages_read_user_engagement", "business_management",
    )  # fmt: skip

    @classmethod
    def identify(cls, prov: Provider, token: dict) -> list[dict[str, Any]]:
        """The person's Pages, each with its Page token."""
        return [
            {
                "handle": page["id"],
                "display_name": page.get("name", ""),
                "external_id": page["id"],
                "avatar_url": page.get("picture", {}).get("data", {}).get("url", ""),
                "server_url": prov.api_url,
                "credentials": {"access_token": page["access_token"]},
            }
            for page in meta_pages(prov, token, "id,name,access_token,picture{url}")
        ]

    def limits(self) -> Limits:
        return Limits(
            max_chars=63206,
            max_images=10,
            max_videos=1,
            image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff"}),
            max_image_bytes=4 * 1024 * 1024,
            max_video_bytes=1024 * 1024 * 1024,
        )

    def count(self, text: str) -> int:
        return plain_length(text)

    # Publishing -----------------------------------------------------------------------------------------------------

    def publish(self, publication) -> PublishResult:
        media = publication.media()
        self.ensure_publishable(publication.text, media)
        if not (publication.extra or {}).get("first_sent_at"):
            remember(publication, first_sent_at=timezone.now().isoformat())
        videos = [m for m in media if m.kind == "video"]
        if videos:
            post_id = self.publish_video(publication, videos[0])
        else:
            photos = [self.upload_photo(m) for m in media]
            post_id = str(self.post_json(self.user_id, "feed", data=self.feed_payload(publication, photos))["id"])
        return PublishResult(post_id, self.permalink(post_id))

    def feed_payload(self, publication, photos: list[str]) -> dict[str, Any]:
        link = publication.post.link
        if photos:  # a link beside photos is not previewed: it goes in the message
            message = publication.text if not link or link in publication.text else f"{publication.text}\n\n{link}"
            return {"message": message, "attached_media": [{"media_fbid": photo} for photo in photos]}
        return {"message": publication.text, **({"link": link} if link else {})}

    def sent_message(self, publication) -> str:
        return self.feed_payload(publication, ["photo"] if publication.media() else [])["message"]

    def upload_photo(self, media) -> str:
        """An unpublished photo, with its alt text: it appears only once attached to the feed post."""
        name = media.file.name.rsplit("/", 1)[-1]
        response = self.request(
            "POST",
            self.path(self.user_id, "photos"),
            data={"published": "false", "alt_text_custom": media.alt_text},
            files={"source": (name, read_file(media), media.content_type)},
        )
        return str(self.json(response)["id"])

    def publish_video(self, publication, video) -> str:
        data = {"file_url": absolute_media_url(video), "description": self.sent_message(publication)}
        answer = self.post_json(self.user_id, "videos", data=data)
        return str(answer.get("post_id") or answer["id"])

    def permalink(self, post_id: str) -> str:
        return str(self.get_json(post_id, fields="permalink_url").get("permalink_url") or "")

    def find_existing(self, publication) -> PublishResult | None:
        """Look through the Page's posts since the first attempt for one with exactly our message."""
        first = (publication.extra or {}).get("first_sent_at")
        if not first:
            return None  # the post was never sent
        since = int(datetime.fromisoformat(first).timestamp()) - CLOCK_SKEW
        expected = self.sent_message(publication).strip()
        params: dict[str, Any] = {"fields": "id,message,created_time,permalink_url", "since": since, "limit": 100}
        for _page in range(SEARCH_PAGES):
            data = self.get_json(self.user_id, "published_posts", **params)
            for item in data.get("data") or []:
                if str(item.get("message") or "").strip() == expected:
                    return PublishResult(str(item["id"]), str(item.get("permalink_url") or ""))
            after = ((data.get("paging") or {}).get("cursors") or {}).get("after")
            if not (data.get("paging") or {}).get("next") or not after:
                return None
            params["after"] = after
        return None

    # Inbox ----------------------------------------------------------------------------------------------------------

    def comments_edge(self, publication) -> tuple[str, ...]:
        return (publication.external_id, "comments")

    def comments_params(self, position: str | None) -> dict[str, Any]:
        # `stream` lists replies to comments too (with their parent); chronological order lets a cursor resume.
        params = {"fields": COMMENT_FIELDS, "filter": "stream", "order": "chronological", "limit": 50}
        return {**params, **({"after": position} if position else {})}

    def parse_comment(self, item: dict[str, Any], publication) -> list[FetchedMessage]:
        author = item.get("from") or {}
        if str(author.get("id") or "") == self.user_id:
            return []  # the Page's own answers are Replies already
        parent = str((item.get("parent") or {}).get("id") or "")
        message = FetchedMessage(
            external_id=str(item["id"]),
            kind="reply" if parent else "comment",
            text=str(item["message"]),
            created_at=parse_time(item["created_time"]),
            author_id=str(author.get("id") or ""),
            author_handle=str(author.get("name") or ""),
            author_name=str(author.get("name") or ""),
            url=str(item.get("permalink_url") or ""),
            parent_external_id=parent or publication.external_id,
            root_external_id=publication.external_id,
        )
        return [message]

    def is_hidden(self, item: dict[str, Any]) -> bool:
        return bool(item.get("is_hidden"))

    def reply(self, target: ReplyTarget, text: str, *, idempotency_key: str) -> PublishResult:
        data = self.post_json(target.external_id, "comments", data={"message": text})
        return PublishResult(str(data["id"]))
