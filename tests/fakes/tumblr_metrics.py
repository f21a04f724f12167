"""The counts of the Tumblr fake (mixed into FakeTumblr), as ../shared/networks/pinterest-tumblr.md "Tumblr",
"Metrics" describes them: `GET /v2/blog/{blog}/notes?id={id}&mode=conversation` → `total_notes`, `total_likes`,
`total_reblogs`, `notes` (replies and reblogs with a comment, newest first, 20 a page with `_links.next`),
`rollup_notes`; an unknown post 404; each post of `/posts` carries its `note_count` (likes + reblogs + replies). The
blog: `GET /v2/blog/{blog}/info` → `blog.posts`, `GET /v2/blog/{blog}/followers?limit=1` → `total_users`. No views,
no batch by ids, no history, no demographics."""

from tests.fakes.base import Request, Response, route

NOTES_PAGE = 20


def tumblr_reply(*args, **kwargs) -> Response:
    """tests.fakes.tumblr's answers (imported here late: that module mixes this one in)."""
    from tests.fakes.tumblr import _ok, tumblr_error

    return _ok(*args, **kwargs) if args[0] < 400 else tumblr_error(*args, **kwargs)


class TumblrMetricsFake:
    def set_notes(self, post_id: str, *, likes=0, reblogs=0, replies=0) -> None:
        self.__dict__.setdefault("note_counts", {})[post_id] = {"likes": likes, "reblogs": reblogs, "replies": replies}

    def note_count(self, post_id: str) -> int:
        return sum(self.__dict__.get("note_counts", {}).get(post_id, {}).values())

    @route("GET", r"/v2/blog/(?P<blog>[^/]+)/notes")
    def notes(self, request: Request, blog: str) -> Response:
        if denied := self._check(request) or self._blog(blog):
            return denied
        post_id = request.query.get("id", [""])[0]
        if post_id not in self.posts_by_id:
            return tumblr_reply(404, "Not Found")
        counts = self.__dict__.get("note_counts", {}).get(post_id, {"likes": 0, "reblogs": 0, "replies": 0})
        notes = [
            {"type": "reply", "timestamp": self.clock - n, "blog_name": f"visiteur-{n}", "reply_text": "Superbe !"}
            for n in range(counts["replies"])
        ]
        answer = {
            "notes": notes[:NOTES_PAGE],
            "rollup_notes": [],
            "total_notes": sum(counts.values()),
            "total_likes": counts["likes"],
            "total_reblogs": counts["reblogs"],
        }
        if len(notes) > NOTES_PAGE:
            before = notes[NOTES_PAGE - 1]["timestamp"]
            query = {"id": post_id, "mode": "conversation", "before_timestamp": str(before)}
            answer["_links"] = {"next": {"href": f"/v2/blog/{blog}/notes?id={post_id}", "query_params": query}}
        return tumblr_reply(200, answer)

    @route("GET", r"/v2/blog/(?P<blog>[^/]+)/info")
    def blog_info(self, request: Request, blog: str) -> Response:
        if denied := self._check(request) or self._blog(blog):
            return denied
        info = {k: self.blog[k] for k in ("name", "uuid", "title", "url")}
        return tumblr_reply(200, {"blog": info | {"posts": len(self.posts_by_id), "updated": self.clock}})

    @route("GET", r"/v2/blog/(?P<blog>[^/]+)/followers")
    def followers(self, request: Request, blog: str) -> Response:
        if denied := self._check(request) or self._blog(blog):
            return denied
        limit = int(request.query.get("limit", ["20"])[0])
        users = [{"name": f"abonne-{n}", "following": False, "updated": self.clock} for n in range(limit)]
        return tumblr_reply(200, {"total_users": self.blog["followers"], "users": users[: self.blog["followers"]]})
