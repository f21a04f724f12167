"""How Threads counts (../shared/networks/threads.md, "Metrics"): one insights call per post (views, likes,
replies, reposts, quotes, shares: shares count as reposts too); no saves or link clicks per post (absent). The
account gives only its followers (`threads_insights`): following and post counts stay absent. Demographics like
Instagram's, from 100 followers; below that the network refuses and none is given."""

from django.utils.translation import gettext_lazy as _

from publishing.adapters.base import Rejected
from publishing.adapters.instagram_metrics import buckets
from publishing.adapters.metrics import AUDIENCE_DIMENSIONS, AccountMetrics, PostMetrics, whole

POST_METRICS = "views,likes,replies,reposts,quotes,shares"


class ThreadsMetrics:
    """Mixed into ThreadsAdapter."""

    metrics_batch = 1
    post_figures = frozenset({"views", "likes", "reposts", "replies", "quotes"})
    audience_note = _(
        "Threads gives the age, gender, country and city of an account's followers once it has 100 of them; below "
        "that, nothing."
    )

    def fetch_post_metrics(self, publications: list) -> dict[str, PostMetrics]:
        found = {}
        for publication in publications:
            answer = self.get_json(publication.external_id, "insights", metric=POST_METRICS)
            values = {i.get("name"): whole((i.get("values") or [{}])[0].get("value")) for i in answer.get("data") or []}
            shared = [v for v in (values.get("reposts"), values.get("shares")) if v is not None]
            found[publication.external_id] = PostMetrics(
                external_id=publication.external_id,
                views=values.get("views"),
                likes=values.get("likes"),
                reposts=sum(shared) if shared else None,
                replies=values.get("replies"),
                quotes=values.get("quotes"),
            )
        return found

    def fetch_account_metrics(self) -> AccountMetrics:
        answer = self.get_json(self.user_id, "threads_insights", metric="followers_count")
        item = (answer.get("data") or [{}])[0]
        return AccountMetrics(followers=whole((item.get("total_value") or {}).get("value")), audience=self._audience())

    def _audience(self) -> dict[str, dict[str, int]]:
        audience = {}
        for dimension in AUDIENCE_DIMENSIONS:
            try:
                answer = self.get_json(
                    self.user_id, "threads_insights", metric="follower_demographics", breakdown=dimension
                )
            except Rejected:
                break  # under 100 followers: Threads gives no demographics
            if given := buckets(answer):
                audience[dimension] = given
        return audience
