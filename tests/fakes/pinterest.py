"""A fake Pinterest API v5: the OAuth login and token endpoint (HTTP Basic client authentication, the refresh grant),
the user account, boards (paged by `bookmark`), Pins from base64 images, image URLs, carousels or an uploaded video
(media registration, the S3-style upload, the processing poll), a board's Pins, and Pinterest's `{code, message}`
errors. Like Pinterest, it has no idempotency key and no comment endpoints. The analytics are in pinterest_metrics.py.
"""

import base64
import itertools
import secrets
from datetime import UTC, datetime

from tests.fakes.base import FakeNetwork, Request, Response, route
from tests.fakes.oauth import CodeGrants
from tests.fakes.pinterest_metrics import PinterestMetricsFake

PAGE_SIZE = 25


def pinterest_error(status: int, code: int, message: str, headers: dict | None = None) -> Response:
    return Response(status, {"code": code, "message": message}, headers or {})


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")


class FakePinterest(PinterestMetricsFake, FakeNetwork):
    def __init__(self, *, client_id: str = "pinterest-client", client_secret: str = "pinterest-secret"):
        super().__init__()
        self.grants = CodeGrants(client_id, client_secret)
        self.client_id, self.client_secret = client_id, client_secret
        self.user = {"account_type": "BUSINESS", "id": "5400000000001", "username": "museemarceau"}
        self.user |= {
            "business_name": "Musée Marceau",
            "profile_image": "",
            "follower_count": 1200,
            "following_count": 80,
        }
        self.ids = itertools.count(1_000_000_000_001)
        self.boards: list[dict] = [self._board("Collections"), self._board("Expositions")]
        self.pins: list[dict] = []
        self.media: dict[str, dict] = {}
        self.access_tokens: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.processing_polls = 1  # GET /v5/media/{id} answers "processing" this many times before "succeeded"
        self.video_fails = False

    # What tests use -----------------------------------------------------------------------------------------------

    def token(self) -> dict:
        access, refresh = f"pina_{secrets.token_hex(8)}", f"pinr_{secrets.token_hex(8)}"
        self.access_tokens.add(access)
        self.refresh_tokens.add(refresh)
        return {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": 2592000,
            "refresh_token_expires_in": 5184000,
            "scope": "boards:read,boards:write,pins:read,pins:write,user_accounts:read",
            "token_type": "bearer",
        }

    def account_fields(self) -> dict:
        """What a SocialAccount needs to talk to this fake: `SocialAccountFactory(**fake.account_fields())`."""
        token = self.token()
        return {
            "network": "pinterest",
            "handle": self.user["username"],
            "server_url": self.url,
            "external_id": self.user["id"],
            "credentials": {"access_token": token["access_token"], "refresh_token": token["refresh_token"]},
            "options": {"boards": [{"id": b["id"], "name": b["name"]} for b in self.boards]},
        }

    def social_app(self) -> dict[str, str]:
        return self.grants.social_app(self.url, "/oauth/", "/v5/oauth/token")

    def received_posts(self) -> list[dict]:
        """The museum's Pins, each as {"id", "text", "alt_texts"}: what the contract suite asserts on."""
        return [
            {"id": p["id"], "text": p["description"], "alt_texts": [p["alt_text"]] if p["alt_text"] else []}
            for p in self.pins
        ]

    def revoke(self) -> None:
        self.access_tokens.clear()
        self.refresh_tokens.clear()
        self.grants.tokens.clear()

    def expire_access_tokens(self) -> None:
        self.access_tokens.clear()
        self.grants.tokens.clear()

    def _board(self, name: str, privacy: str = "PUBLIC") -> dict:
        board_id = str(next(self.ids))
        owner = {"username": self.user["username"]}
        return {"id": board_id, "name": name, "description": "", "privacy": privacy, "owner": owner, "pin_count": 0}

    # Auth ---------------------------------------------------------------------------------------------------------

    @route("GET", r"/oauth/")
    def authorize(self, request: Request) -> Response:
        return self.grants.authorize(request)

    @route("POST", r"/v5/oauth/token")
    def oauth_token(self, request: Request) -> Response:
        basic = base64.b64decode(request.headers.get("authorization", "").removeprefix("Basic ") or b"").decode()
        client_id, _sep, secret = basic.partition(":")
        if self.grants.clients.get(client_id) != secret:
            return pinterest_error(401, 2, "Authentication failed.")
        form = request.fields()
        if form.get("grant_type") == "authorization_code":
            _asked, refusal = self.grants.redeem(form, client_id, secret)
            if refusal:
                return pinterest_error(400, 1, "Invalid authorization code.")
            token = self.token()
            self.grants.tokens.add(token["access_token"])
            return Response(200, token)
        if form.get("grant_type") == "refresh_token" and form.get("refresh_token") in self.refresh_tokens:
            token = self.token()  # Pinterest's continuous refresh: a new refresh token with the new access token
            self.refresh_tokens.discard(form["refresh_token"])
            return Response(200, token)
        return pinterest_error(400, 1, "Invalid refresh token.")

    def _check(self, request: Request) -> Response | None:
        token = request.bearer()
        if token not in self.access_tokens and token not in self.grants.tokens:
            return pinterest_error(401, 2, "Authentication failed.")
        return None

    @route("GET", r"/v5/user_account")
    def user_account(self, request: Request) -> Response:
        return self._check(request) or Response(
            200, {**self.user, "pin_count": len(self.pins), "board_count": len(self.boards)}
        )

    # Boards -------------------------------------------------------------------------------------------------------

    @route("GET", r"/v5/boards")
    def list_boards(self, request: Request) -> Response:
        if denied := self._check(request):
            return denied
        size = int(request.query.get("page_size", ["25"])[0])
        start = int(request.query.get("bookmark", ["0"])[0])
        following = start + size if start + size < len(self.boards) else None
        return Response(200, {"items": self.boards[start : start + size], "bookmark": following and str(following)})

    @route("POST", r"/v5/boards")
    def create_board(self, request: Request) -> Response:
        if denied := self._check(request):
            return denied
        body = request.json()
        board = self._board(body["name"], body.get("privacy", "PUBLIC"))
        self.boards.append(board)
        return Response(201, board)

    @route("GET", r"/v5/boards/(?P<board_id>[^/]+)/pins")
    def board_pins(self, request: Request, board_id: str) -> Response:
        if denied := self._check(request):
            return denied
        if not any(b["id"] == board_id for b in self.boards):
            return pinterest_error(404, 40, "Board not found.")
        pins = [dict(p) for p in reversed(self.pins) if p["board_id"] == board_id]
        return Response(200, {"items": pins[:PAGE_SIZE], "bookmark": None})

    # Pins ---------------------------------------------------------------------------------------------------------

    @route("POST", r"/v5/pins")
    def create_pin(self, request: Request) -> Response:
        if denied := self._check(request):
            return denied
        body = request.json()
        if not any(b["id"] == str(body.get("board_id")) for b in self.boards):
            return pinterest_error(404, 40, "Board not found.")
        for name, limit in (("title", 100), ("description", 800), ("link", 2048), ("alt_text", 500)):
            if len(body.get(name) or "") > limit:
                return pinterest_error(400, 1, f"Invalid Pin parameters: {name} is too long.")
        media, refusal = self._media_of(body.get("media_source") or {})
        if refusal:
            return refusal
        pin = {
            "id": str(next(self.ids)),
            "created_at": _now(),
            "board_id": str(body["board_id"]),
            "title": body.get("title") or "",
            "description": body.get("description") or "",
            "link": body.get("link") or None,
            "alt_text": body.get("alt_text") or None,
            "media": media,
        }
        with self.lock:
            self.pins.append(pin)
        return Response(201, dict(pin))

    def _media_of(self, source: dict) -> tuple[dict, Response | None]:
        kind = source.get("source_type")
        if kind == "image_base64" and source.get("data"):
            return {"media_type": "image", "images": {"originals": {"url": "https://i.pinimg.com/o.jpg"}}}, None
        if kind == "image_url" and source.get("url"):
            return {"media_type": "image"}, None
        if kind in ("multiple_image_base64", "multiple_image_urls") and 2 <= len(source.get("items") or []) <= 5:
            return {"media_type": "multiple_images", "items": len(source["items"])}, None
        if kind == "video_id":
            video = self.media.get(str(source.get("media_id")))
            if not video or video["status"] != "succeeded":
                return {}, pinterest_error(400, 1, "Invalid Pin parameters: the video is not ready.")
            covers = ("cover_image_url", "cover_image_data", "cover_image_key_frame_time")
            if not any(source.get(name) is not None for name in covers):
                return {}, pinterest_error(400, 1, "Provide cover_image_url or cover_image_content_type.")
            return {"media_type": "video", "media_id": video["media_id"]}, None
        return {}, pinterest_error(400, 1, "Invalid Pin parameters: media_source.")

    @route("GET", r"/v5/pins/(?P<pin_id>\d+)")
    def get_pin(self, request: Request, pin_id: str) -> Response:
        if denied := self._check(request):
            return denied
        pin = next((p for p in self.pins if p["id"] == pin_id), None)
        return Response(200, dict(pin)) if pin else pinterest_error(404, 50, "Pin not found.")

    # Video --------------------------------------------------------------------------------------------------------

    @route("POST", r"/v5/media")
    def register_media(self, request: Request) -> Response:
        if denied := self._check(request):
            return denied
        media_id = str(next(self.ids))
        key = f"uploads/{media_id}"
        self.media[media_id] = {"media_id": media_id, "status": "registered", "key": key, "data": b"", "polls": 0}
        parameters = {
            "key": key,
            "policy": secrets.token_urlsafe(12),
            "x-amz-algorithm": "AWS4-HMAC-SHA256",
            "x-amz-credential": "fake/20261207/us-east-1/s3/aws4_request",
            "x-amz-date": "20261207T000000Z",
            "x-amz-signature": secrets.token_hex(16),
            "Content-Type": "multipart/form-data",
        }
        upload = {"media_id": media_id, "media_type": "video", "upload_url": f"{self.url}/s3-upload"}
        return Response(201, {**upload, "upload_parameters": parameters})

    @route("POST", r"/s3-upload")
    def s3_upload(self, request: Request) -> Response:
        """The bucket: every upload parameter as a form field, then the file; no Pinterest token."""
        parts = request.multipart()
        key = parts["key"].data.decode() if "key" in parts else None
        media = next((m for m in self.media.values() if m["key"] == key), None)
        if media is None or "file" not in parts or "x-amz-signature" not in parts:
            return Response(403, b"<Error><Code>AccessDenied</Code></Error>", {"Content-Type": "application/xml"})
        media.update(data=parts["file"].data, status="processing", polls=self.processing_polls)
        return Response(204, b"")

    @route("GET", r"/v5/media/(?P<media_id>\d+)")
    def media_status(self, request: Request, media_id: str) -> Response:
        if denied := self._check(request):
            return denied
        media = self.media.get(media_id)
        if media is None:
            return pinterest_error(404, 50, "Media not found.")
        if media["status"] == "processing":
            if media["polls"] > 0:
                media["polls"] -= 1
            else:
                media["status"] = "failed" if self.video_fails else "succeeded"
        return Response(200, {"media_id": media_id, "media_type": "video", "status": media["status"]})
