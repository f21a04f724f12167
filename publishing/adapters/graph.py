"""What Facebook, Instagram and Threads share: Meta's Graph error body, its rate-limit header, comment paging
per published post, and the container → poll → publish flow of Instagram and Threads.

Graph answers most failures with HTTP 400 and puts the meaning in `error.code` / `error.error_subcode`, so the
mapping onto our vocabulary reads the body first and the status code last.
"""

import json
import logging
import re
from typing import Any, ClassVar

import requests
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from publishing.adapters.base import (
    MALFORMED,
    Adapter,
    AdapterError,
    AuthExpired,
    FetchedMessage,
    FetchPage,
    MessageState,
    RateLimited,
    Rejected,
    TransientError,
)
from publishing.adapters.comments import CommentsOfPublications
from publishing.adapters.values import Provider
from publishing.media_links import signed_media_url

logger = logging.getLogger("museumcm.adapters")

RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002}
TRANSIENT_CODES = {1, 2}
AUTH_CODES = {102, 190}
DUPLICATE_CODE = 506
BLOCKED_CODE = 368
USAGE_CEILING = 95  # percent of the app's allowance after which reads pause
USAGE_PAUSE = 300.0  # seconds, when the header does not say how long
GRAPH = "https://graph.facebook.com"
GRAPH_VERSION = "v23.0"  # Facebook's API and its Login dialog (Instagram's too: its accounts are found through Pages)
GRAPH_MAX_PAGES = 20  # lists of Pages are paged by 25: enough for any museum, and no endless loop on a broken cursor
PERMISSION_NAME = re.compile(r"\b((?:pages|instagram|threads|business|publish|read|manage)_[a-z_]+)\b")


