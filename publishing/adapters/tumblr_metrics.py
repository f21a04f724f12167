"""How Tumblr counts (../shared/networks/pinterest-tumblr.md, "Tumblr", "Metrics"): notes only, live, one call per
post (`/notes`, no batch by ids): likes, reblogs, and the replies as what is left of the notes (a post's notes are
its likes, reblogs and replies). No views, impressions, saves or clicks exist in the public API: absent, never 0. A
post Tumblr no longer has (deleted), or one still waiting in the blog's queue, is left out. The blog gives its
followers and posts; no following count (the user's, not the blog's) and no demographics."""

from publishing.adapters.base import NotFound
from publishing.adapters.metrics import AccountMetrics, PostMetrics, whole


class TumblrMetrics:
    """Mixed into TumblrAdapter (its `call` renews an expired token once; `blog` is the blog's uuid)."""

    metrics_batch = 1
    metrics_fields = ("extra",)  # a queued post's live id
    post_figures = frozenset({"likes", "reposts", "replies"})

    def fetch_post_metrics(self, publications: list) -> dict[str, PostMetrics]:
        found = {}
        for publication in publications:
            post_id = self._live_id(publication)
            if post_id is None:
                continue
            params = {"id": post_id, "mode": "conversation"}
            try:
                notes = self.json(self.call("GET", f"/v2/blog/{self.blog}/notes", params=params))["response"]
            except NotFound:
                continue
            found[publication.external_id] = _post_metrics(publication.external_id, notes)
        return found

    def _live_id(self, publication) -> str | None:
        """The post's id on the blog now. A post sent into the blog's queue gets a new id when the queue publishes it,
        the old one kept as its `genesis_post_id`: found among the blog's latest posts, then remembered. None while
        it waits in the queue (no notes yet)."""
        extra = publication.extra or {}
        if not extra.get("queued"):
            return publication.external_id
        if extra.get("tumblr_live_id"):
            return str(extra["tumblr_live_id"])
        params = {"npf": "true", "limit": 20}
        posts = self.json(self.call("GET", f"/v2/blog/{self.blog}/posts", params=params))["response"]["posts"]
        for post in posts:
            if str(post.get("genesis_post_id") or "") == publication.external_id:
                live = str(post.get("id_string") or post["id"])
                publication.remember(tumblr_live_id=live)
                return live
        return None

    def fetch_account_metrics(self) -> AccountMetrics:
        blog = self.json(self.call("GET", f"/v2/blog/{self.blog}/info"))["response"].get("blog") or {}
        followers = self.json(self.call("GET", f"/v2/blog/{self.blog}/followers", params={"limit": 1}))["response"]
        return AccountMetrics(followers=whole(followers.get("total_users")), posts=whole(blog.get("posts")))


def _post_metrics(post_id: str, notes: dict) -> PostMetrics:
    total, likes, reblogs = (whole(notes.get(k)) for k in ("total_notes", "total_likes", "total_reblogs"))
    known = None not in (total, likes, reblogs)
    return PostMetrics(
        external_id=post_id,
        likes=likes,
        reposts=reblogs,
        replies=max(0, total - likes - reblogs) if known else None,
    )
