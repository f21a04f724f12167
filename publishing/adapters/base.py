"""What every network adapter looks like from outside, and the one vocabulary of outcomes and errors.

A network module subclasses `Adapter` and writes only what its network makes different: endpoints, payloads,
how it counts text, how its error bodies read. The shared HTTP session, timeouts, logging and the mapping of
HTTP failures onto the error classes below live here.
"""

import logging
import os
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookiejar import DefaultCookiePolicy
from typing import Any, ClassVar

import requests
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from publishing import outbound
from publishing.accessibility import lacks_alt_text
from publishing.adapters.metrics import AccountMetrics, PostMetrics
from publishing.vocabulary import MediaKind, MessageKind, ProblemLevel

logger = logging.getLogger("museumcm.adapters")

USER_AGENT = "museumcm/0.1 (+https://github.com/museumcm/museumcm)"


# Errors ------------------------------------------------------------------------------------------------------------


class AdapterError(Exception):
    """A network call that did not succeed. `reason` is shown to the team: it must read well."""

    def __init__(self, reason: str, *, http_status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.http_status = http_status


class TransientError(AdapterError):
    """Worth retrying later: the network is down, slow, or answered 5xx."""


class RateLimited(TransientError):
    """The network asked us to wait `retry_after` seconds (from Retry-After or its own rate-limit headers)."""

    def __init__(self, reason: str, *, retry_after: float | None = None, http_status: int | None = 429):
        super().__init__(reason, http_status=http_status)
        self.retry_after = retry_after


class AuthExpired(AdapterError):
    """The token is expired or revoked: the account needs reconnecting; retrying would only fail again."""


class Rejected(AdapterError):
    """The network refused this content for good (too long, bad media, duplicate…): the reason says why."""


class NotFound(Rejected):
    """The network's documented answer for an object that does not exist (any more): deleted, or never there."""


class OutcomeUnknown(AdapterError):
    """The request may have been accepted (timeout or dropped connection after sending): never resend blindly."""


class CannotCheck(AdapterError):
    """The network offers no way to find out whether an earlier attempt went through."""


# Values exchanged with the rest of the app ---------------------------------------------------------------------------


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


# The shared HTTP session -------------------------------------------------------------------------------------------

_local = threading.local()
# Hosts a thread keeps a connection to. requests keeps 10: fewer than the hosts of a museum's accounts (each Mastodon
# instance and Bluesky PDS is one), so connections were dropped and made again (a quarter of the benchmark's calls).
HOSTS_KEPT = 64
# An answer bigger than this, or slower than this overall, is not a network's: it is cut off (outbound.py). Uploads
# (a video sent in one request) get longer to finish.
MAX_ANSWER_BYTES = 16 * 1024 * 1024
ANSWER_SECONDS = 90.0
UPLOAD_SECONDS = 600.0


def thread_session() -> requests.Session:
    """The thread's requests.Session, built once per thread instead of once per adapter (per task): its headers, its
    HTTP adapters and its pooled connections are kept, so the next post to the same network skips the TCP and TLS
    handshakes. urllib3 checks that a pooled connection is still open before reusing it; in the rare race where the
    network closes it as we send, a write becomes OutcomeUnknown and the pipeline looks for the post before sending
    again. A session is never shared between threads, and it keeps no cookies, so nothing one account's answer sets
    can travel with another account's request."""
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        _read_environment_once(session)
        session.headers["User-Agent"] = USER_AGENT
        session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        for scheme in ("https://", "http://"):
            session.mount(scheme, outbound.CheckedAdapter(pool_connections=HOSTS_KEPT))
        _local.session = session
    return session


def _read_environment_once(session: requests.Session) -> None:
    """requests reads proxy, ~/.netrc and CA-bundle variables from the environment at every call, walking the whole
    environment (a fifth of a publication's CPU). Unless a proxy is set (its no_proxy rules apply per URL, so requests
    must keep reading them), take the CA bundle now, as requests would, and let it skip the environment."""
    if urllib.request.getproxies():
        return
    session.trust_env = False
    session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True


# The base adapter ----------------------------------------------------------------------------------------------------


class Adapter:
    network: ClassVar[str]
    default_server: ClassVar[str] = ""
    has_inbox: ClassVar[bool] = True
    can_reply: ClassVar[bool] = True
    recheck_batch: ClassVar[int] = 1  # how many stored messages one lookup call can ask about
    can_thread: ClassVar[bool] = False  # publishes a text of several parts as a thread (publishing.parts)
    can_chain: ClassVar[bool] = False  # a post can answer an earlier one of the account (publishing.live threads)
    metrics_batch: ClassVar[int] = 1  # how many publications one `fetch_post_metrics` call may ask about

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

    def refresh_credentials(self) -> None:
        """Renew the access token if the network allows it; networks whose tokens never expire do nothing."""

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

    # Shared HTTP ------------------------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return (self.account.server_url or self.default_server).rstrip("/")

    @property
    def credentials(self) -> dict[str, Any]:
        return self.account.credentials or {}

    def auth_headers(self) -> dict[str, str]:
        token = self.credentials.get("access_token")
        return {"Authorization": f"Bearer {token}"} if token else {}

    def request(
        self, method: str, path: str, *, write: bool = False, anonymous: bool = False, **kwargs
    ) -> requests.Response:
        """Send a request and turn every failure into one of the errors above.

        `write=True` marks a call that creates something: a timeout or dropped connection after it was sent
        becomes OutcomeUnknown instead of TransientError, so the pipeline checks before sending again.
        `anonymous=True` sends no token (token endpoints authenticate otherwise).
        """
        url = path if path.startswith("http") else f"{self.base_url}{path}"
        headers = {**({} if anonymous else self.auth_headers()), **kwargs.pop("headers", {})}
        timeout = kwargs.pop("timeout", None) or settings.ADAPTER_TIMEOUT
        shown = url.split("?", 1)[0]  # logged without its query: a signed upload URL is a credential
        seconds = UPLOAD_SECONDS if "files" in kwargs or isinstance(kwargs.get("data"), bytes) else ANSWER_SECONDS
        started = time.monotonic()
        try:
            response = outbound.request(
                method,
                url,
                session=self.session,
                headers=headers,
                timeout=timeout,
                max_bytes=MAX_ANSWER_BYTES,
                seconds=seconds,
                **kwargs,
            )
        except outbound.OutboundRefused as error:
            logger.warning("%s %s %s refused: %s", self.network, method, shown, error)
            raise Rejected(str(_("This server's address is not one museumcm may call."))) from error
        except outbound.AnswerUnread as error:
            if write:
                raise OutcomeUnknown(str(_("The answer to the post could not be read."))) from error
            raise TransientError(str(_("The network's answer was too large or too slow to read."))) from error
        except requests.ConnectTimeout as error:
            raise TransientError(str(_("The network did not answer (connection timed out)."))) from error
        except requests.ConnectionError as error:
            if write and not isinstance(error.__cause__, ConnectionRefusedError) and _was_sent(error):
                raise OutcomeUnknown(str(_("The connection dropped after the request was sent."))) from error
            raise TransientError(str(_("The network could not be reached."))) from error
        except requests.Timeout as error:
            if write:
                raise OutcomeUnknown(str(_("The network took too long to answer after receiving the post."))) from error
            raise TransientError(str(_("The network took too long to answer."))) from error
        logger.info(
            "%s %s %s → %s in %.0f ms",
            self.network,
            method,
            shown,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        if response.status_code >= 400:
            raise self.error_for(response)
        return response

    def error_for(self, response: requests.Response) -> AdapterError:
        """Map an HTTP error response to our vocabulary; networks refine `error_reason` and `classify`."""
        status = response.status_code
        reason = self.error_reason(response) or str(
            _("The network answered with HTTP %(status)s.") % {"status": status}
        )
        classified = self.classify(response, reason)
        if classified is not None:
            return classified
        if self.not_found(response):
            return NotFound(reason, http_status=status)
        if status == 429:
            return RateLimited(reason, retry_after=self.retry_after(response))
        if status == 401:
            return AuthExpired(reason, http_status=status)
        if status >= 500 or status == 408:
            return TransientError(reason, http_status=status)
        return Rejected(reason, http_status=status)

    def error_reason(self, response: requests.Response) -> str:
        """The network's own words for the error, from its documented error body."""
        return ""

    def classify(self, response: requests.Response, reason: str) -> AdapterError | None:
        """A network-specific mapping that beats the status code (e.g. Graph's code 190 in a 400)."""
        return None

    def not_found(self, response: requests.Response) -> bool:
        """The network's documented "no such object" answer. Only that answer marks a message deleted: a bare 404
        from a wrong server address must not, so each network says what its own looks like."""
        return False

    def retry_after(self, response: requests.Response) -> float | None:
        value = response.headers.get("Retry-After")
        try:
            return max(0.0, float(value)) if value else None
        except ValueError:
            return None

    @staticmethod
    def json(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError as error:
            raise TransientError(str(_("The network sent an answer that is not valid JSON."))) from error


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


def _was_sent(error: requests.ConnectionError) -> bool:
    """A reset or a closed connection while waiting for the answer, rather than a refusal to connect."""
    text = str(error).lower()
    return "remotedisconnected" in text or "connection aborted" in text or "reset" in text
