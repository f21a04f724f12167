"""How Tumblr counts (../shared/networks/pinterest-tumblr.md, "Tumblr", "Metrics"): notes only, live, one call per
post (`/notes`, no batch by ids): likes, reblogs, and the replies as what is left of the notes (a post's notes are
its likes, reblogs and replies). No views, impressions, saves or clicks exist in the public API: absent, never 0. A
post Tumblr no longer has (deleted) is left out. The blog gives its followers and posts; no following count (the
user's, not the blog's) and no demographics."""

from publishing.adapters.base import NotFound
from publishing.adapters.metrics import AccountMetrics, PostMetrics, whole


class TumblrMetrics:
    """Mixed into TumblrAdapter (its `call` renews an expired token once; `blog` is the blog's uuid)."""

    metrics_batch = 1

    def fetch_post_metrics(self, publications: list) -> dict[str, PostMetrics]:
        found = {}
        for publication in publications:
            post_id = publication.external_id
            params = {"id": post_id, "mode": "conversation"}
            try:
                notes = self.json(self.call("GET", f"/v2/blog/{self.blog}/notes", params=params))["response"]
            except NotFound:
                continue
            found[post_id] = _post_metrics(post_id, notes)
        return found

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