def graph_error(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def regain_access_seconds(response: requests.Response) -> float | None:
    """`X-Business-Use-Case-Usage` says, per business, how many minutes until calls are allowed again."""
    raw = response.headers.get("X-Business-Use-Case-Usage")
    try:
        usage = json.loads(raw) if raw else {}
        minutes = [
            float(entry.get("estimated_time_to_regain_access") or 0) for entries in usage.values() for entry in entries
        ]
    except (ValueError, AttributeError, TypeError):
        return None
    return max(minutes) * 60 if minutes and max(minutes) > 0 else None


def usage_percent(response: requests.Response) -> float:
    """The highest share of its allowance the app has used, from Graph's usage headers (0 when absent)."""
    shares = []
    for header in ("X-Business-Use-Case-Usage", "X-App-Usage"):
        try:
            usage = json.loads(response.headers.get(header) or "{}")
            entries = [usage] if header == "X-App-Usage" else [e for group in usage.values() for e in group]
            shares += [float(e.get(key) or 0) for e in entries for key in ("call_count", "total_cputime", "total_time")]
        except (ValueError, AttributeError, TypeError):
            continue
    return max(shares, default=0.0)


class GraphAdapter(CommentsOfPublications, Adapter):
    """The Graph API's common ground: versioned paths, error body, rate-limit header, comment paging."""

    api_version: ClassVar[str]
    account_noun: ClassVar[Any] = _("account")  # "Facebook Page", "Instagram account": shown in errors
    recheck_fields: ClassVar[str] = "id"  # what `GET /{comment-id}` asks for when a stored comment is rechecked
    comment_text_field: ClassVar[str] = "text"

    def __init__(self, account):
        super().__init__(account)
        self.pause_reads_for: float | None = None

    def path(self, *parts: str) -> str:
        return "/" + "/".join([self.api_version, *parts])

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        """Note when the app nears its allowance: Graph throttles at 100%, so the inbox stops reading at 95%."""
        response = super().request(method, path, **kwargs)
        if usage_percent(response) >= USAGE_CEILING:
            self.pause_reads_for = regain_access_seconds(response) or USAGE_PAUSE
        return response

    @property
    def user_id(self) -> str:
        return self.account.external_id

    def get_json(self, *parts: str, **params: Any) -> Any:
        return self.json(self.request("GET", self.path(*parts), params=params))

    def post_json(self, *parts: str, data: dict[str, Any], write: bool = True) -> Any:
        return self.json(self.request("POST", self.path(*parts), json=data, write=write))

    # Errors -----------------------------------------------------------------------------------------------------

    def error_reason(self, response: requests.Response) -> str:
        error = graph_error(response)
        title, message = error.get("error_user_title"), error.get("error_user_msg")
        if title and message:
            return f"{title}: {message}"
        return str(message or error.get("message") or "")

    def classify(self, response: requests.Response, reason: str) -> AdapterError | None:
        error = graph_error(response)
        if not error:
            return None
        code, subcode, status = _int(error.get("code")), _int(error.get("error_subcode")), response.status_code
        known = self.failure_for(subcode, retry_after=regain_access_seconds(response), http_status=status)
        if known is not None:
            return known
        if code in AUTH_CODES:
            return AuthExpired(
                gettext("The %(account)s's authorisation expired or was revoked: reconnect it. (%(reason)s)")
                % {"account": self.account_noun, "reason": reason},
                http_status=status,
            )
        if code in RATE_LIMIT_CODES:
            retry_after = regain_access_seconds(response) or self.retry_after(response)
            return RateLimited(
                reason or gettext("Too many calls to the network."), retry_after=retry_after, http_status=status
            )
        if code in TRANSIENT_CODES or error.get("is_transient") is True:
            return TransientError(reason, http_status=status)
        if code == DUPLICATE_CODE:
            return Rejected(
                gettext("The network refused this post as a duplicate of one just published."), http_status=status
            )
        if code == 10 or (code is not None and 200 <= code <= 299):
            return Rejected(self._permission_reason(error), http_status=status)
        if code == BLOCKED_CODE:
            return Rejected(
                gettext("The network has temporarily blocked this action: %(reason)s") % {"reason": reason},
                http_status=status,
            )
        return None

    def _permission_reason(self, error: dict[str, Any]) -> str:
        found = PERMISSION_NAME.search(str(error.get("message", "")))
        if found:
            return gettext(
                "The %(account)s lacks the permission %(permission)s: reconnect it and grant that permission."
            ) % {"account": self.account_noun, "permission": found.group(1)}
        return gettext("The %(account)s lacks a permission this action needs (%(message)s).") % {
            "account": self.account_noun,
            "message": error.get("message", ""),
        }

    def publishing_failures(self) -> dict[int, tuple[type[AdapterError], str]]:
        """The network's own publishing subcodes (Instagram's 2207xxx), in words the team can act on."""
        return {}

    def failure_for(
        self, subcode: int | None, *, retry_after: float | None = None, http_status: int | None = None
    ) -> AdapterError | None:
        kind, reason = self.publishing_failures().get(subcode, (None, "")) if subcode else (None, "")
        if kind is None:
            return None
        if kind is RateLimited:  # a daily publishing cap: try again in an hour unless told otherwise
            return RateLimited(reason, retry_after=retry_after or 3600, http_status=http_status)
        return kind(reason, http_status=http_status)

    # Inbox --------------------------------------------------------------------------------------------------------

    def fetch_messages(self, cursor: dict[str, Any]) -> FetchPage:
        """Pages stop, before the call, once Graph said the allowance is nearly used (publishing goes on)."""
        self.wait_if_reads_paused()
        return super().fetch_messages(cursor)

    def wait_if_reads_paused(self) -> None:
        if self.pause_reads_for:
            raise RateLimited(
                gettext("The app has nearly used its allowance of calls to the network; reading waits a while."),
                retry_after=self.pause_reads_for,
            )

    def look_up_one(self, target) -> MessageState | None:
        """One comment by its id (Graph has no batch lookup that survives a missing id): code 100, subcode 33 once
        it is deleted. Reading stops, like the sync, when the allowance is nearly used."""
        self.wait_if_reads_paused()
        item = self.get_json(target.external_id, fields=self.recheck_fields)
        try:
            return self.comment_state(target.external_id, item)
        except MALFORMED as error:
            logger.warning("%s: unreadable comment %s: %r (%s)", self.network, target.external_id, item, error)
            return None

    def comment_state(self, external_id: str, item: dict[str, Any]) -> MessageState:
        """A comment the account hid is still there, kept answerable in the inbox: hidden is not deleted."""
        text = item.get(self.comment_text_field)
        hidden = {"hidden": self.is_hidden(item)}
        return MessageState(external_id, text=None if text is None else str(text), extra=hidden)

    def is_hidden(self, item: dict[str, Any]) -> bool:
        return bool(item.get("hidden"))

    def not_found(self, response: requests.Response) -> bool:
        """Graph's "Object with ID … does not exist": code 100 with subcode 33, whatever the HTTP status."""
        error = graph_error(response)
        return _int(error.get("code")) == 100 and _int(error.get("error_subcode")) == 33

    def fetch_comments(self, publication, position: str | None) -> tuple[list[FetchedMessage], str | None, bool]:
        """One page of a published post's comments after `position`: (messages, new position, more waiting)."""
        data = self.get_json(*self.comments_edge(publication), **self.comments_params(position))
        items = data.get("data") or []
        messages = [m for item in items for m in self.parse_safely(item, publication)]
        paging = data.get("paging") or {}
        after = (paging.get("cursors") or {}).get("after") if items else None
        return messages, after or position, bool(paging.get("next")) and bool(items)

    def comments_edge(self, publication) -> tuple[str, ...]:
        raise NotImplementedError

    def comments_params(self, position: str | None) -> dict[str, Any]:
        raise NotImplementedError


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def remember(publication, **values: Any) -> None:
    """Store per-network extras at once with an UPDATE: a retry after a crash must be able to read them."""
    publication.remember(**values)


def absolute_media_url(media) -> str:
    """Meta fetches media itself: a signed, expiring address that needs no session (publishing.media_links)."""
    return signed_media_url(media)


def facebook_login(network: str, *scopes: str) -> Provider:
    """Facebook Login, for Facebook Pages and the Instagram accounts linked to them: Meta's code exchange is a GET."""
    return Provider(
        network,
        f"https://www.facebook.com/{GRAPH_VERSION}/dialog/oauth",
        f"{GRAPH}/{GRAPH_VERSION}/oauth/access_token",
        GRAPH,
        scopes,
        scope_separator=",",
        token_method="GET",
    )


def meta_pages(prov, token: dict, fields: str) -> list[dict]:
    """The person's Pages, with Page tokens: asked with a long-lived user token, they do not expire."""
    params = {
        "grant_type": "fb_exchange_token",
        "client_id": prov.client_id,
        "client_secret": prov.client_secret,
        "fb_exchange_token": token["access_token"],
    }
    from publishing.oauth.flow import call

    graph = f"{prov.api_url}/{GRAPH_VERSION}"
    user_token = call("GET", f"{graph}/oauth/access_token", params=params)["access_token"]
    answer = call("GET", f"{graph}/me/accounts", params={"fields": fields, "access_token": user_token})
    pages = answer.get("data", [])
    for _more in range(GRAPH_MAX_PAGES):  # `paging.next` carries the token and the fields
        if not (following := answer.get("paging", {}).get("next")):
            break
        answer = call("GET", following)
        pages += answer.get("data", [])
    return pages
