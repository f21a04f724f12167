"""What every network adapter looks like from outside.

A network module subclasses `Adapter` and writes only what its network makes different: endpoints, payloads, how it
counts text, how its error bodies read. The errors (`errors.py`), the values exchanged with the app (`values.py`) and
the HTTP layer (`http.py`) have their own modules; their names are re-exported here for the rest of the app.
"""

import logging
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from publishing.accessibility import lacks_alt_text
from publishing.adapters.errors import (
    AdapterError,
    AuthExpired,
    CannotCheck,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    TransientError,
)
from publishing.adapters.http import USER_AGENT, HttpClient, thread_session
from publishing.adapters.metrics import AccountMetrics, PostMetrics
from publishing.adapters.values import (
    FetchedMessage,
    FetchPage,
    Limits,
    MediaInfo,
    MessageState,
    Problem,
    Provider,
    PublishResult,
    ReplyTarget,
)
from publishing.vocabulary import MediaKind, ProblemLevel

__all__ = [
    "MALFORMED",
    "USER_AGENT",
    "AccountMetrics",
    "Adapter",
    "AdapterError",
    "AuthExpired",
    "CannotCheck",
    "FetchPage",
    "FetchedMessage",
    "Limits",
    "MediaInfo",
    "MessageState",
    "NotFound",
    "OutcomeUnknown",
    "PostMetrics",
    "Problem",
    "PublishResult",
    "RateLimited",
    "Rejected",
    "ReplyTarget",
    "TransientError",
    "compose_text",
    "first_sent_at",
    "media_info",
    "missing_alt_problem",
    "missing_alt_problems",
    "parse_time",
    "read_file",
]

logger = logging.getLogger("museumcm.adapters")

# What malformed network data raises while it is read: the item is logged and skipped, a sync or a recheck goes on.
MALFORMED = (KeyError, TypeError, ValueError, AttributeError)


