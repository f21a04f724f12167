"""What the fake Facebook, Instagram and Threads servers share: the Graph error body, token checks, ids,
comments paged with real cursors (`paging.cursors.after`, `paging.next`), the container → publish flow, and Facebook
Login (the OAuth dialog, code and long-lived token exchanges, `/me/accounts`).
"""

import base64
import email.parser
import email.policy
import io
import itertools
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from tests.fakes.base import FakeNetwork, Request, Response, route
from tests.fakes.oauth import CodeGrants

V = r"/v\d+\.\d+"
GRAPH_TIME = "%Y-%m-%dT%H:%M:%S+0000"


def jpeg_media(post, *, width: int = 1080, height: int = 1080, **kwargs):
    """A real JPEG of a post, with alt text (Instagram takes JPEG only)."""
    from django.core.files.base import ContentFile
    from PIL import Image

    from tests.factories import MediaFactory

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#c9a227").save(buffer, format="JPEG")
    file = ContentFile(buffer.getvalue(), name="joconde.jpg")
    return MediaFactory(post=post, file=file, content_type="image/jpeg", width=width, height=height, **kwargs)


def fetched_media(url: str) -> bytes:
    """What a network's servers get from the media link we sent them: an anonymous request to our app."""
    from django.conf import settings
    from django.test import Client

    assert url.startswith(f"{settings.SITE_URL}/"), url
    response = Client().get(url.removeprefix(settings.SITE_URL))
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def graph_error(
    code: int,
    message: str,
    *,
    status: int = 400,
    subcode: int | None = None,
    title: str | None = None,
    user_msg: str | None = None,
    headers: dict[str, str] | None = None,
    transient: bool = False,
) -> Response:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf123"}
    if subcode is not None:
        error["error_subcode"] = subcode
    if title:
        error["error_user_title"] = title
    if user_msg:
        error["error_user_msg"] = user_msg
    if transient:
        error["is_transient"] = True
    return Response(status, {"error": error}, headers or {})


def token_expired() -> Response:
    return graph_error(
        190, "Error validating access token: Session has expired on Friday, 21-Nov-26 10:00:00 PST.", subcode=463
    )


def code_refused(refusal: str) -> Response:
    """Graph's answers to a code exchange it refuses (`CodeGrants.redeem`'s reasons)."""
    if refusal == "invalid_client":
        return graph_error(1, "Error validating client secret.")
    if refusal == "used_code":
        return graph_error(100, "This authorization code has been used.", subcode=36009)
    if refusal == "redirect_mismatch":
        return graph_error(
            100,
            "Error validating verification code. Please make sure your redirect_uri is identical to the one you used "
            "in the OAuth dialog request",
            subcode=36008,
        )
    return graph_error(100, "Invalid verification code format.")


def top_level_fields(spec: str) -> set[str]:
    """`id,name,instagram_business_account{id,username}` → {"id", "name", "instagram_business_account"}."""
    while "{" in spec:
        spec = re.sub(r"\{[^{}]*\}", "", spec)
    return {name.strip() for name in spec.split(",") if name.strip()}


def usage_header(minutes: int, kind: str = "pages", *, percent: int = 100) -> dict[str, str]:
    usage = {
        "1234567890": [
            {
                "type": kind,
                "call_count": percent,
                "total_cputime": 40,
                "total_time": 60,
                "estimated_time_to_regain_access": minutes,
            }
        ]
    }
    return {"X-Business-Use-Case-Usage": json.dumps(usage)}


def graph_time(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).strftime(GRAPH_TIME)


def fields(request: Request) -> dict[str, Any]:
    """Query, JSON, form or multipart fields as one dict (files as bytes)."""
    values: dict[str, Any] = {key: items[-1] for key, items in request.query.items()}
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        values.update(request.json() or {})
    elif kind.startswith("multipart/form-data"):
        values.update(_multipart(request.body, kind))
    elif request.body:
        values.update({key: items[-1] for key, items in request.form().items()})
    return values


def _multipart(body: bytes, kind: str) -> dict[str, Any]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {kind}\r\n\r\n".encode() + body
    )
    parts = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        parts[name] = payload if part.get_filename() else payload.decode()
    return parts


