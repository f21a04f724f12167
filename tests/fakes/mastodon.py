"""A fake Mastodon instance: the client API endpoints our adapter calls, with Mastodon's shapes and errors.

It honours `Idempotency-Key` (the same key returns the same status), processes media asynchronously when asked
(`processing_polls`), counts text the way Mastodon does (URLs as 23), and serves mentions from `notifications`,
which tests fill with `add_mention`. It also registers apps and grants tokens (`/api/v1/apps`, `/oauth/…`).

Options make it bend the contract as other servers of this API do; Takahē did every one (`FakeMastodon.takahe()`):
`ignore_idempotency` (a second status for the same key), `rewrite_mentions` (`@user@domain` shown as `@user`, links
shown without scheme and shortened), `count_links_in_full` (advertises 23 per URL, counts every character),
`invalid_token_400` (a revoked token answered 400 "Invalid Bearer token"), `html_404` (a deleted status answers an
HTML page), `scopes_supported` (advertised at `/.well-known/oauth-authorization-server`; None: not advertised) and
`broad_scopes_only` (`verify_credentials` accepts only the broad `read` scope).
"""

import html
import itertools
import re
from datetime import UTC, datetime, timedelta

import grapheme

from tests.fakes.base import FakeNetwork, Request, Response, route
from tests.fakes.mastodon_metrics import MastodonMetricsFake
from tests.fakes.oauth import CodeGrants

URL = re.compile(r"https?://\S+")
MENTION = re.compile(r"(?<![=/\w])@(\w+)@([\w.-]+\w)")
MASTODON_VERSION = "4.3.0"
TAKAHE_VERSION = "4.0.0 (compatible; Takahe 0.11.0)"
GRANULAR_SCOPES = ["read", "write", "profile", "read:accounts", "read:notifications", "read:statuses"]
GRANULAR_SCOPES += ["write:media", "write:statuses"]


def render(text: str) -> str:
    """Mastodon's HTML for a plain-text status: escaped, paragraphs, links shortened with invisible spans."""

    def link(match):
        url = match.group(0)
        scheme, _sep, rest = url.partition("://")
        shown, hidden = rest[:30], rest[30:]
        return (
            f'<a href="{url}" rel="nofollow noopener" target="_blank"><span class="invisible">{scheme}://</span>'
            f'<span class="ellipsis">{shown}</span><span class="invisible">{hidden}</span></a>'
        )

    paragraphs = html.escape(text).split("\n\n")
    return "".join(f"<p>{URL.sub(link, p).replace(chr(10), '<br />')}</p>" for p in paragraphs)


