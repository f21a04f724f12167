"""A fake X API v2: media upload (simple and chunked) with alt text metadata, tweets, timelines and mentions,
the OAuth 2 refresh_token grant, and X's error bodies (problem JSON; 403 on duplicate content).

Like X, it has no idempotency key, rewrites links as t.co in returned texts and escapes `&`, `<`, `>`.
Tests fill mentions with `add_mention`.
"""

import base64
import html
import itertools
import re
import secrets
import time
from datetime import UTC, datetime

from twitter_text import parse_tweet

from tests.fakes.base import FakeNetwork, Request, Response, route
from tests.fakes.x_metrics import XMetricsFake

URL = re.compile(r"https?://\S+")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def problem(status: int, title: str, detail: str, kind: str = "about:blank") -> Response:
    return Response(status, {"title": title, "detail": detail, "type": kind, "status": status})


class FakeX(XMetricsFake, FakeNetwork):
    def __init__(self, *, client_id: str = "x-client", client_secret: str = "x-secret"):
        super().__init__()
        self.client_id, self.client_secret = client_id, client_secret
        self.user = {"id": "1500000000000000001", "username": "museum", "name": "Musée"}
        self.access_tokens: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.ids = itertools.count(1_800_000_000_000_000_001)
        self.tweets: list[dict] = []  # every tweet, oldest first
        self.media: dict[str, dict] = {}
        self.users = {self.user["id"]: self.user}
        self.processing_polls = 0  # STATUS answers "in_progress" this many times for chunked uploads
        self.daily_limit = 100  # posts per user per 24 hours (sent back in x-user-limit-24hour-* headers)
        # X's documents say both: a lookup of an edited tweet's first id shows that version, or the latest one.
        self.lookup_shows_latest = False

    # What tests use -----------------------------------------------------------------------------------------------

    def token(self) -> dict:
        access, refresh = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        self.access_tokens.add(access)
        self.refresh_tokens.add(refresh)
        return {"token_type": "bearer", "expires_in": 7200, "access_token": access, "refresh_token": refresh}

    def account_fields(self) -> dict:
        """What a SocialAccount needs to talk to this fake: `SocialAccountFactory(**fake.account_fields())`.
        The refresh grant also needs settings.SOCIAL_APPS["x"] with this fake's client id and secret."""
        token = self.token()
        return {
            "network": "x",
            "handle": self.user["username"],
            "server_url": self.url,
            "external_id": self.user["id"],
            "credentials": {"access_token": token["access_token"], "refresh_token": token["refresh_token"]},
        }

    def received_posts(self) -> list[dict]:
        """The museum's posts (replies aside), each as {"id", "text", "alt_texts"}: what a test asserts on."""
        return [
            {"id": t["id"], "text": t["sent"], "alt_texts": [m["alt_text"] for m in t["media"] if m["alt_text"]]}
            for t in self.posts()
            if not t["referenced_tweets"]
        ]

    def expire_access_tokens(self) -> None:
        self.access_tokens.clear()

    def revoke(self) -> None:
        self.access_tokens.clear()
        self.refresh_tokens.clear()

    def posts(self) -> list[dict]:
        return [t for t in self.tweets if t["author_id"] == self.user["id"]]

    def edit_tweet(self, tweet_id: str, text: str) -> dict:
        """The author edits the tweet: X makes a new tweet id and chains every version in `edit_history_tweet_ids`
        (oldest first); looking up an older id still shows that version."""
        with self.lock:
            original = self._find(tweet_id)
            new = {**original, "id": str(next(self.ids)), "text": html.escape(text, quote=False), "sent": text}
            new["mentions"] = None  # the fake's mentions timeline keeps the first version only
            chain = [*original["edit_history_tweet_ids"], new["id"]]
            self.tweets.append(new)
            for tweet in self.tweets:
                if tweet["id"] in chain:
                    tweet["edit_history_tweet_ids"] = chain
            return new

    def delete_tweet(self, tweet_id: str) -> None:
        """The author deletes the tweet: every version of it is gone (X deletes the whole edit chain)."""
        with self.lock:
            chain = self._find(tweet_id)["edit_history_tweet_ids"]
            self.tweets = [t for t in self.tweets if t["id"] not in chain]

    def _find(self, tweet_id: str) -> dict | None:
        return next((t for t in self.tweets if t["id"] == tweet_id), None)

    def add_mention(self, text: str, *, in_reply_to: str | None = None, username: str = "lea_visite", quoted=None):
        user = next((u for u in self.users.values() if u["username"] == username), None)
        if user is None:
            user = {"id": str(next(self.ids)), "username": username, "name": username.replace("_", " ").title()}
            self.users[user["id"]] = user
        return self._create(text, user, in_reply_to=in_reply_to, quoted=quoted)

    # Auth ---------------------------------------------------------------------------------------------------------

    def _check(self, request: Request) -> Response | None:
        if request.bearer() not in self.access_tokens:
            return problem(401, "Unauthorized", "Unauthorized")
        return None

    @route("POST", r"/2/oauth2/token")
    def oauth_token(self, request):
        form = {k: v[0] for k, v in request.form().items()}
        basic = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {basic}" or form.get("client_id") != self.client_id:
            return Response(401, {"error": "invalid_client", "error_description": "Missing valid authorization header"})
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") not in self.refresh_tokens:
            return Response(
                400, {"error": "invalid_request", "error_description": "Value passed for the token was invalid."}
            )
        self.refresh_tokens.discard(form["refresh_token"])
        return Response(200, {**self.token(), "scope": "tweet.read tweet.write users.read media.write offline.access"})

    @route("GET", r"/2/users/me")
    def me(self, request):
        return self._check(request) or Response(200, {"data": {**self.user, **self.user_fields(request)}})

    # Media --------------------------------------------------------------------------------------------------------

    @route("POST", r"/2/media/upload")
    def upload(self, request):
        if denied := self._check(request):
            return denied
        parts = request.multipart()
        if "media" not in parts:
            return problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
        if len(parts["media"].data) > 5 * 1024 * 1024:
            return problem(400, "Invalid Request", "Image file size must be <= 5242880 bytes")
        return Response(200, {"data": self._new_media(parts["media"].content_type, parts["media"].data)})

    @route("POST", r"/2/media/upload/initialize")
    def initialize(self, request):
        if denied := self._check(request):
            return denied
        body = request.json()
        media = self._new_media(body["media_type"], b"")
        self.media[media["id"]].update(total=body["total_bytes"], polls=self.processing_polls, ready=False)
        return Response(200, {"data": media})

    @route("POST", r"/2/media/upload/(?P<media_id>\d+)/append")
    def append(self, request, media_id):
        if denied := self._check(request):
            return denied
        self.media[media_id]["data"] += request.multipart()["media"].data
        return Response(200, {"data": {"expires_at": 1_900_000_000}})

    @route("POST", r"/2/media/upload/(?P<media_id>\d+)/finalize")
    def finalize(self, request, media_id):
        if denied := self._check(request):
            return denied
        return Response(200, {"data": self._status(media_id)})

    @route("GET", r"/2/media/upload")
    def status(self, request):
        if denied := self._check(request):
            return denied
        media_id = request.query["media_id"][0]
        entry = self.media[media_id]
        entry["polls"] = max(0, entry["polls"] - 1)
        return Response(200, {"data": self._status(media_id)})

    @route("POST", r"/2/media/metadata")
    def metadata(self, request):
        if denied := self._check(request):
            return denied
        body = request.json()
        if body["id"] not in self.media:
            return problem(400, "Invalid Request", "Media id not found")
        alt = body["metadata"]["alt_text"]["text"]
        if len(alt) > 1000:
            return problem(400, "Invalid Request", "Alt text must be <= 1000 characters")
        self.media[body["id"]]["alt_text"] = alt
        return Response(200, {"data": {"id": body["id"], "associated_metadata": body["metadata"]}})

    def _new_media(self, content_type: str, data: bytes) -> dict:
        media_id = str(next(self.ids))
        self.media[media_id] = {"type": content_type, "data": data, "alt_text": None, "ready": True, "polls": 0}
        return {"id": media_id, "media_key": f"3_{media_id}", "expires_after_secs": 86400}

    def _status(self, media_id: str) -> dict:
        entry = self.media[media_id]
        entry["ready"] = entry["polls"] == 0 and len(entry["data"]) == entry.get("total", len(entry["data"]))
        state = "succeeded" if entry["ready"] else "in_progress"
        return {"id": media_id, "processing_info": {"state": state, "check_after_secs": 0, "progress_percent": 50}}

    # Tweets -------------------------------------------------------------------------------------------------------

    @route("POST", r"/2/tweets")
    def create_tweet(self, request):
        if denied := self._check(request):
            return denied
        body = request.json()
        text = body.get("text", "")
        media_ids = (body.get("media") or {}).get("media_ids") or []
        in_reply_to = (body.get("reply") or {}).get("in_reply_to_tweet_id")
        with self.lock:
            if not parse_tweet(text).valid and text:
                return problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
            if any(t["author_id"] == self.user["id"] and t["sent"] == text for t in self.tweets[-50:]):
                return problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
            if any(m not in self.media or not self.media[m]["ready"] for m in media_ids):
                return problem(400, "Invalid Request", "Your media IDs are invalid.")
            if in_reply_to and not any(t["id"] == in_reply_to for t in self.tweets):
                return problem(403, "Forbidden", "You attempted to reply to a Tweet that is deleted or not visible.")
            if len(self.posts()) >= self.daily_limit:
                return problem(429, "Too Many Requests", "Too Many Requests")
            tweet = self._create(text, self.user, in_reply_to=in_reply_to, media_ids=media_ids)
            limits = {
                "x-user-limit-24hour-limit": str(self.daily_limit),
                "x-user-limit-24hour-remaining": str(self.daily_limit - len(self.posts())),
                "x-user-limit-24hour-reset": str(int(time.time()) + 86400),
            }
        body = {"data": {"id": tweet["id"], "text": tweet["text"], "edit_history_tweet_ids": [tweet["id"]]}}
        return Response(201, body, limits)

    @route("GET", r"/2/tweets")
    def lookup(self, request):
        """Up to 100 ids; a missing one is an `errors` entry (resource-not-found) in a 200, beside the others."""
        if denied := self._check(request):
            return denied
        ids = [i for i in request.query.get("ids", [""])[0].split(",") if i]
        if not 1 <= len(ids) <= 100:
            return problem(400, "Invalid Request", "The `ids` query parameter value must have 1 to 100 ids.")
        data, errors = [], []
        for tweet_id in ids:
            tweet = self._find(tweet_id)
            if tweet is None:
                errors.append(
                    {
                        "value": tweet_id,
                        "detail": f"Could not find tweet with ids: [{tweet_id}].",
                        "title": "Not Found Error",
                        "resource_type": "tweet",
                        "parameter": "ids",
                        "resource_id": tweet_id,
                        "type": "https://api.twitter.com/2/problems/resource-not-found",
                    }
                )
            else:
                if self.lookup_shows_latest:
                    tweet = self._find(tweet["edit_history_tweet_ids"][-1])
                metrics, refused = self.metric_fields(tweet, request)
                if refused:
                    errors.append(refused)
                    continue
                data.append({**{key: tweet[key] for key in ("id", "text", "edit_history_tweet_ids")}, **metrics})
        return Response(200, {**({"data": data} if data else {}), **({"errors": errors} if errors else {})})

    @route("GET", r"/2/users/(?P<user_id>\d+)/tweets")
    def user_tweets(self, request, user_id):
        if denied := self._check(request):
            return denied
        tweets = [t for t in reversed(self.tweets) if t["author_id"] == user_id]
        if start := request.query.get("start_time", [""])[0]:
            tweets = [t for t in tweets if t["created_at"] >= start]
        if since := request.query.get("since_id", [""])[0]:
            tweets = [t for t in tweets if int(t["id"]) > int(since)]
        return self._page(request, tweets)

    @route("GET", r"/2/users/(?P<user_id>\d+)/mentions")
    def mentions(self, request, user_id):
        if denied := self._check(request):
            return denied
        tweets = [t for t in reversed(self.tweets) if t.get("mentions") == user_id]
        if since := request.query.get("since_id", [""])[0]:
            tweets = [t for t in tweets if int(t["id"]) > int(since)]
        return self._page(request, tweets, expand=True)

    def _page(self, request: Request, tweets: list[dict], expand: bool = False) -> Response:
        """Newest first; pagination_token continues towards older tweets."""
        limit = int(request.query.get("max_results", ["10"])[0])
        if not 5 <= limit <= 100:
            return Response(
                400,
                {
                    "errors": [
                        {
                            "parameters": {"max_results": [str(limit)]},
                            "message": "The `max_results` query parameter value is not between 5 and 100",
                        }
                    ],
                    "title": "Invalid Request",
                    "detail": "One or more parameters to your request was invalid.",
                    "type": "https://api.twitter.com/2/problems/invalid-request",
                },
            )
        if token := request.query.get("pagination_token", [""])[0]:
            tweets = [t for t in tweets if int(t["id"]) < int(token)]
        page = tweets[:limit]
        fields = {
            "id",
            "text",
            "created_at",
            "author_id",
            "conversation_id",
            "in_reply_to_user_id",
            "referenced_tweets",
            "edit_history_tweet_ids",
        }
        body: dict = {"data": [{k: v for k, v in t.items() if k in fields and v is not None} for t in page]}
        body["meta"] = {"result_count": len(page)}
        if page:
            body["meta"] |= {"newest_id": page[0]["id"], "oldest_id": page[-1]["id"]}
        if len(tweets) > limit:
            body["meta"]["next_token"] = page[-1]["id"]
        if expand:
            body["includes"] = {"users": [self.users[i] for i in {t["author_id"] for t in page}]}
        if not page:
            body.pop("data")
        return Response(200, body)

    def _create(self, text, user, *, in_reply_to=None, quoted=None, media_ids=()) -> dict:
        tweet_id = str(next(self.ids))
        parent = next((t for t in self.tweets if t["id"] == in_reply_to), None)
        references = [{"type": "replied_to", "id": in_reply_to}] if in_reply_to else []
        if quoted:
            references.append({"type": "quoted", "id": quoted})
        shown = html.escape(URL.sub(lambda _m: f"https://t.co/{secrets.token_urlsafe(6)}", text), quote=False)
        if media_ids:
            shown += f" https://t.co/{secrets.token_urlsafe(6)}"
        tweet = {
            "id": tweet_id,
            "text": shown,
            "sent": text,  # only for tests: the text as we sent it
            "created_at": _now(),
            "author_id": user["id"],
            "conversation_id": parent["conversation_id"] if parent else tweet_id,
            "in_reply_to_user_id": parent["author_id"] if parent else None,
            "referenced_tweets": references or None,
            "edit_history_tweet_ids": [tweet_id],
            "media": [
                {"id": m, "alt_text": self.media[m]["alt_text"], "type": self.media[m]["type"]} for m in media_ids
            ],
            "mentions": self.user["id"] if user["id"] != self.user["id"] else None,
        }
        self.tweets.append(tweet)
        return tweet
