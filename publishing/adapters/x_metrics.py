"""How X counts (../shared/networks/x.md, "Metrics"): `GET /2/tweets` takes 100 ids; `public_metrics` come with any
token, `non_public_metrics` (impressions, link clicks) only for the user's own posts younger than 30 days: for the
others X answers a "Field Authorization Error" and leaves the post out, so those are asked again with
`public_metrics` only (their link clicks stay absent). Account counts from `GET /2/users/me`. No demographics."""

from publishing.adapters.metrics import AccountMetrics, PostMetrics, whole

BATCH = 100
ALL_FIELDS = "created_at,public_metrics,non_public_metrics,organic_metrics"
NOT_AUTHORIZED = "not-authorized-for-field"


class XMetrics:
    """Mixed into XAdapter (its `call` refreshes an expired token once)."""

    metrics_batch = BATCH
    post_figures = frozenset({"views", "likes", "reposts", "replies", "quotes", "saves", "link_clicks"})

    def fetch_post_metrics(self, publications: list) -> dict[str, PostMetrics]:
        ids = [p.external_id for p in publications]
        found, refused = self._tweet_metrics(ids, ALL_FIELDS)
        if refused:
            again, _refused = self._tweet_metrics(sorted(refused), "public_metrics")
            found.update(again)
        return found

    def _tweet_metrics(self, ids: list[str], fields: str) -> tuple[dict[str, PostMetrics], set[str]]:
        body = self.json(self.call("GET", "/2/tweets", params={"ids": ",".join(ids), "tweet.fields": fields}))
        body = body if isinstance(body, dict) else {}
        asked = set(ids)
        found = {
            str(tweet["id"]): _post_metrics(tweet)
            for tweet in body.get("data") or []
            if isinstance(tweet, dict) and str(tweet.get("id")) in asked
        }
        refused = {
            str(error.get("resource_id"))
            for error in body.get("errors") or []
            if isinstance(error, dict) and NOT_AUTHORIZED in str(error.get("type"))
        }
        return found, refused & asked

    def fetch_account_metrics(self) -> AccountMetrics:
        data = self.json(self.call("GET", "/2/users/me", params={"user.fields": "public_metrics"})).get("data") or {}
        counts = data.get("public_metrics") or {}
        return AccountMetrics(
            followers=whole(counts.get("followers_count")),
            following=whole(counts.get("following_count")),
            posts=whole(counts.get("tweet_count", counts.get("post_count"))),
        )


def _post_metrics(tweet: dict) -> PostMetrics:
    public = tweet.get("public_metrics") or {}
    private = tweet.get("non_public_metrics") or {}
    views = private.get("impression_count", public.get("impression_count"))
    return PostMetrics(
        external_id=str(tweet["id"]),
        views=whole(views),
        likes=whole(public.get("like_count")),
        reposts=whole(public.get("retweet_count", public.get("repost_count"))),
        replies=whole(public.get("reply_count")),
        quotes=whole(public.get("quote_count")),
        saves=whole(public.get("bookmark_count")),
        link_clicks=whole(private.get("url_link_clicks")),
    )
