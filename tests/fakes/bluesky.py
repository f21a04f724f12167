"""A fake Bluesky PDS: sessions, blobs, records and notifications, with the reference PDS's answers.

Like the reference PDS, a second createRecord with an existing rkey fails with a bare HTTP 500 and creates nothing,
putRecord with an identical record is a no-op (same uri and cid), getRecord of a missing record is
400 RecordNotFound, and an expired access token is 400 ExpiredToken. Tests fill `notifications` with `add_reply`,
`add_mention` and `add_quote`.

Options that make it behave as the real AppView does beyond the documented contract:
- `dated_by_author`: a notification is dated (and sorted) by the post's own `createdAt` when that is earlier than
  when it was indexed (a phone clock behind, a relay backlog), so it lands behind notifications already listed.
- the session's scope tells an app password from the main password (`main_password`), as the reference PDS does:
  `com.atproto.appPass` (or `com.atproto.appPassPrivileged`) for an app password, `com.atproto.access` for the main
  one; `deleteSession` ends a session by its refresh token.
- `block(handle)`: that visitor blocks the museum; the AppView then leaves their posts out of `getPosts` as if they
  were deleted, while their records stay in their repo (`getRecord` still finds them).
"""

import base64
import hashlib
import itertools
import json
import time
from datetime import UTC, datetime

import grapheme

from tests.fakes.base import FakeNetwork, Request, Response, route
from tests.fakes.bluesky_metrics import BlueskyMetricsFake

DID = "did:plc:museumfake0000000000000"


def _now() -> str:
    return _iso(datetime.now(UTC))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _jwt(subject: str, scope: str, lifetime: int) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    claims = {"sub": subject, "scope": scope, "exp": int(time.time()) + lifetime, "jti": str(time.time_ns())}
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.signature"


def _cid(value) -> str:
    return "bafyrei" + hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:52]


def _error(status: int, error: str, message: str) -> Response:
    return Response(status, {"error": error, "message": message})


