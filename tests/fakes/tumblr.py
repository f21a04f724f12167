"""A fake Tumblr API v2: the OAuth 2 login and token endpoint (the refresh token rotates at every refresh), the user's
blogs, NPF posts (JSON, or multipart with a `json` part and one part per uploaded image), published now or into the
blog's queue (a queued post gets a new id when it goes out, the old one kept as `genesis_post_id`), the blog's posts
and queue, notifications (replies and reblogs of the museum's posts), and Tumblr's `{meta, response, errors}` bodies.
Like Tumblr, it has no idempotency key and no reply endpoint. Notes and the blog's counts are in tumblr_metrics.py.

`old_refresh_valid_once`: after a rotation the refresh token it replaced still works one more time (the grace a
worker killed between receiving and storing a new token needs); off, a replaced refresh token is refused at once.
"""

import itertools
import json
import secrets
import time

from tests.fakes.base import FakeNetwork, Request, Response, route
from tests.fakes.oauth import CodeGrants
from tests.fakes.tumblr_metrics import TumblrMetricsFake


def tumblr_error(status: int, msg: str, code: int = 0, detail: str = "", headers: dict | None = None) -> Response:
    errors = [{"title": msg, "code": code or status, "detail": detail or msg}]
    return Response(status, {"meta": {"status": status, "msg": msg}, "response": [], "errors": errors}, headers or {})


def _ok(status: int, response) -> Response:
    meta = {"status": status, "msg": "OK" if status == 200 else "Created"}
    return Response(status, {"meta": meta, "response": response})


def _text(content: list[dict]) -> str:
    return "\n\n".join(block.get("text", "") for block in content if block.get("type") == "text")


def _alt_texts(content: list[dict]) -> list[str]:
    return [block["alt_text"] for block in content if block.get("alt_text")]