class Adapter(HttpClient):
    """One network as the app sees it. The HTTP layer (`HttpClient`) and the errors and values are in their own
    modules, re-exported here: `from publishing.adapters.base import Adapter, Rejected, PublishResult`."""

    has_inbox: ClassVar[bool] = True
    can_reply: ClassVar[bool] = True
    recheck_batch: ClassVar[int] = 1  # how many stored messages one lookup call can ask about
    can_thread: ClassVar[bool] = False  # publishes a text of several parts as a thread (publishing.parts)
    can_chain: ClassVar[bool] = False  # a post can answer an earlier one of the account (publishing.live threads)
    metrics_batch: ClassVar[int] = 1  # how many publications one `fetch_post_metrics` call may ask about
    # The publication fields `fetch_post_metrics` reads besides `external_id`: collection loads them with its batch
    # (left deferred, each would cost a query per publication).
    metrics_fields: ClassVar[tuple[str, ...]] = ()
    # The `PostMetrics` counts the network can give a post at all (declared by its metrics mixin); the others are
    # always absent. A sandbox account imitating the network gives only these (`SandboxAdapter.fetch_post_metrics`).
    post_figures: ClassVar[frozenset[str]] = frozenset()
    # Who follows an account, as the network tells it (`AccountMetrics.audience`) and below which threshold it tells
    # nothing; shown beside the audience on the Insights page. Empty: the network gives no audience at all.
    audience_note: ClassVar[str] = ""
    oauth: ClassVar[Provider | None] = None  # how an account is connected, for networks using OAuth 2

    @classmethod
    def identify(cls, prov: Provider, token: dict) -> list[dict[str, Any]]:
        """The accounts one authorisation gives access to, as keyword arguments of `socialaccount_connect`.
        (Adapters import `publishing.oauth.flow` inside it: the oauth package builds on the adapters.)"""
        raise NotImplementedError

    def __init__(self, account):
        self.account = account
        self.session = thread_session()

    # What each network implements -------------------------------------------------------------------------------------

    def validate(self, text: str, media: list[MediaInfo], link: str = "") -> list[Problem]:
        """Everything the network would refuse (errors) or that reads badly (warnings), counted its way."""
        from publishing.adapters.text import hashtag_problems  # text builds on Problem, defined here
        from publishing.parts import split_parts, thread_problems

        if len(parts := split_parts(text)) > 1:
            return thread_problems(self, parts, media, link)
        limits = self.limits()
        full_text = compose_text(text, link)
        return [
            *self.text_problems(full_text, limits, media),
            *self.media_problems(media, limits),
            *hashtag_problems(text),
        ]

    def limits(self) -> Limits:
        raise NotImplementedError

    def count(self, text: str) -> int:
        """The text's length the network's way (see publishing.adapters.text)."""
        return len(text)

    def publish(self, publication) -> PublishResult:
        raise NotImplementedError

    def find_existing(self, publication) -> PublishResult | None:
        """After an ambiguous failure: the post if the network has it, None if it surely does not.

        Raises CannotCheck where the network offers no way to know.
        """
        raise CannotCheck(str(_("This network offers no way to check whether the post went out.")))

    def fetch_messages(self, cursor: dict[str, Any]) -> FetchPage:
        raise NotImplementedError

    def reply(self, target: ReplyTarget, text: str, *, idempotency_key: str) -> PublishResult:
        raise NotImplementedError

    def find_reply(self, target: ReplyTarget, text: str, *, since: datetime | None) -> PublishResult | None:
        """After an ambiguous failure: our reply with this text under `target` if the network has it (made after
        `since`, when the first attempt was sent less a margin), None if it surely does not.

        Raises CannotCheck where the network offers no way to know (then a person decides).
        """
        raise CannotCheck(str(_("This network offers no way to check whether the reply went out.")))

    @property
    def can_find_replies(self) -> bool:
        """Whether `find_reply` can tell: a reply of unknown outcome is then retried, looking first."""
        return type(self).find_reply is not Adapter.find_reply

    def fetch_post_metrics(self, publications: list) -> dict[str, PostMetrics]:
        """Lifetime counts of up to `metrics_batch` of this account's published publications, keyed by their
        `external_id`. A publication the network no longer has (deleted, hidden) is missing from the answer; a count
        the network does not give is None, never 0. Raises the errors above (RateLimited, AuthExpired…)."""
        raise NotImplementedError

    def fetch_account_metrics(self) -> AccountMetrics:
        """The account's follower, following and post counts now, with its audience where the network gives one."""
        raise NotImplementedError

    # Recheck: edits and deletions of stored messages ------------------------------------------------------------

    def recheck(self, targets: list[ReplyTarget]) -> list[MessageState]:
        """The current state of stored messages: deleted where the network says they are gone, the text it shows now.

        Networks never announce an edit or a deletion in their notifications, so the inbox asks again. Lookups go
        `recheck_batch` at a time; a rate limit, an expired token or an outage stops the whole recheck (raised).
        """
        states: list[MessageState] = []
        for start in range(0, len(targets), self.recheck_batch):
            states += self.look_up(targets[start : start + self.recheck_batch])
        return states

    def look_up(self, targets: list[ReplyTarget]) -> list[MessageState]:
        """One batch. By default one call per message: a not-found answer means deleted; a message the network
        refuses to show for another reason is left as it is (logged), and the others are still looked up."""
        states = []
        for target in targets:
            try:
                state = self.look_up_one(target)
            except NotFound:
                state = MessageState(target.external_id, deleted=True)
            except Rejected as error:
                logger.warning("%s: could not recheck %s: %s", self.network, target.external_id, error.reason)
                continue
            if state is not None:
                states.append(state)
        return states

    def look_up_one(self, target: ReplyTarget) -> MessageState | None:
        """One message's current state (None when the answer cannot be read); networks that batch override
        `look_up` instead."""
        raise NotImplementedError

    # Shared validation --------------------------------------------------------------------------------------------

    @property
    def network_name(self) -> str:
        from publishing.models import Network

        return str(Network(self.network).label)

    def text_problems(self, text: str, limits: Limits, media: list[MediaInfo] | None = None) -> list[Problem]:
        problems = []
        length = self.count(text)
        if limits.text_required and not text.strip():
            problems.append(
                Problem(gettext("%(network)s needs a text.") % {"network": self.network_name}, code="empty")
            )
        elif not text.strip() and not media and media is not None:
            problems.append(
                Problem(gettext("There is nothing to publish: write a text or add an image."), code="empty")
            )
        if length > limits.max_chars:
            message = gettext("%(network)s allows %(limit)s characters; this text has %(length)s.")
            values = {"network": self.network_name, "limit": limits.max_chars, "length": length}
            problems.append(Problem(message % values, code="too_long"))
        size = len(text.encode())
        if limits.max_bytes is not None and size > limits.max_bytes:
            message = gettext("%(network)s allows %(limit)s bytes of text; this text takes %(size)s.")
            values = {"network": self.network_name, "limit": limits.max_bytes, "size": size}
            problems.append(Problem(message % values, code="too_many_bytes"))
        return problems

    def media_problems(self, media: list[MediaInfo], limits: Limits) -> list[Problem]:
        images = [m for m in media if m.kind == MediaKind.IMAGE]
        videos = [m for m in media if m.kind == MediaKind.VIDEO]
        problems = []
        if len(images) > limits.max_images:
            message = ngettext(
                "%(network)s allows %(limit)s image per post; this post has %(count)s.",
                "%(network)s allows %(limit)s images per post; this post has %(count)s.",
                limits.max_images,
            )
            values = {"network": self.network_name, "limit": limits.max_images, "count": len(images)}
            problems.append(Problem(message % values, code="too_many_media"))
        if len(videos) > limits.max_videos or (videos and images and not limits.images_with_video):
            message = ngettext(
                "%(network)s allows %(limit)s video per post, without images alongside.",
                "%(network)s allows %(limit)s videos per post, without images alongside.",
                limits.max_videos,
            )
            problems.append(Problem(message % {"network": self.network_name, "limit": limits.max_videos}, code="mix"))
        for number, item in enumerate(media, start=1):
            problems += self.item_problems(number, item, limits)
        return problems

    def item_problems(self, number: int, item: MediaInfo, limits: Limits) -> list[Problem]:
        image = item.kind == MediaKind.IMAGE
        accepted = limits.image_types if image else limits.video_types
        max_bytes = limits.max_image_bytes if image else limits.max_video_bytes
        values = {"network": self.network_name, "number": number, "type": item.content_type}
        problems = []
        if item.content_type not in accepted:
            message = gettext("File %(number)s: %(network)s does not accept %(type)s files.")
            problems.append(Problem(message % values, code="media_type"))
        if item.size > max_bytes:
            message = gettext("File %(number)s weighs %(size)s; %(network)s accepts up to %(limit)s.")
            values |= {"size": filesizeformat(item.size), "limit": filesizeformat(max_bytes)}
            problems.append(Problem(message % values, code="media_too_large"))
        if missing := missing_alt_problem(number, item):
            problems.append(missing)
        elif len(item.alt_text) > limits.max_alt_chars:
            message = gettext("The alt text of file %(number)s is too long: %(network)s allows %(limit)s characters.")
            problems.append(Problem(message % (values | {"limit": limits.max_alt_chars}), code="alt_too_long"))
        return problems

    def ensure_publishable(self, text: str, media: list, link: str = "") -> None:
        """Refuse before calling the network when the content cannot pass: the reason is ours, and clearer."""
        problems = self.validate(text, [media_info(m) for m in media], link)
        errors = [p.message for p in problems if p.level == ProblemLevel.ERROR]
        if errors:
            raise Rejected(" ".join(errors))

    def save_credentials(self, **changes: Any) -> None:
        """Persist renewed tokens at once: a lost refresh token means asking the team to reconnect."""
        self.account.credentials = {**self.credentials, **changes}
        self.account.save(update_fields=["credentials"])