class FakeBluesky(BlueskyMetricsFake, FakeNetwork):
    def __init__(
        self,
        *,
        handle: str = "museum.bsky.social",
        password: str = "app-pass-word-1234",
        main_password: str = "the-main-password",
    ):
        super().__init__()
        self.handle, self.password, self.main_password, self.did = handle, password, main_password, DID
        self.access_tokens: set[str] = set()
        self.refresh_tokens: dict[str, str] = {}  # refresh token → the scope of the session it renews
        self.records: dict[tuple[str, str, str], dict] = {}  # (did, collection, rkey) → {uri, cid, value}
        self.blobs: dict[str, dict] = {}
        self.notifications: list[dict] = []  # oldest first; served newest first
        self.handles = {handle: DID, "claire.bsky.social": "did:plc:claire000000000000000000"}
        self.sequence = itertools.count(1)
        self.dated_by_author = False
        self.blockers: set[str] = set()  # dids of visitors who block the museum

    # What tests use -----------------------------------------------------------------------------------------------

    def session(self, scope: str = "com.atproto.appPass") -> dict:
        """A valid session (opened with an app password unless `scope` says otherwise), as an account's stored
        credentials after connecting."""
        access, refresh = _jwt(self.did, scope, 7200), _jwt(self.did, "com.atproto.refresh", 7776000)
        self.access_tokens.add(access)
        self.refresh_tokens[refresh] = scope
        return {"accessJwt": access, "refreshJwt": refresh, "did": self.did, "handle": self.handle, "active": True}

    def account_fields(self) -> dict:
        """What a SocialAccount needs to talk to this fake: `SocialAccountFactory(**fake.account_fields())`."""
        session = self.session()
        return {
            "network": "bluesky",
            "handle": self.handle,
            "server_url": self.url,
            "external_id": self.did,
            "credentials": {
                "access_token": session["accessJwt"],
                "refresh_token": session["refreshJwt"],
                "did": self.did,
            },
        }

    def received_posts(self) -> list[dict]:
        """The museum's posts (replies aside), each as {"id", "text", "alt_texts"}: what a test asserts on."""
        return [
            {
                "id": p["uri"],
                "text": p["value"]["text"],
                "alt_texts": [i["alt"] for i in (p["value"].get("embed") or {}).get("images", [])],
            }
            for p in self.posts()
            if "reply" not in p["value"]
        ]

    def expire_access_tokens(self) -> None:
        self.access_tokens.clear()

    def expire_session(self) -> None:
        self.access_tokens.clear()
        self.refresh_tokens.clear()

    def posts(self) -> list[dict]:
        """The museum's posts (records in app.bsky.feed.post), with their uri and cid."""
        return [r for (did, collection, _), r in self.records.items() if did == self.did and "feed.post" in collection]

    def add_reply(
        self,
        text: str,
        *,
        parent: dict,
        root: dict | None = None,
        handle: str = "lea.bsky.social",
        created_at: datetime | None = None,
    ):
        """A visitor's reply to `parent` ({uri, cid}); returns its {uri, cid}. `created_at`: the author's clock."""
        record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": _iso(created_at) if created_at else _now()}
        record["reply"] = {"root": root or parent, "parent": parent}
        return self._notify("reply", record, handle, reason_subject=parent["uri"])

    def add_mention(self, text: str, *, handle: str = "lea.bsky.social", created_at: datetime | None = None):
        created = _iso(created_at) if created_at else _now()
        return self._notify("mention", {"$type": "app.bsky.feed.post", "text": text, "createdAt": created}, handle)

    def add_quote(self, text: str, *, quoted: dict, handle: str = "lea.bsky.social"):
        record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": _now()}
        record["embed"] = {"$type": "app.bsky.embed.record", "record": quoted}
        return self._notify("quote", record, handle, reason_subject=quoted["uri"])

    def edit_record(self, uri: str, text: str) -> dict:
        """The author rewrites the post in place (putRecord): same uri, new text, new cid. Returns its {uri, cid}."""
        with self.lock:
            stored = self.records[self._key(uri)]
            stored["value"] = {**stored["value"], "text": text}
            stored["cid"] = _cid(stored["value"])
            for notification in self.notifications:
                if notification["uri"] == uri:
                    notification.update(cid=stored["cid"], record=stored["value"])
            return {"uri": uri, "cid": stored["cid"]}

    def block(self, handle: str, blocks: bool = True) -> None:
        """The visitor blocks the museum (or, with `blocks=False`, lifts the block)."""
        did = self._did_of(handle)
        if blocks:
            self.blockers.add(did)
        else:
            self.blockers.discard(did)

    @staticmethod
    def _did_of(handle: str) -> str:
        return f"did:plc:{hashlib.sha256(handle.encode()).hexdigest()[:24]}"

    def delete_record(self, uri: str) -> None:
        """The author deletes the post: the record and its notification are gone."""
        with self.lock:
            self.records.pop(self._key(uri))
            self.notifications = [n for n in self.notifications if n["uri"] != uri]

    @staticmethod
    def _key(uri: str) -> tuple[str, str, str]:
        did, collection, rkey = uri.removeprefix("at://").split("/")
        return did, collection, rkey

    def _notify(self, reason: str, record: dict, handle: str, reason_subject: str | None = None) -> dict:
        author_did = self._did_of(handle)
        rkey = f"3l{next(self.sequence):011d}"
        ref = {"uri": f"at://{author_did}/app.bsky.feed.post/{rkey}", "cid": _cid(record)}
        self.records[author_did, "app.bsky.feed.post", rkey] = {**ref, "value": record}
        notification = {
            **ref,
            "author": {"did": author_did, "handle": handle, "displayName": handle.split(".")[0].title()},
            "reason": reason,
            "record": record,
            "isRead": False,
            "indexedAt": min(_now(), record["createdAt"]) if self.dated_by_author else _now(),
        }
        if reason_subject:
            notification["reasonSubject"] = reason_subject
        self.notifications.append(notification)
        time.sleep(0.002)  # distinct indexedAt values, as on a real PDS
        return ref

    # Auth ---------------------------------------------------------------------------------------------------------

    def _check(self, request: Request) -> Response | None:
        token = request.bearer()
        if not token:
            return _error(401, "AuthMissing", "Authentication Required")
        if token not in self.access_tokens:
            return _error(400, "ExpiredToken", "Token has expired")
        return None

    @route("POST", r"/xrpc/com\.atproto\.server\.createSession")
    def create_session(self, request):
        body = request.json() or {}
        scopes = {self.password: "com.atproto.appPass", self.main_password: "com.atproto.access"}
        if body.get("identifier") not in {self.handle, self.did} or body.get("password") not in scopes:
            return _error(401, "AuthenticationRequired", "Invalid identifier or password")
        return Response(200, self.session(scopes[body["password"]]))

    @route("POST", r"/xrpc/com\.atproto\.server\.refreshSession")
    def refresh_session(self, request):
        token = request.bearer()
        if token not in self.refresh_tokens:
            return _error(400, "ExpiredToken", "Token has expired")
        scope = self.refresh_tokens.pop(token)  # refresh tokens are single use
        return Response(200, self.session(scope))

    @route("POST", r"/xrpc/com\.atproto\.server\.deleteSession")
    def delete_session(self, request):
        if self.refresh_tokens.pop(request.bearer(), None) is None:
            return _error(400, "ExpiredToken", "Token has expired")
        return Response(200, {})

    @route("GET", r"/xrpc/com\.atproto\.identity\.resolveHandle")
    def resolve_handle(self, request):
        handle = request.query.get("handle", [""])[0]
        if handle not in self.handles:
            return _error(400, "InvalidRequest", "Unable to resolve handle")
        return Response(200, {"did": self.handles[handle]})

    # Repo ---------------------------------------------------------------------------------------------------------

    @route("POST", r"/xrpc/com\.atproto\.repo\.uploadBlob")
    def upload_blob(self, request):
        if denied := self._check(request):
            return denied
        if len(request.body) > 2_000_000:
            return _error(400, "BlobTooLarge", "This file is too large. It is 2.1MB but the maximum size is 2MB.")
        link = "bafkrei" + hashlib.sha256(request.body).hexdigest()[:52]
        blob = {
            "$type": "blob",
            "ref": {"$link": link},
            "mimeType": request.headers.get("content-type"),
            "size": len(request.body),
        }
        self.blobs[link] = blob
        return Response(200, {"blob": blob})

    @route("POST", r"/xrpc/com\.atproto\.repo\.createRecord")
    def create_record(self, request):
        if denied := self._check(request):
            return denied
        body = request.json()
        key = (body["repo"], body["collection"], body.get("rkey") or f"3l{next(self.sequence):011d}")
        with self.lock:
            if key in self.records:
                return Response(500, {"error": "InternalServerError", "message": "Internal Server Error"})
            return self._write(key, body["record"])

    @route("POST", r"/xrpc/com\.atproto\.repo\.putRecord")
    def put_record(self, request):
        if denied := self._check(request):
            return denied
        body = request.json()
        key = (body["repo"], body["collection"], body["rkey"])
        with self.lock:
            existing = self.records.get(key)
            if existing and existing["value"] == body["record"]:
                return Response(200, {"uri": existing["uri"], "cid": existing["cid"]})  # no new commit
            return self._write(key, body["record"])

    @route("GET", r"/xrpc/com\.atproto\.repo\.getRecord")
    def get_record(self, request):
        key = tuple(request.query.get(name, [""])[0] for name in ("repo", "collection", "rkey"))
        record = self.records.get(key)
        if record is None:
            return _error(400, "RecordNotFound", f"Could not locate record: at://{'/'.join(key)}")
        return Response(200, record)

    def _write(self, key: tuple[str, str, str], record: dict) -> Response:
        if key[0] != self.did:
            return _error(400, "InvalidRequest", "Input/repo must be the authenticated account")
        problem = self._invalid(record)
        if problem:
            return _error(400, "InvalidRequest", f"Invalid app.bsky.feed.post record: {problem}")
        uri = f"at://{key[0]}/{key[1]}/{key[2]}"
        self.records[key] = {"uri": uri, "cid": _cid(record), "value": record}
        return Response(200, {"uri": uri, "cid": self.records[key]["cid"], "commit": {"cid": _cid(uri), "rev": "r"}})

    def _invalid(self, record: dict) -> str | None:
        text = record.get("text", "")
        if grapheme.length(text) > 300:
            return "Record/text must not be longer than 300 graphemes"
        if len(text.encode()) > 3000:
            return "Record/text must not be longer than 3000 characters"
        if "createdAt" not in record:
            return 'Record must have the property "createdAt"'
        external = (record.get("embed") or {}).get("external")
        if external is not None:
            if not {"uri", "title", "description"} <= set(external):
                return 'Record/embed/external must have the properties "uri", "title" and "description"'
            if "thumb" in external and external["thumb"]["ref"]["$link"] not in self.blobs:
                return "Could not find blob"
        for image in (record.get("embed") or {}).get("images", []):
            if "alt" not in image:
                return 'Record/embed/images/0 must have the property "alt"'
            if image["image"]["ref"]["$link"] not in self.blobs:
                return "Could not find blob"
        return None

    # Feed ---------------------------------------------------------------------------------------------------------

    @route("GET", r"/xrpc/app\.bsky\.feed\.getPosts")
    def get_posts(self, request):
        """Post views of up to 25 uris (proxied to the AppView by a real PDS); a post that is gone is left out."""
        if denied := self._check(request):
            return denied
        uris = request.query.get("uris", [])
        if len(uris) > 25:
            return _error(400, "InvalidRequest", "Error: uris must not have more than 25 elements")
        shown = [uri for uri in uris if self._key(uri) in self.records and self._key(uri)[0] not in self.blockers]
        return Response(200, {"posts": [self._post_view(uri) for uri in shown]})

    def _post_view(self, uri: str) -> dict:
        record = self.records[self._key(uri)]
        notified = next((n for n in self.notifications if n["uri"] == uri), None)
        author = notified["author"] if notified else {"did": self.did, "handle": self.handle}
        counts = self.counts_of(uri)
        return {
            "uri": uri,
            "cid": record["cid"],
            "author": author,
            "record": record["value"],
            **counts,
            "indexedAt": _now(),
        }

    # Notifications ------------------------------------------------------------------------------------------------

    @route("GET", r"/xrpc/app\.bsky\.notification\.listNotifications")
    def list_notifications(self, request):
        """Newest first; `cursor` (the indexedAt where the last page ended) continues towards older ones."""
        if denied := self._check(request):
            return denied
        reasons = request.query.get("reasons")
        limit = int(request.query.get("limit", ["50"])[0])
        if not 1 <= limit <= 100:
            return _error(400, "InvalidRequest", "Error: limit must be between 1 and 100")
        ordered = sorted(self.notifications, key=lambda n: str(n.get("indexedAt", "")), reverse=True)
        items = [n for n in ordered if not reasons or n.get("reason") in reasons]
        if cursor := request.query.get("cursor", [""])[0]:
            items = [n for n in items if str(n.get("indexedAt", "")) < cursor]
        page = items[:limit]
        body = {"notifications": page, "seenAt": _now()}
        if len(items) > limit:
            body["cursor"] = page[-1]["indexedAt"]
        return Response(200, body)