class FakeTumblr(TumblrMetricsFake, FakeNetwork):
    def __init__(self, *, client_id: str = "tumblr-client", client_secret: str = "tumblr-secret"):
        super().__init__()
        self.grants = CodeGrants(client_id, client_secret)
        self.blog = {"name": "museemarceau", "uuid": "t:Mm4rc3auUu1d", "title": "Musée Marceau", "primary": True}
        self.blog |= {"url": "https://museemarceau.tumblr.com/", "followers": 5000, "type": "public"}
        self.ids = itertools.count(770_000_000_000_000_001)
        self.posts_by_id: dict[str, dict] = {}
        self.queue: list[dict] = []
        self.notifications: list[dict] = []
        self.access_tokens: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.replaced: dict[str, int] = {}  # a rotated-out refresh token → the uses it has left
        self.old_refresh_valid_once = False
        self.refreshes = 0
        self.clock = int(time.time()) - 3600

    # What tests use -----------------------------------------------------------------------------------------------

    def token(self) -> dict:
        access, refresh = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        self.access_tokens.add(access)
        self.refresh_tokens.add(refresh)
        scope = "basic write offline_access"
        return {"access_token": access, "expires_in": 2520, "refresh_token": refresh, "scope": scope,
                "token_type": "bearer", "id_token": False}  # fmt: skip

    def account_fields(self) -> dict:
        """What a SocialAccount needs to talk to this fake; the refresh grant also needs settings.SOCIAL_APPS["tumblr"]
        with this fake's client (`social_app()`)."""
        token = self.token()
        return {
            "network": "tumblr",
            "handle": self.blog["name"],
            "server_url": self.url,
            "external_id": self.blog["uuid"],
            "credentials": {"access_token": token["access_token"], "refresh_token": token["refresh_token"]},
        }

    def social_app(self) -> dict[str, str]:
        return self.grants.social_app(self.url, "/oauth2/authorize", "/v2/oauth2/token")

    def received_posts(self) -> list[dict]:
        """The museum's posts (queued ones included), each as {"id", "text", "alt_texts"}."""
        posts = sorted([*self.posts_by_id.values(), *self.queue], key=lambda p: p["created"])
        return [{"id": p["id"], "text": _text(p["content"]), "alt_texts": _alt_texts(p["content"])} for p in posts]

    def expire_access_tokens(self) -> None:
        self.access_tokens.clear()
        self.grants.tokens.clear()

    def revoke(self) -> None:
        self.expire_access_tokens()
        self.refresh_tokens.clear()
        self.replaced.clear()

    def publish_queue(self) -> list[dict]:
        """The blog's queue goes out: each post gets a new id and keeps the old one as `genesis_post_id`."""
        with self.lock:
            published = []
            for post in self.queue:
                new = {**post, "id": str(next(self.ids)), "genesis_post_id": post["id"], "state": "published"}
                self.posts_by_id[new["id"]] = new
                published.append(new)
            self.queue.clear()
            return published

    def _tick(self) -> int:
        self.clock += 1
        return self.clock

    def add_reply(self, post_id: str, text: str, *, who: str = "lea-visite") -> dict:
        return self._notify("reply", post_id, who, reply_text=text, post_id=post_id)

    def add_reblog(self, post_id: str, comment: str, *, who: str = "archi-fan") -> dict:
        return self._notify("reblog_with_content", post_id, who, added_text=comment, post_id=str(next(self.ids)))

    def _notify(self, kind: str, target: str, who: str, **fields) -> dict:
        note = {"id": secrets.token_hex(8), "type": kind, "timestamp": self._tick(), "unread": True,
                "target_post_id": target, "target_tumblelog_name": self.blog["name"], "from_tumblelog_name": who,
                **fields}  # fmt: skip
        with self.lock:
            self.notifications.append(note)
        return note

    # Auth ---------------------------------------------------------------------------------------------------------

    @route("GET", r"/oauth2/authorize")
    def authorize(self, request: Request) -> Response:
        return self.grants.authorize(request)

    @route("POST", r"/v2/oauth2/token")
    def oauth_token(self, request: Request) -> Response:
        form = request.fields()
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if self.grants.clients.get(client_id) != secret:
            return Response(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        if form.get("grant_type") == "authorization_code":
            _asked, refusal = self.grants.redeem(form, client_id, secret)
            if refusal:
                return Response(400, {"error": "invalid_grant", "error_description": "Invalid authorization code"})
            return Response(200, self.token())
        if form.get("grant_type") == "refresh_token":
            return self._refresh(form.get("refresh_token", ""))
        return Response(400, {"error": "unsupported_grant_type"})

    def _refresh(self, refresh: str) -> Response:
        with self.lock:
            if refresh in self.refresh_tokens:
                self.refresh_tokens.discard(refresh)
                if self.old_refresh_valid_once:
                    self.replaced[refresh] = 1
            elif self.replaced.get(refresh, 0) > 0:
                self.replaced[refresh] -= 1
            else:
                return Response(401, {"error": "invalid_grant", "error_description": "Refresh token is invalid"})
            self.refreshes += 1
            return Response(200, self.token())

    def _check(self, request: Request) -> Response | None:
        token = request.bearer()
        if token not in self.access_tokens:
            return tumblr_error(401, "Unauthorized")
        return None

    def _blog(self, blog: str) -> Response | None:
        if blog not in (self.blog["name"], self.blog["uuid"], f"{self.blog['name']}.tumblr.com"):
            return tumblr_error(404, "Not Found")
        return None

    @route("GET", r"/v2/user/info")
    def user_info(self, request: Request) -> Response:
        if denied := self._check(request):
            return denied
        user = {"name": self.blog["name"], "likes": 0, "following": 10, "blogs": [self.blog]}
        return _ok(200, {"user": user})

    # Posts --------------------------------------------------------------------------------------------------------

    @route("POST", r"/v2/blog/(?P<blog>[^/]+)/posts")
    def create_post(self, request: Request, blog: str) -> Response:
        if denied := self._check(request) or self._blog(blog):
            return denied
        if request.headers.get("content-type", "").startswith("multipart/"):
            parts = request.multipart()
            body, files = json.loads(parts.pop("json").data), parts
        else:
            body, files = request.json(), {}
        refusal = self._refusal(body, files)
        if refusal:
            return refusal
        post = {
            "id": str(next(self.ids)),
            "content": body["content"],
            "tags": [t for t in (body.get("tags") or "").split(",") if t],
            "state": body.get("state") or "published",
            "created": self._tick(),
            "genesis_post_id": None,
        }
        with self.lock:
            if post["state"] == "queue":
                self.queue.append(post)
            else:
                self.posts_by_id[post["id"]] = post
        return _ok(201, {"id": post["id"], "state": post["state"], "display_text": "Posted."})

    def _refusal(self, body: dict, files: dict) -> Response | None:
        content = body.get("content")
        if not isinstance(content, list) or not content:
            return tumblr_error(400, "Bad Request", 8001, "Invalid NPF JSON")
        for block in content:
            if block.get("type") == "text" and len(block.get("text", "")) > 4096:
                return tumblr_error(400, "Bad Request", 8001, "Text block too long")
            if block.get("type") == "image":
                identifiers = [m.get("identifier") for m in block.get("media") or []]
                if any(i and i not in files for i in identifiers):
                    return tumblr_error(400, "Bad Request", 8005, "Media not found in the request")
        if body.get("state") == "queue" and len(self.queue) >= 1000:
            return tumblr_error(403, "Forbidden", 8022, "Your queue is full")
        return None

    def _public(self, post: dict) -> dict:
        public = {
            "id": post["id"],
            "id_string": post["id"],
            "blog_name": self.blog["name"],
            "post_url": f"https://www.tumblr.com/{self.blog['name']}/{post['id']}",
            "timestamp": post["created"],
            "state": post["state"],
            "content": post["content"],
            "tags": post["tags"],
            "note_count": self.note_count(post["id"]),
        }
        return public | ({"genesis_post_id": post["genesis_post_id"]} if post.get("genesis_post_id") else {})

    @route("GET", r"/v2/blog/(?P<blog>[^/]+)/posts")
    def list_posts(self, request: Request, blog: str) -> Response:
        if denied := self._check(request) or self._blog(blog):
            return denied
        wanted = request.query.get("id", [""])[0]
        posts = sorted(self.posts_by_id.values(), key=lambda p: -p["created"])
        if wanted:
            posts = [p for p in posts if p["id"] == wanted]
            if not posts:
                return tumblr_error(404, "Not Found")
        limit = int(request.query.get("limit", ["20"])[0])
        return _ok(200, {"posts": [self._public(p) for p in posts[:limit]], "total_posts": len(posts)})

    @route("GET", r"/v2/blog/(?P<blog>[^/]+)/posts/queue")
    def list_queue(self, request: Request, blog: str) -> Response:
        if denied := self._check(request) or self._blog(blog):
            return denied
        return _ok(200, {"posts": [self._public(p) for p in self.queue]})

    # Notifications ------------------------------------------------------------------------------------------------

    @route("GET", r"/v2/blog/(?P<blog>[^/]+)/notifications")
    def notifications(self, request: Request, blog: str) -> Response:
        if denied := self._check(request) or self._blog(blog):
            return denied
        types = set(request.query.get("types[]", []))
        before = int(request.query.get("before", [str(2**62)])[0])
        found = [
            n for n in reversed(self.notifications) if n["timestamp"] < before and (not types or n["type"] in types)
        ]
        page, more = found[:20], len(found) > 20
        links = {}
        if more:
            query = {"before": str(page[-1]["timestamp"])}
            links = {"next": {"href": f"/v2/blog/{blog}/notifications?before={query['before']}", "query_params": query}}
        return _ok(200, {"notifications": page, "_links": links} if links else {"notifications": page})