def encode_cursor(index: int) -> str:
    return base64.urlsafe_b64encode(f"position:{index}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    return int(base64.urlsafe_b64decode(cursor.encode()).decode().split(":")[1])


class FakeGraph(FakeNetwork):
    """A Graph API host: checks the Bearer token, numbers objects, pages lists with cursors."""

    network = ""
    client_id, client_secret = "meta-app-id", "meta-app-secret"
    # The login's own endpoints check the client and the codes themselves, not a bearer token.
    login_paths = re.compile(
        rf"/refresh_access_token|/access_token|/oauth/authorize|/oauth/access_token|{V}/dialog/oauth|{V}/oauth/access_token"
    )

    def __init__(self, *, user_id: str = "17841400000000001", token: str = "good-token", handle: str = "museum"):
        super().__init__()
        self.user_id, self.token, self.handle = user_id, token, handle
        self.grants = CodeGrants(self.client_id, self.client_secret)  # tokens issued by the login are valid too
        self.accounts: dict[str, str] = {user_id: handle}  # every account this host serves: id → handle
        self.comments: dict[str, list[dict[str, Any]]] = {}  # object id → comments, oldest first
        self.replies: list[dict[str, Any]] = []  # what the museum answered, as received
        self._ids = itertools.count(1001)
        self.max_page: int | None = None  # cap on `limit`: lets a test page through a few comments
        self.usage_headers: dict[str, str] = {}  # sent with every answer (e.g. usage_header(0, percent=97))

    def new_id(self) -> str:
        return str(next(self._ids))

    def account_fields(self, user_id: str | None = None) -> dict[str, Any]:
        """What a SocialAccount needs to talk to this fake: `SocialAccountFactory(**fake.account_fields())`."""
        user_id = user_id or self.user_id
        return {
            "network": self.network,
            "handle": self.accounts[user_id],
            "server_url": self.url,
            "external_id": user_id,
            "credentials": {"access_token": self.token},
        }

    def add_account(self, handle: str | None = None) -> dict[str, Any]:
        """Another account on the same host (benchmarks spread many accounts over one fake): its account_fields."""
        with self.lock:
            user_id = str(int(self.user_id) + len(self.accounts))
            self.accounts[user_id] = handle or f"{self.handle}{len(self.accounts)}"
        return self.account_fields(user_id)

    def dispatch(self, request: Request) -> Response:
        given = {
            request.headers.get("authorization", "").removeprefix("Bearer "),
            *request.query.get("access_token", []),
        }
        if not self.login_paths.fullmatch(request.path) and not given & {self.token, *self.grants.tokens}:
            return token_expired()
        response = super().dispatch(request)
        response.headers = {**self.usage_headers, **response.headers}
        return response

    def page(self, request: Request, items: list[dict[str, Any]], default_limit: int = 25) -> dict[str, Any]:
        after = request.query.get("after", [""])[0]
        start = decode_cursor(after) + 1 if after else 0
        limit = int(request.query.get("limit", [default_limit])[0])
        limit = min(limit, self.max_page or limit)
        chunk = items[start : start + limit]
        if not chunk:
            return {"data": []}
        paging: dict[str, Any] = {
            "cursors": {"before": encode_cursor(start), "after": encode_cursor(start + len(chunk) - 1)}
        }
        if start + limit < len(items):
            query = {key: values[-1] for key, values in request.query.items()} | {"after": paging["cursors"]["after"]}
            paging["next"] = f"{self.url}{request.path}?{urlencode(query)}"
        return {"data": chunk, "paging": paging}

    def add_comment(
        self,
        on: str,
        text: str,
        *,
        parent: str | None = None,
        username: str = "visitor",
        user_id: str = "5550001",
        minutes_ago: float = 0,
        **raw: Any,
    ) -> dict[str, Any]:
        """A visitor's comment on a post (or a reply to one, with `parent`); `raw` overrides or breaks fields."""
        comment = {
            "id": self.new_id(),
            "text": text,
            "parent": parent,
            "username": username,
            "user_id": user_id,
            "created": datetime.now(UTC) - timedelta(minutes=minutes_ago),
            "raw": raw,
        }
        self.comments.setdefault(on, []).append(comment)
        return comment

    def find_comment(self, comment_id: str) -> tuple[str, dict[str, Any]] | None:
        for on, comments in self.comments.items():
            for comment in comments:
                if comment["id"] == comment_id:
                    return on, comment
        return None

    def edit_comment(self, comment_id: str, text: str) -> None:
        """The visitor edits the comment: same id, new text."""
        with self.lock:
            self.find_comment(comment_id)[1]["text"] = text

    def delete_comment(self, comment_id: str) -> None:
        """The visitor deletes the comment: `GET /{comment-id}` then answers code 100, subcode 33."""
        with self.lock:
            on, comment = self.find_comment(comment_id)
            self.comments[on].remove(comment)

    def comment_object(self, request: Request, object_id: str) -> Response | None:
        """`GET /{comment-id}?fields=…`: the comment with the fields asked for (Graph always adds the id)."""
        found = self.find_comment(object_id)
        if found is None:
            return None
        item = self.shape_alone(found[1], found[0])
        wanted = top_level_fields(request.query.get("fields", ["id"])[0]) | {"id"}
        return Response(200, {key: value for key, value in item.items() if key in wanted})

    def shape_alone(self, comment: dict[str, Any], on: str) -> dict[str, Any]:
        """A comment as its own node shows it (each network's fake has its own `shape`)."""
        return self.shape(comment)


class FacebookLogin:
    """Facebook Login on a Graph host (for Facebook Pages, and for Instagram through Facebook Login): the OAuth dialog,
    `GET /oauth/access_token` for the code and for the long-lived `fb_exchange_token`, and `/me/accounts` listing the
    person's Pages (with their Page tokens) from `pages()`. Mixed into a FakeGraph."""

    def social_app(self) -> dict[str, str]:
        """The SOCIAL_APPS entry for Facebook Login on this fake."""
        return self.grants.social_app(self.url, "/v23.0/dialog/oauth", "/v23.0/oauth/access_token")

    @route("GET", f"{V}/dialog/oauth")
    def login_dialog(self, request: Request) -> Response:
        return self.grants.authorize(request)

    @route("GET", f"{V}/oauth/access_token")
    def login_token(self, request: Request) -> Response:
        query = {key: values[-1] for key, values in request.query.items()}
        client_id, secret = query.get("client_id", ""), query.get("client_secret", "")
        if query.get("grant_type") == "fb_exchange_token":
            if self.grants.clients.get(client_id) != secret:
                return code_refused("invalid_client")
            if query.get("fb_exchange_token") not in self.grants.tokens:
                return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
            return Response(
                200, {"access_token": self.grants.issue("long"), "token_type": "bearer", "expires_in": 5183944}
            )
        _asked, refusal = self.grants.redeem(query, client_id, secret)
        if refusal:
            return code_refused(refusal)
        return Response(200, {"access_token": self.grants.issue("short"), "token_type": "bearer", "expires_in": 5183})

    @route("GET", f"{V}/me/accounts")
    def login_pages(self, request: Request) -> Response:
        wanted = top_level_fields(request.query.get("fields", ["id,name,access_token,category,tasks"])[0])
        pages = [{key: value for key, value in page.items() if key in wanted} for page in self.pages()]
        return Response(200, self.page(request, pages))

    def page_entry(self, page_id: str, name: str) -> dict[str, Any]:
        """A Page as `/me/accounts` lists it, with the Page token this fake accepts."""
        picture = {
            "height": 50,
            "width": 50,
            "is_silhouette": False,
            "url": f"https://scontent.xx.fbcdn.net/{page_id}.jpg",
        }
        return {
            "id": page_id,
            "name": name,
            "access_token": self.token,
            "category": "Museum",
            "tasks": ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"],
            "picture": {"data": picture},
        }


class FakeGraphContainers(FakeGraph):
    """Instagram's and Threads' container flow: a container is IN_PROGRESS for `polls_in_progress` status reads,
    then FINISHED (or `container_outcome`), then PUBLISHED once published."""

    create_edge = "media"
    publish_edge = "media_publish"
    status_key = "status_code"
    detail_key = "status"
    list_edge = "media"
    text_field = "caption"
    quota_edge = "content_publishing_limit"
    refresh_grant = "ig_refresh_token"
    permalink_base = "https://www.instagram.com/p/"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.containers: dict[str, dict[str, Any]] = {}
        self.media: list[dict[str, Any]] = []  # published posts, oldest first
        self.polls_in_progress = 0
        self.container_outcome: tuple[str, str] | None = None  # e.g. ("ERROR", "…2207026")
        self.quota_total = 100

    @route("POST", f"{V}/(?P<owner>[^/]+)/(?P<edge>[a-z_]+)")
    def post_edge(self, request: Request, owner: str, edge: str) -> Response:
        if edge == self.create_edge and owner in self.accounts:
            return self.create(fields(request), owner)
        if edge == self.publish_edge and owner in self.accounts:
            return self.publish(str(fields(request).get("creation_id")), owner)
        return self.post_other(request, owner, edge)

    def post_other(self, request: Request, owner: str, edge: str) -> Response:
        return graph_error(100, f"Unsupported post request. Object with ID '{owner}' does not exist", subcode=33)

    def create(self, values: dict[str, Any], owner: str) -> Response:
        container = {
            "owner": owner,
            "id": self.new_id(),
            "fields": values,
            "status": "IN_PROGRESS",
            "detail": "",
            "polls_left": self.polls_in_progress,
        }
        with self.lock:
            self.containers[container["id"]] = container
        return Response(200, {"id": container["id"]})

    def publish(self, creation_id: str, owner: str) -> Response:
        with self.lock:
            container = self.containers.get(creation_id)
            if container is None or container["owner"] != owner or container["status"] != "FINISHED":
                return graph_error(
                    9007,
                    "Media ID is not available",
                    subcode=2207027,
                    title="Media not ready for publishing",
                    user_msg="The media is not ready for publishing, please wait for a moment",
                )
            container["status"] = "PUBLISHED"
            post = self.published(container)
            self.media.append(post)
        return Response(200, {"id": post["id"]})

    def published(self, container: dict[str, Any]) -> dict[str, Any]:
        values = container["fields"]
        children = [self.containers[c]["fields"] for c in str(values.get("children") or "").split(",") if c]
        media_id = self.new_id()
        return {
            "id": media_id,
            "owner": container["owner"],
            "container": container["id"],
            "text": values.get(self.text_field, ""),
            "fields": values,
            "children": children,
            "permalink": f"{self.permalink_base}{media_id}/",
            "timestamp": graph_time(),
        }

    @route("GET", f"{V}/(?P<object_id>[^/]+)")
    def get_object(self, request: Request, object_id: str) -> Response:
        with self.lock:
            if object_id in self.containers:
                return Response(200, self.read_status(self.containers[object_id]))
            for post in self.media:
                if post["id"] == object_id:
                    return Response(200, {"id": post["id"], "permalink": post["permalink"]})
            comment = self.comment_object(request, object_id)
        if comment is not None:
            return comment
        return graph_error(100, f"Unsupported get request. Object with ID '{object_id}' does not exist", subcode=33)

    def read_status(self, container: dict[str, Any]) -> dict[str, Any]:
        if container["status"] == "IN_PROGRESS":
            if container["polls_left"] > 0:
                container["polls_left"] -= 1
            else:
                container["status"], container["detail"] = self.container_outcome or ("FINISHED", "")
        return {"id": container["id"], self.status_key: container["status"], self.detail_key: container["detail"]}

    @route("GET", f"{V}/(?P<owner>[^/]+)/(?P<edge>[a-z_]+)")
    def get_edge(self, request: Request, owner: str, edge: str) -> Response:
        if edge == self.list_edge and owner in self.accounts:
            items = [
                {"id": p["id"], self.text_field: p["text"], "permalink": p["permalink"], "timestamp": p["timestamp"]}
                for p in reversed(self.media)
                if p["owner"] == owner
            ]
            return Response(200, self.page(request, items))
        if edge == self.quota_edge and owner in self.accounts:
            config = {"quota_total": self.quota_total, "quota_duration": 86400}
            return Response(
                200, {"data": [{"quota_usage": sum(p["owner"] == owner for p in self.media), "config": config}]}
            )
        return self.get_comments(request, owner, edge)

    def get_comments(self, request: Request, owner: str, edge: str) -> Response:
        raise NotImplementedError

    def received_posts(self, account: str | None = None) -> list[dict[str, Any]]:
        """The posts published (replies aside; of one account if given), each as {"id", "text", "alt_texts"}."""
        posts = []
        for post in self.media:
            if post["fields"].get("reply_to_id") or account not in (None, post["owner"]):
                continue
            items = post["children"] or [post["fields"]]
            alt_texts = [item["alt_text"] for item in items if item.get("alt_text")]
            posts.append({"id": post["id"], "text": post["text"], "alt_texts": alt_texts})
        return posts

    def add_post(self, text: str = "Un post déjà publié", owner: str | None = None) -> str:
        """A post published earlier (through the real flow): returns its media id."""
        owner = owner or self.user_id
        container = self.create({self.text_field: text, "media_type": "TEXT"}, owner).body["id"]
        self.containers[container]["status"] = "FINISHED"
        return self.publish(container, owner).body["id"]

    @route("GET", "/refresh_access_token")
    def refresh(self, request: Request) -> Response:
        if request.query.get("grant_type") != [self.refresh_grant] or request.query.get("access_token") != [self.token]:
            return token_expired()
        self.token = f"{self.token}-renewed"
        return Response(200, {"access_token": self.token, "token_type": "bearer", "expires_in": 5183944})
