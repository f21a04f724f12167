"""How Bluesky counts (../shared/networks/bluesky.md, "Metrics"): lifetime counters of each post from the AppView
(`app.bsky.feed.getPosts`, 25 uris a call; a deleted, blocked or taken-down post is left out), and the profile's
counts (`app.bsky.actor.getProfile`). No views, link clicks or video views exist: absent, never 0. `bookmarkCount`
only on newer AppViews: absent where not given. No demographics."""

from publishing.adapters.metrics import AccountMetrics, PostMetrics, whole

BATCH = 25  # uris per getPosts; more is refused with 400 InvalidRequest


class BlueskyMetrics:
    """Mixed into BlueskyAdapter (its `call` refreshes an expired session once)."""

    metrics_batch = BATCH
    post_figures = frozenset({"likes", "reposts", "replies", "quotes", "saves"})

    def fetch_post_metrics(self, publications: list) -> dict[str, PostMetrics]:
        uris = [p.external_id for p in publications]
        data = self.json(self.call("GET", "/xrpc/app.bsky.feed.getPosts", params={"uris": uris}))
        asked = set(uris)
        posts = data.get("posts") if isinstance(data, dict) else None
        return {
            post["uri"]: _post_metrics(post)
            for post in posts or []
            if isinstance(post, dict) and post.get("uri") in asked
        }

    def fetch_account_metrics(self) -> AccountMetrics:
        profile = self.json(self.call("GET", "/xrpc/app.bsky.actor.getProfile", params={"actor": self.did}))
        return AccountMetrics(
            followers=whole(profile.get("followersCount")),
            following=whole(profile.get("followsCount")),
            posts=whole(profile.get("postsCount")),
        )


def _post_metrics(post: dict) -> PostMetrics:
    return PostMetrics(
        external_id=post["uri"],
        likes=whole(post.get("likeCount")),
        reposts=whole(post.get("repostCount")),
        replies=whole(post.get("replyCount")),
        quotes=whole(post.get("quoteCount")),
        saves=whole(post.get("bookmarkCount")),
    )