def compose_text(text: str, link: str = "") -> str:
    """The text as sent: the post's link goes at the end unless the text already carries it."""
    text = text.strip()
    if link and link not in text:
        return f"{text}\n\n{link}" if text else link
    return text


def first_sent_at(publication, *, margin: timedelta = timedelta(minutes=5)) -> datetime | None:
    """When this publication (or inbox reply) was first sent, less a margin for clocks: an identical post found on
    the network from before then is an older twin (a weekly ritual), not this one. None when no attempt was
    recorded."""
    started = publication.attempts.order_by("number").values_list("started_at", flat=True).first()
    return started - margin if started else None


def parse_time(value) -> datetime:
    """An ISO 8601 time from a network (Graph's `+0000` included), as an aware datetime (UTC when unzoned)."""
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def missing_alt_problem(number: int, item: MediaInfo) -> Problem | None:
    """The error of file `number` (from 1) when it is an image without alt text, else None."""
    if not lacks_alt_text(item.kind, item.alt_text):
        return None
    message = gettext("Image %(number)s has no alt text: describe it for people who cannot see it.")
    return Problem(message % {"number": number}, code="missing_alt")


def missing_alt_problems(media: list[MediaInfo]) -> list[Problem]:
    return [problem for number, item in enumerate(media, start=1) if (problem := missing_alt_problem(number, item))]


def media_info(media) -> MediaInfo:
    """The validation view of a stored media file (publishing/content.py: anything with these fields)."""
    return MediaInfo(
        kind=media.kind,
        content_type=media.content_type,
        size=media.size,
        alt_text=media.alt_text or "",
        width=getattr(media, "width", None),
        height=getattr(media, "height", None),
    )


def read_file(media) -> bytes:
    """The media's bytes; a file gone from storage is a refusal with a reason, not a crash mid-publish."""
    try:
        with media.file.open("rb") as handle:
            return handle.read()
    except OSError as error:
        message = gettext("The file %(name)s cannot be read on this server (%(error)s): upload it again.")
        raise Rejected(message % {"name": media.file.name, "error": error.strerror or error}) from error