def render_rewritten(text: str) -> str:
    """How Takahē shows a status: remote mentions as local ones, links without scheme and shortened."""

    def link(match):
        url = match.group(0)
        shown = url.split("://", 1)[-1].rstrip("/")
        return f'<a href="{url}" rel="nofollow">{shown[:25] + "…" if len(shown) > 26 else shown}</a>'

    def mention(match):
        user, domain = match.groups()
        return f'<span class="h-card"><a href="https://{domain}/@{user}" class="u-url mention">@{user}</a></span>'

    paragraphs = html.escape(text, quote=False).split("\n\n")
    return "".join(f"<p>{MENTION.sub(mention, URL.sub(link, p)).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class FakeMastodon(MastodonMetricsFake, FakeNetwork):
    def __init__(
        self,
        *,
        token: str = "mastodon-token",
        max_characters: int = 500,
        version: str = MASTODON_VERSION,
        ignore_idempotency: bool = False,
        rewrite_mentions: bool = False,
        count_links_in_full: bool = False,
        invalid_token_400: bool = False,
        html_404: bool = False,
        scopes_supported: list[str] | None = None,
        broad_scopes_only: bool = False,
    ):
        super().__init__()
        self.tokens = {token}
        self.token = token
        self.max_characters = max_characters
        self.version = version
        self.ignore_idempotency = ignore_idempotency
        self.rewrite_mentions = rewrite_mentions
        self.count_links_in_full = count_links_in_full
        self.invalid_token_400 = invalid_token_400
        self.html_404 = html_404
        self.scopes_supported = scopes_supported
        self.broad_scopes_only = broad_scopes_only
        self.grants = CodeGrants("none", "none")
        self.apps: dict[str, dict] = {}  # client id → what was registered
        self.token_scopes: dict[str, set[str]] = {token: {"read", "write"}}
        self.revoked: set[str] = set()
        self.processing_polls = 0  # how many GET /media/:id answer 206 before the file is ready
        self.ids = itertools.count(110_000_000_000_000_001)
        self.account = {"id": "109000000000000001", "username": "museum", "acct": "museum", "display_name": "Musée"}
        self.statuses: list[dict] = []  # every status, ours and the visitors', in creation order
        self.media: dict[str, dict] = {}
        self.notifications: list[dict] = []
        self.by_key: dict[str, dict] = {}

    @classmethod
    def takahe(cls, **options) -> "FakeMastodon":
        """Every way Takahē was seen to differ from Mastodon's documented contract."""
        defaults = {"ignore_idempotency": True, "rewrite_mentions": True, "count_links_in_full": True}
        defaults |= {"invalid_token_400": True, "html_404": True, "broad_scopes_only": True, "version": TAKAHE_VERSION}
        return cls(**defaults | options)

    # What tests read and fill -------------------------------------------------------------------------------------

    def posts(self) -> list[dict]:
        """Statuses the museum's account created."""
        return [s for s in self.statuses if s["account"]["id"] == self.account["id"]]

    def account_fields(self, handle: str = "museum@fake.social") -> dict:
        """What a SocialAccount needs to talk to this fake: `SocialAccountFactory(**fake.account_fields())`."""
        return {
            "network": "mastodon",
            "handle": handle,
            "server_url": self.url,
            "external_id": self.account["id"],
            "credentials": {"access_token": self.token},
        }

    def received_posts(self) -> list[dict]:
        """The museum's posts (replies aside), each as {"id", "text", "alt_texts"}: what a test asserts on."""
        return [
            {"id": s["id"], "text": s["sent"], "alt_texts": [m["description"] for m in s["media_attachments"]]}
            for s in self.posts()
            if not s["in_reply_to_id"]
        ]

    def add_mention(self, text: str, *, in_reply_to: str | None = None, acct: str = "visitor@example.social", **extra):
        """A visitor's status mentioning (or replying to) the museum, and its notification."""
        author = {"id": str(next(self.ids)), "acct": acct, "display_name": acct.split("@")[0].title(), "avatar": ""}
        parent = next((s for s in self.statuses if s["id"] == in_reply_to), None)
        status = self._status(f"<p>{text}</p>", author, parent)
        status.update(extra)
        notification = {"id": str(len(self.notifications) + 1), "type": "mention", "created_at": _now()}
        self.notifications.append({**notification, "account": author, "status": status})
        return status

    def expire_token(self) -> None:
        self.tokens.clear()

    def revoke_token(self, token: str | None = None) -> None:
        self.tokens.discard(token or self.token)
        self.revoked.add(token or self.token)

    def edit_status(self, status_id: str, text: str) -> None:
        """The author edits the status: same id, new content, `edited_at` set (as Mastodon 3.5+ does)."""
        with self.lock:
            status = self._find(status_id)
            status["content"], status["edited_at"] = render(text), _now()

    def delete_status(self, status_id: str) -> None:
        """The author deletes the status: it and its notification are gone."""
        with self.lock:
            self.statuses = [s for s in self.statuses if s["id"] != status_id]
            self.notifications = [n for n in self.notifications if n["status"]["id"] != status_id]

    # Endpoints ----------------------------------------------------------------------------------------------------

    def _unauthorized(self, request: Request) -> Response | None:
        if request.bearer() not in self.tokens:
            if self.invalid_token_400:
                return Response(400, {"error": "Invalid Bearer token"})
            return Response(401, {"error": "The access token is invalid"})
        return None

    def _not_found(self) -> Response:
        if self.html_404:
            page = "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>"
            return Response(404, page, {"Content-Type": "text/html; charset=utf-8"})
        return Response(404, {"error": "Record not found"})

    @route("GET", r"/api/v2/instance")
    def instance(self, request):
        return Response(
            200,
            {
                "domain": "fake.social",
                "version": self.version,
                "configuration": {
                    "statuses": {
                        "max_characters": self.max_characters,
                        "max_media_attachments": 4,
                        "characters_reserved_per_url": 23,
                    },
                    "media_attachments": {
                        "supported_mime_types": ["image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4"],
                        "image_size_limit": 16777216,
                        "video_size_limit": 103809024,
                        "description_limit": 1500,
                    },
                },
            },
        )

    @route("GET", r"/api/v1/accounts/verify_credentials")
    def verify_credentials(self, request):
        if denied := self._unauthorized(request):
            return denied
        scopes = self.token_scopes.get(request.bearer(), set())
        accepted = {"read"} if self.broad_scopes_only else {"read", "read:accounts", "profile"}
        if not scopes & accepted:
            return Response(403, {"error": "out_of_scope_for_token"})
        return Response(200, self.account)

    # Apps and tokens ----------------------------------------------------------------------------------------------

    @route("GET", r"/.well-known/oauth-authorization-server")
    def authorization_server(self, request):
        if self.scopes_supported is None:
            return Response(404, "<html><body>Not Found</body></html>", {"Content-Type": "text/html"})
        return Response(200, {"issuer": self.url, "scopes_supported": self.scopes_supported})

    @route("POST", r"/api/v1/apps")
    def register_app(self, request):
        fields = request.fields()
        client_id, secret = f"app-{len(self.apps) + 1}", f"secret-{len(self.apps) + 1}"
        with self.lock:
            self.apps[client_id] = {**fields, "scopes": set(fields.get("scopes", "read").split())}
            self.grants.clients[client_id] = secret
        return Response(200, {"name": fields.get("client_name"), "client_id": client_id, "client_secret": secret})

    @route("GET", r"/oauth/authorize")
    def authorize(self, request):
        app = self.apps.get(request.query.get("client_id", [""])[0])
        asked = set(request.query.get("scope", ["read"])[0].split())
        if app is None or not asked <= app["scopes"]:
            return Response(400, "<html><body>The requested scope is invalid, unknown, or malformed.</body></html>")
        return self.grants.authorize(request)

    @route("POST", r"/oauth/token")
    def token_grant(self, request):
        form = request.fields()
        asked, refusal = self.grants.redeem(form, form.get("client_id", ""), form.get("client_secret", ""))
        if refusal:
            return Response(400 if refusal != "invalid_client" else 401, {"error": "invalid_grant"})
        token = self.grants.issue()
        with self.lock:
            self.tokens.add(token)
            self.token_scopes[token] = set(asked.get("scope", "read").split())
        return Response(200, {"access_token": token, "token_type": "Bearer", "scope": asked.get("scope", "read")})

    @route("POST", r"/oauth/revoke")
    def revoke(self, request):
        form = request.fields()
        if self.grants.clients.get(form.get("client_id", "")) != form.get("client_secret"):
            return Response(403, {"error": "unauthorized_client"})
        self.revoke_token(form.get("token", ""))
        return Response(200, {})

    def live_tokens(self) -> set[str]:
        """Tokens granted by the authorize flow and not revoked."""
        return self.tokens & self.grants.tokens

    @route("POST", r"/api/v2/media")
    def upload_media(self, request):
        if denied := self._unauthorized(request):
            return denied
        parts = request.multipart()
        if "file" not in parts:
            return Response(422, {"error": "Validation failed: File can't be blank"})
        file, description = parts["file"], parts.get("description")
        with self.lock:
            media_id = str(next(self.ids))
            attachment = {
                "id": media_id,
                "type": "image" if file.content_type.startswith("image/") else "video",
                "url": None if self.processing_polls else f"{self.url}/media/{media_id}",
                "description": description.data.decode() if description else None,
                "content_type": file.content_type,
                "size": len(file.data),
                "polls_left": self.processing_polls,
            }
            self.media[media_id] = attachment
        return Response(202 if self.processing_polls else 200, self._public_media(attachment))

    @route("GET", r"/api/v1/media/(?P<media_id>\d+)")
    def get_media(self, request, media_id):
        attachment = self.media.get(media_id)
        if attachment is None:
            return Response(404, {"error": "Record not found"})
        with self.lock:
            if attachment["polls_left"] > 0:
                attachment["polls_left"] -= 1
                return Response(206, self._public_media(attachment))
            attachment["url"] = f"{self.url}/media/{media_id}"
        return Response(200, self._public_media(attachment))

    @route("POST", r"/api/v1/statuses")
    def create_status(self, request):
        if denied := self._unauthorized(request):
            return denied
        fields = request.fields()
        key = request.headers.get("idempotency-key")
        with self.lock:
            if key and key in self.by_key and not self.ignore_idempotency:
                return Response(200, self.by_key[key])
            error = self._status_error(fields)
            if error:
                return Response(422, {"error": error})
            parent = next((s for s in self.statuses if s["id"] == str(fields.get("in_reply_to_id"))), None)
            if fields.get("in_reply_to_id") and parent is None:
                return Response(404, {"error": "Record not found"})
            shown = render_rewritten if self.rewrite_mentions else render
            status = self._status(shown(fields.get("status", "")), self.account, parent, fields)
            if key:
                self.by_key[key] = status
        return Response(200, status)

    @route("GET", r"/api/v1/accounts/(?P<account_id>\d+)/statuses")
    def account_statuses(self, request, account_id):
        if denied := self._unauthorized(request):
            return denied
        limit = int(request.query.get("limit", ["20"])[0])
        mine = [s for s in reversed(self.statuses) if s["account"]["id"] == account_id]
        return Response(200, mine[:limit])

    @route("GET", r"/api/v1/statuses/(?P<status_id>\d+)")
    def get_status(self, request, status_id):
        if denied := self._unauthorized(request):
            return denied
        status = self._find(status_id)
        if status is None:
            return self._not_found()
        return Response(200, self.counted(status))

    @route("GET", r"/api/v1/statuses/(?P<status_id>\d+)/context")
    def context(self, request, status_id):
        status = next((s for s in self.statuses if s["id"] == status_id), None)
        if status is None:
            return Response(404, {"error": "Record not found"})
        ancestors = []
        while status["in_reply_to_id"]:
            status = next(s for s in self.statuses if s["id"] == status["in_reply_to_id"])
            ancestors.insert(0, status)
        return Response(200, {"ancestors": ancestors, "descendants": []})

    @route("GET", r"/api/v1/notifications")
    def list_notifications(self, request):
        """Newest first; `min_id` gives the page just after it, `max_id` the page just before (Mastodon paging)."""
        if denied := self._unauthorized(request):
            return denied
        types = request.query.get("types[]")
        limit = min(int(request.query.get("limit", ["40"])[0]), 80)
        items = [n for n in self.notifications if not types or n["type"] in types]
        if "max_id" in request.query:
            items = [n for n in items if int(n["id"]) < int(request.query["max_id"][0])][-limit:]
        elif "min_id" in request.query:
            items = [n for n in items if int(n["id"]) > int(request.query["min_id"][0])][:limit]
        else:
            items = items[-limit:]
        page = list(reversed(items))
        headers = {}
        if page:
            base = f"{self.url}/api/v1/notifications?limit={limit}"
            headers["Link"] = (
                f'<{base}&max_id={page[-1]["id"]}>; rel="next", <{base}&min_id={page[0]["id"]}>; rel="prev"'
            )
        return Response(200, page, headers)

    # Helpers ------------------------------------------------------------------------------------------------------

    def _status_error(self, fields) -> str | None:
        text = fields.get("status", "")
        media_ids = fields.get("media_ids") or fields.get("media_ids[]") or []
        if not text.strip() and not media_ids:
            return "Validation failed: Text can't be blank"
        counted = text if self.count_links_in_full else URL.sub("x" * 23, text)
        if grapheme.length(counted) > self.max_characters:
            return f"Validation failed: Text character limit of {self.max_characters} exceeded"
        if len(media_ids) > 4:
            return "Validation failed: Media attachments exceed the limit of 4"
        for media_id in media_ids:
            attachment = self.media.get(str(media_id))
            if attachment is None:
                return "Validation failed: Media attachments are invalid"
            if attachment["url"] is None:
                return "Cannot attach files that have not finished processing. Try again in a moment!"
        return None

    def _status(self, content: str, author: dict, parent: dict | None, fields: dict | None = None) -> dict:
        status_id = str(next(self.ids))
        fields = fields or {}
        media_ids = fields.get("media_ids") or fields.get("media_ids[]") or []
        status = {
            "id": status_id,
            "created_at": _now(),
            "in_reply_to_id": parent["id"] if parent else None,
            "in_reply_to_account_id": parent["account"]["id"] if parent else None,
            "visibility": fields.get("visibility", "public"),
            "uri": f"{self.url}/users/{author['acct']}/statuses/{status_id}",
            "url": f"{self.url}/@{author['acct']}/{status_id}",
            "content": content,
            "edited_at": None,
            "sent": fields.get("status"),  # only for tests: the text as we sent it
            "account": author,
            "media_attachments": [self._public_media(self.media[str(m)]) for m in media_ids if str(m) in self.media],
        }
        self.statuses.append(status)
        return status

    def _find(self, status_id: str) -> dict | None:
        return next((s for s in self.statuses if s["id"] == status_id), None)

    def _public_media(self, attachment: dict) -> dict:
        return {k: v for k, v in attachment.items() if k not in {"polls_left", "size", "content_type"}}

    def backdate(self, status: dict, **delta) -> None:
        """Make a status look older (a weekly ritual's twin from last week)."""
        created = datetime.fromisoformat(status["created_at"].replace("Z", "+00:00")) - timedelta(**delta)
        status["created_at"] = created.isoformat(timespec="milliseconds").replace("+00:00", "Z")
