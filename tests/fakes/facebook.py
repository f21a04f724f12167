"""A fake Facebook Graph host for one Page: unpublished photos with alt text, feed posts with attached media,
videos by URL, permalinks, published_posts since a time, comments (stream, chronological) and replies.
Posting the same message twice in a row answers error 506, as Facebook does. Facebook Login lists every Page
it serves, by the names given to `add_page`."""

from datetime import UTC, datetime
from typing import Any

from tests.fakes.base import Request, Response, route
from tests.fakes.facebook_metrics import FacebookMetricsFake
from tests.fakes.graph import FacebookLogin, FakeGraph, V, fields, graph_error, graph_time


class FakeFacebook(FacebookMetricsFake, FacebookLogin, FakeGraph):
    network = "facebook"

    def __init__(self, **kwargs):
        kwargs.setdefault("user_id", "104000000000001")
        super().__init__(**kwargs)
        self.photos: dict[str, dict[str, Any]] = {}
        self.posts: list[dict[str, Any]] = []  # oldest first
        self.page_names: dict[str, str] = {self.user_id: "Musée Marceau"}

    def add_page(self, name: str) -> str:
        """Another Page the person manages: its id."""
        page_id = self.add_account()["external_id"]
        self.page_names[page_id] = name
        return page_id

    def pages(self) -> list[dict[str, Any]]:
        return [
            self.page_entry(page_id, self.page_names.get(page_id, handle)) for page_id, handle in self.accounts.items()
        ]

    @route("POST", f"{V}/(?P<owner>[^/]+)/(?P<edge>photos|feed|videos|comments)")
    def post_edge(self, request: Request, owner: str, edge: str) -> Response:
        values = fields(request)
        if edge == "comments":
            return self.comment(owner, str(values.get("message", "")))
        if owner not in self.accounts:
            return graph_error(100, f"Unsupported post request. Object with ID '{owner}' does not exist", subcode=33)
        if edge == "photos":
            return self.photo(values)
        return self.feed(values, owner, video=edge == "videos")

    def received_posts(self, account: str | None = None) -> list[dict[str, Any]]:
        """The Pages' posts (of one Page if given), each as {"id", "text", "alt_texts"}: what a test asserts on."""
        return [
            {"id": p["id"], "text": p["message"], "alt_texts": [photo["alt_text_custom"] for photo in p["photos"]]}
            for p in self.posts
            if account in (None, p["owner"])
        ]

    def photo(self, values: dict[str, Any]) -> Response:
        source = values.get("source")
        if not isinstance(source, bytes) and not values.get("url"):
            return graph_error(324, "(#324) Requires upload file")
        photo = {
            "id": self.new_id(),
            "published": values.get("published"),
            "alt_text_custom": values.get("alt_text_custom"),
            "size": len(source) if isinstance(source, bytes) else 0,
            "url": values.get("url"),
        }
        self.photos[photo["id"]] = photo
        return Response(200, {"id": photo["id"]})

    def feed(self, values: dict[str, Any], owner: str, *, video: bool) -> Response:
        message = str(values.get("description" if video else "message") or "")
        with self.lock:
            previous = [p for p in self.posts if p["owner"] == owner]
            if previous and message and previous[-1]["message"] == message:
                return graph_error(
                    506,
                    "(#506) Duplicate status message",
                    title="Duplicate post",
                    user_msg="This status update is identical to the last one you posted.",
                )
            attached = [self.photos[m["media_fbid"]] for m in values.get("attached_media") or []]
            post_id = f"{owner}_{self.new_id()}"
            post = {
                "id": post_id,
                "owner": owner,
                "message": message,
                "photos": attached,
                "link": values.get("link"),
                "video_url": values.get("file_url"),
                "created": datetime.now(UTC),
            }
            self.posts.append(post)
        return Response(200, {"id": post["id"]} if not video else {"id": post_id.split("_")[1], "post_id": post_id})

    def comment(self, on: str, message: str) -> Response:
        found = self.find_comment(on)
        if found is None and not any(p["id"] == on for p in self.posts):
            return graph_error(100, f"Unsupported post request. Object with ID '{on}' does not exist", subcode=33)
        root = found[0] if found else on
        reply = self.add_comment(root, message, parent=on if found else None, username="Musée", user_id=self.user_id)
        self.replies.append({"id": reply["id"], "parent": on, "message": message})
        return Response(200, {"id": reply["id"]})

    @route("GET", f"{V}/(?P<owner>[^/]+)/(?P<edge>published_posts|comments)")
    def get_edge(self, request: Request, owner: str, edge: str) -> Response:
        if edge == "published_posts" and owner in self.accounts:
            since = int(request.query.get("since", ["0"])[0])
            posts = [p for p in reversed(self.posts) if p["owner"] == owner and p["created"].timestamp() >= since]
            items = [
                {
                    "id": p["id"],
                    "message": p["message"],
                    "created_time": graph_time(p["created"]),
                    "permalink_url": self.permalink(p["id"]),
                }
                for p in posts
            ]
            return Response(200, self.page(request, items))
        if edge == "comments" and any(p["id"] == owner for p in self.posts):
            return Response(200, self.page(request, [self.shape(c) for c in self.comments.get(owner, [])]))
        return graph_error(100, f"Unsupported get request. Object with ID '{owner}' does not exist", subcode=33)

    def shape(self, comment: dict[str, Any]) -> dict[str, Any]:
        item = {
            "id": comment["id"],
            "message": comment["text"],
            "created_time": graph_time(comment["created"]),
            "from": {"id": comment["user_id"], "name": comment["username"]},
            "permalink_url": f"https://www.facebook.com/{comment['id']}",
            "is_hidden": False,
        }
        if comment["parent"]:
            item["parent"] = {"id": comment["parent"]}
        item.update(comment["raw"])
        return {key: value for key, value in item.items() if value is not None}

    @route("GET", f"{V}/(?P<object_id>[^/]+)")
    def get_object(self, request: Request, object_id: str) -> Response:
        for post in self.posts:
            if object_id in (post["id"], post["id"].split("_")[1]):
                return Response(200, {"id": post["id"], "permalink_url": self.permalink(post["id"])})
        if (comment := self.comment_object(request, object_id)) is not None:
            return comment
        return graph_error(100, f"Unsupported get request. Object with ID '{object_id}' does not exist", subcode=33)

    def permalink(self, post_id: str) -> str:
        page, post = post_id.split("_")
        return f"https://www.facebook.com/{page}/posts/{post}"
