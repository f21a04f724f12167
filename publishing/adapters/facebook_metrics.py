"""How a Facebook Page counts (../shared/networks/facebook.md, "Metrics"): per post, the insights still offered
(views, reactions by type, clicks by type: one removed name would fail the whole call) and the counters (shares,
absent when 0; comments). No saves or quotes (absent). Empty insights `data` is "no data yet": views, likes and link
clicks then stay absent. The Page gives `followers_count`; no dependable demographics."""

from publishing.adapters.metrics import AccountMetrics, PostMetrics, whole

INSIGHTS = "post_media_view,post_reactions_by_type_total,post_clicks_by_type"
COUNTERS = "shares,comments.summary(total_count).limit(0)"


class FacebookMetrics:
    """Mixed into FacebookAdapter."""

    metrics_batch = 1
    post_figures = frozenset({"views", "likes", "reposts", "replies", "link_clicks"})

    def fetch_post_metrics(self, publications: list) -> dict[str, PostMetrics]:
        found = {}
        for publication in publications:
            post_id = publication.external_id
            answer = self.get_json(post_id, "insights", metric=INSIGHTS)
            values = {i.get("name"): (i.get("values") or [{}])[0].get("value") for i in answer.get("data") or []}
            counters = self.get_json(post_id, fields=COUNTERS)
            clicks = values.get("post_clicks_by_type")
            found[post_id] = PostMetrics(
                external_id=post_id,
                views=whole(values.get("post_media_view")),
                likes=whole(values.get("post_reactions_by_type_total")),
                reposts=whole((counters.get("shares") or {}).get("count", 0)),
                replies=whole(((counters.get("comments") or {}).get("summary") or {}).get("total_count")),
                link_clicks=whole(clicks.get("link clicks")) if isinstance(clicks, dict) else None,
            )
        return found

    def fetch_account_metrics(self) -> AccountMetrics:
        page = self.get_json(self.user_id, fields="followers_count,fan_count")
        return AccountMetrics(followers=whole(page.get("followers_count")))
