"""Threads (graph.threads.net): Instagram's container → poll → publish flow, for text posts too.

Its 500-character limit counts an emoji as its UTF-8 byte length, so a line of emoji fills a post fast.
"""

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from publishing.adapters import register
from publishing.adapters.base import (
    FetchedMessage,
    Limits,
    MediaInfo,
    Problem,
    PublishResult,
    ReplyTarget,
    compose_text,
    parse_time,
)
from publishing.adapters.graph import absolute_media_url
from publishing.adapters.graph_containers import ContainerAdapter
from publishing.adapters.part_by_part import PartByPart
from publishing.adapters.text import threads_length
from publishing.adapters.threads_metrics import ThreadsMetrics
from publishing.adapters.values import Provider
from publishing.parts import part_texts, split_parts

MAX_CAROUSEL = 20
VISIBLE = (None, "NOT_HUSHED", "UNHUSHED")  # `hide_status` values of a reply everyone sees
REPLY_FIELDS = "id,text,username,timestamp,permalink,replied_to,root_post,is_reply,hide_status"


@register
class ThreadsAdapter(ThreadsMetrics, PartByPart, ContainerAdapter):
    network = "threads"
    can_thread = True
    default_server = "https://graph.threads.net"
    api_version = "v1.0"
    account_noun = _("Threads account")
    create_edge = "threads"
    publish_edge = "threads_publish"
    status_fields = "status,error_message"
    status_key = "status"
    list_edge = "threads"
    text_field = "text"
    quota_edge = "threads_publishing_limit"
    refresh_grant = "th_refresh_token"
    recheck_fields = "id,text,hide_status"
    oauth = Provider(
        "threads",
        "https://threads.net/oauth/authorize",
        "https://graph.threads.net/oauth/access_token",
        "https://graph.threads.net",
        ("threads_basic", "threads_content_publish", "threads_manage_replies", "threads_read_replies"),
        scope_separator=",",
    )

    @classmethod
    def identify(cls, prov: Provider, token: dict) -> list[dict[str, Any]]:
        """The Threads user, with a long-lived token."""
        from publishing.oauth.flow import call, expires_at

        params = {
            "grant_type": "th_exchange_token",
            "client_secret": prov.client_secret,
            "access_token": token["access_token"],
        }
        long_lived = call("GET", f"{prov.api_url}/access_token", params=params)
        access = long_lived["access_token"]
        fields = "id,username,name,threads_profile_picture_url"
        me = call("GET", f"{prov.api_url}/v1.0/me", params={"fields": fields, "access_token": access})
        return [
            {
                "handle": me.get("username") or me["id"],
                "display_name": me.get("name", ""),
                "external_id": me["id"],
                "avatar_url": me.get("threads_profile_picture_url", ""),
                "server_url": prov.api_url,
                "credentials": {"access_token": access},
                "token_expires_at": expires_at(long_lived),
            }
        ]

    def limits(self) -> Limits:
        return Limits(
            max_chars=500,
            max_images=MAX_CAROUSEL,
            max_videos=MAX_CAROUSEL,
            images_with_video=True,
            image_types=frozenset({"image/jpeg", "image/png"}),
            max_image_bytes=8 * 1024 * 1024,
            max_video_bytes=1024 * 1024 * 1024,
        )

    def count(self, text: str) -> int:
        return threads_length(text)

    def validate(self, text: str, media: list[MediaInfo], link: str = "") -> list[Problem]:
        parted = len(split_parts(text)) > 1  # a thread: the link goes with its first part (publishing.parts)
        problems = super().validate(text if parted else compose_text(text, link), media, link)
        if not text.strip() and not media:
            problems.append(Problem(gettext("Threads needs a text, an image or a video."), code="empty"))
        if len(media) > MAX_CAROUSEL:
            message = gettext("Threads allows %(limit)s images or videos in a carousel; this post has %(count)s.")
            problems.append(Problem(message % {"limit": MAX_CAROUSEL, "count": len(media)}, code="too_many_media"))
        return problems

    # Publishing -----------------------------------------------------------------------------------------------------

    def publish(self, publication) -> PublishResult:
        link = publication.post.link or ""
        if len(texts := part_texts(publication.text, link)) > 1:
            self.ensure_publishable(publication.text, media := publication.media(), link)
            return self.publish_thread(publication, texts, media)
        return super().publish(publication)

    def find_existing(self, publication) -> PublishResult | None:
        if len(parts := publication.parts) > 1:
            return self.thread_found(publication, len(parts))
        return super().find_existing(publication)

    def send_part(self, publication, number: int, text: str, parent: str | None, media: list) -> PublishResult:
        """A part of a thread: its own container (the first with the media; the others answering the part
        before with `reply_to_id`), published once Meta has processed it."""
        if number == 0:
            container = self.create_post_container(text, media)
        else:
            container = self.create_container(media_type="TEXT", text=text, reply_to_id=parent)
        self.wait_until_finished(container)
        media_id = str(self.post_json(self.user_id, self.publish_edge, data={"creation_id": container})["id"])
        return PublishResult(media_id, self.permalink(media_id))

    def find_part(self, publication, number: int, text: str, parent: str | None, media: list) -> PublishResult | None:
        """The first part among the account's posts; another in the first part's conversation, answering `parent`."""
        if number == 0:
            items = self.get_json(self.user_id, self.list_edge, fields="id,text,permalink", limit=50).get("data")
        else:
            root = publication.extra["parts"][0]["id"]
            items = self.get_json(root, "conversation", fields=REPLY_FIELDS, limit=50).get("data")
            items = [i for i in items or [] if str((i.get("replied_to") or {}).get("id")) == str(parent)]
        for item in items or []:
            if str(item.get("text") or "").strip() == text.strip():
                return PublishResult(str(item["id"]), str(item.get("permalink") or ""))
        return None

    def outgoing_text(self, publication) -> str:
        return compose_text(publication.text, publication.post.link)  # Threads previews a link in the text

    def create_post_container(self, text: str, media: list) -> str:
        if not media:
            return self.create_container(media_type="TEXT", text=text)
        if len(media) == 1:
            return self.create_container(text=text, **_item_fields(media[0]))
        return self.create_carousel([_item_fields(m) for m in media], text=text)

    def status_detail(self, data: dict[str, Any]) -> str:
        return str(data.get("error_message") or "")

    # Inbox ----------------------------------------------------------------------------------------------------------

    def comments_edge(self, publication) -> tuple[str, ...]:
        return (publication.external_id, "conversation")

    def comments_params(self, position: str | None) -> dict[str, Any]:
        return {"fields": REPLY_FIELDS, "reverse": "false", "limit": 50, **({"after": position} if position else {})}

    def parse_comment(self, item: dict[str, Any], publication) -> list[FetchedMessage]:
        username = str(item.get("username") or "")
        if username == self.account.handle:
            return []  # the museum's own answers are Replies already
        parent = str((item.get("replied_to") or {}).get("id") or publication.external_id)
        message = FetchedMessage(
            external_id=str(item["id"]),
            kind="comment" if parent == publication.external_id else "reply",
            text=str(item["text"]),
            created_at=parse_time(item["timestamp"]),
            author_id=username,
            author_handle=username,
            url=str(item.get("permalink") or ""),
            parent_external_id=parent,
            root_external_id=publication.external_id,
            extra={"hidden": item.get("hide_status") not in VISIBLE},
        )
        return [message]

    def is_hidden(self, item: dict[str, Any]) -> bool:
        return item.get("hide_status") not in VISIBLE

    def reply(self, target: ReplyTarget, text: str, *, idempotency_key: str) -> PublishResult:
        """A reply is a post of its own: a TEXT container with `reply_to_id`, published like any other."""
        container = self.create_container(media_type="TEXT", text=text, reply_to_id=target.external_id)
        self.wait_until_finished(container)
        media_id = str(self.post_json(self.user_id, self.publish_edge, data={"creation_id": container})["id"])
        return PublishResult(media_id, self.permalink(media_id))


def _item_fields(media) -> dict[str, Any]:
    url = absolute_media_url(media)
    if media.kind == "video":
        return {"media_type": "VIDEO", "video_url": url, "alt_text": media.alt_text}
    return {"media_type": "IMAGE", "image_url": url, "alt_text": media.alt_text}
