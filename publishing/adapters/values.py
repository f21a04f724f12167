"""The values adapters exchange with the rest of the app: what validation finds, what publishing returns, what the
inbox fetches and answers, and what a network accepts in one post."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from publishing.vocabulary import MediaKind, MessageKind, ProblemLevel


@dataclass(frozen=True)
class Problem:
    """One finding of `validate`: an error blocks review, a warning only informs."""

    message: str
    level: ProblemLevel = ProblemLevel.ERROR
    code: str = ""


@dataclass(frozen=True)
class MediaInfo:
    """What validation needs to know of a file, before or after it is saved."""

    kind: MediaKind
    content_type: str
    size: int
    alt_text: str = ""
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class PublishResult:
    external_id: str
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FetchedMessage:
    """A comment, reply, mention or quote as the inbox stores it, whatever network it came from."""

    external_id: str
    kind: MessageKind
    text: str
    created_at: datetime
    author_id: str
    author_handle: str
    author_name: str = ""
    author_avatar: str = ""
    url: str = ""
    parent_external_id: str = ""  # the message or post it answers
    root_external_id: str = ""  # the museum's post at the root of the conversation, when known
    deleted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # what `reply` needs later (e.g. Bluesky uri and cid)


@dataclass(frozen=True)
class FetchPage:
    messages: list[FetchedMessage]
    cursor: dict[str, Any]  # stored as is and given back on the next call
    more: bool  # another page is waiting right now


@dataclass(frozen=True)
class ReplyTarget:
    """The message to answer, as stored by the inbox."""

    external_id: str
    root_external_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MessageState:
    """What the network says now of a message the inbox stored (`Adapter.recheck`)."""

    external_id: str
    deleted: bool = False
    missing: bool = False  # not shown (a block, a takedown…) though the network does not say it is gone
    text: str | None = None  # the current text; None when the network did not say
    extra: dict[str, Any] = field(default_factory=dict)  # merged into the stored extra (hidden, a new Bluesky cid…)


@dataclass(frozen=True)
class Limits:
    """What a network accepts in one post; `validate` checks against these before the network has to refuse."""

    max_chars: int
    max_bytes: int | None = None
    max_images: int = 4
    max_videos: int = 1
    images_with_video: bool = False
    image_types: frozenset[str] = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
    video_types: frozenset[str] = frozenset({"video/mp4", "video/quicktime"})
    max_image_bytes: int = 5 * 1024 * 1024
    max_video_bytes: int = 100 * 1024 * 1024
    max_alt_chars: int = 1000
    text_required: bool = False


@dataclass(frozen=True)
class Provider:
    """How an account of a network is connected through OAuth 2: endpoints, scopes, and the client from
    `settings.SOCIAL_APPS` (`publishing.oauth.flow.provider`)."""

    network: str
    authorize_url: str
    token_url: str
    api_url: str
    scopes: tuple[str, ...]
    pkce: bool = False
    scope_separator: str = " "
    client_id: str = ""
    client_secret: str = ""
    extra_params: dict[str, str] = field(default_factory=dict)
    token_method: str = "POST"  # Meta's code exchange is a GET with the parameters in the query
    # A server someone typed (a Mastodon instance): any failure is this one message, never what the server said.
    failure: str = ""
    basic_auth: bool = False  # the code exchange authenticates the client with HTTP Basic (X), not in the form
